/* write.c -- writing to a stream: write_all, writev, sendfile, shutdown.
 *
 * A write hands the socket what it takes at once with uv_try_write, from
 * the caller's memory; the rest is copied, at most WRITE_CHUNK bytes at a
 * time, into a runtime-owned record for uv_write, which waits for room.
 * The record stays alive until its callback has run; a dropped write only
 * unlinks itself from it, so libuv never touches a frame that is gone and
 * the caller's memory is never read after the drop.
 *
 * sendfile(2) runs on the loop's thread, straight from the page cache to
 * the socket.  It is only called while libuv has no write queued on the
 * stream, so bytes go out in the order the writes were started; when the
 * socket is full (EAGAIN) the next chunk of the file is read into a
 * record and queued with uv_write, which waits for room, and sendfile
 * takes over again once that is out. */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "internal.h"

/* The unsent part of a write, at most WRITE_CHUNK bytes, for uv_write. */
struct ac__stream_write {
  uv_write_t req;
  struct ac__stream_write_op *op; /* NULL once the frame is dropped */
  int busy;                       /* uv_write is in flight */
  int status;                     /* of the last uv_write */
  size_t cap;                     /* bytes of data */
  char data[];
};

#define WRITE_CHUNK (64 * 1024)
/* uv_buf_t lengths are unsigned int and uv_try_write returns an int. */
#define TRY_WRITE_MAX (1u << 30)
/* Buffers given to one uv_try_write. */
#define TRY_WRITE_BUFS 16

static void write_cb(uv_write_t *req, int status) {
  struct ac__stream_write *w =
      ac__container_of(req, struct ac__stream_write, req);
  w->busy = 0;
  w->status = status;
  if (w->op == NULL) /* The frame was dropped. */
    ac__free(w);
  else
    ac_task_wake(w->op->task);
}

static void op_init(struct ac__stream_write_op *op, ac_stream *s) {
  op->s = s;
  op->iov = NULL;
  op->iovcnt = 0;
  op->idx = 0;
  op->off = 0;
  op->req = NULL;
  op->task = NULL;
  op->state = AC__OP_START;
}

/* Ends op: its record is freed, or by write_cb if still in flight. */
static void op_end(struct ac__stream_write_op *op) {
  if (op->req != NULL) {
    if (op->req->busy)
      op->req->op = NULL;
    else
      ac__free(op->req);
  }
  op->req = NULL;
  if (op->s != NULL && op->s->writer == op)
    op->s->writer = NULL;
  op->s = NULL;
  op->state = AC__OP_DONE;
}

/* The first poll: claims the stream and registers op as its writer.  0
 * or an error (op is then ended). */
static int op_begin(struct ac__stream_write_op *op, ac_cx *cx) {
  int err = op->s != NULL ? ac__stream_claim(op->s, cx) : AC_EINVAL;
  if (err == 0 && op->s->writer != NULL)
    err = AC_EBUSY;
  if (err != 0) {
    op->s = NULL;
    op_end(op);
    return err;
  }
  op->s->writer = op;
  op->state = AC__OP_PENDING;
  return 0;
}

/* Where op stands between polls: 1 and *err once the request in flight
 * failed or the stream was closed; 0 to go on (or wait, if *err is 1). */
static int op_status(struct ac__stream_write_op *op, int *err) {
  *err = 0;
  if (op->req != NULL && op->req->busy) {
    *err = 1;
    return 0;
  }
  if (op->req != NULL && op->req->status < 0) {
    *err = op->req->status;
    return 1;
  }
  if (op->s == NULL) { /* The stream was closed. */
    *err = AC_ECANCELED;
    return 1;
  }
  return 0;
}

/* A record for at most `n` bytes; op's, grown if too small.  NULL when out
 * of memory. */
static struct ac__stream_write *op_record(struct ac__stream_write_op *op,
                                          size_t n) {
  if (n > WRITE_CHUNK)
    n = WRITE_CHUNK;
  if (op->req != NULL && op->req->cap >= n)
    return op->req;
  ac__free(op->req);
  op->req = ac__malloc(sizeof *op->req + n);
  if (op->req != NULL) {
    op->req->op = op;
    op->req->busy = 0;
    op->req->status = 0;
    op->req->cap = n;
  }
  return op->req;
}

/* Queues the first n bytes of op's record with uv_write: 0 or an
 * error. */
static int op_queue(struct ac__stream_write_op *op, size_t n) {
  uv_buf_t b = uv_buf_init(op->req->data, (unsigned)n);
  int err = uv_write(&op->req->req, &op->s->h.stream, &b, 1, write_cb);
  if (err == 0)
    op->req->busy = 1;
  return err;
}

/* ---- write_all and writev ------------------------------------------------ */

/* Skips `n` written bytes of op's buffers. */
static void iov_advance(struct ac__stream_write_op *op, size_t n) {
  while (op->idx < op->iovcnt) {
    size_t left = op->iov[op->idx].iov_len - op->off;
    if (n < left) {
      op->off += n;
      return;
    }
    n -= left;
    op->idx++;
    op->off = 0;
  }
}

/* Fills `bufs` with what is left of op's buffers, from iov[idx]: their
 * number. */
static unsigned iov_bufs(const struct ac__stream_write_op *op, uv_buf_t *bufs,
                         size_t *total) {
  unsigned nb = 0;
  size_t off = op->off;
  *total = 0;
  for (int i = op->idx; i < op->iovcnt && nb < TRY_WRITE_BUFS; i++) {
    size_t len = op->iov[i].iov_len - off;
    if (len > TRY_WRITE_MAX - *total)
      len = TRY_WRITE_MAX - *total;
    if (len > 0)
      bufs[nb++] =
          uv_buf_init((char *)op->iov[i].iov_base + off, (unsigned)len);
    *total += len;
    off = 0;
    if (*total == TRY_WRITE_MAX)
      break;
  }
  return nb;
}

/* Copies up to `n` bytes of what is left of op's buffers into its record;
 * how many it copied. */
static size_t iov_copy(const struct ac__stream_write_op *op, size_t n) {
  size_t done = 0, off = op->off;
  for (int i = op->idx; i < op->iovcnt && done < n; i++) {
    size_t len = op->iov[i].iov_len - off;
    if (len > n - done)
      len = n - done;
    memcpy(op->req->data + done, (const char *)op->iov[i].iov_base + off, len);
    done += len;
    off = 0;
  }
  return done;
}

static ac_poll iov_finish(struct ac__stream_write_op *op, int *result,
                          int err) {
  op_end(op);
  *result = err;
  return AC_READY;
}

/* Hands the socket what it takes without waiting, then queues a copy of
 * the next chunk with uv_write. */
static ac_poll iov_more(struct ac__stream_write_op *op, int *result) {
  uv_stream_t *stream = &op->s->h.stream;
  uv_buf_t bufs[TRY_WRITE_BUFS];
  size_t total;
  unsigned nb;
  while ((nb = iov_bufs(op, bufs, &total)) > 0) {
    int r = uv_try_write(stream, bufs, nb);
    if (r == 0 || r == UV_EAGAIN)
      break;
    if (r < 0)
      return iov_finish(op, result, r);
    iov_advance(op, (size_t)r);
  }
  iov_advance(op, 0); /* Past empty buffers at the end. */
  if (op->idx == op->iovcnt)
    return iov_finish(op, result, 0);
  if (op_record(op, total) == NULL)
    return iov_finish(op, result, AC_ENOMEM);
  size_t n = iov_copy(op, op->req->cap);
  int err = op_queue(op, n);
  if (err != 0)
    return iov_finish(op, result, err);
  iov_advance(op, n);
  return AC_PENDING;
}

/* The poll of write_all and writev. */
static ac_poll iov_poll(struct ac__stream_write_op *op, int *result,
                        ac_cx *cx) {
  if (op->state == AC__OP_DONE)
    return AC_READY;
  op->task = cx->task;
  if (op->state == AC__OP_START) {
    int err = op_begin(op, cx);
    if (err != 0) {
      *result = err;
      return AC_READY;
    }
    return iov_more(op, result);
  }
  int err;
  if (op_status(op, &err))
    return iov_finish(op, result, err);
  if (err)
    return AC_PENDING;
  return iov_more(op, result);
}

static void iov_drop(struct ac__stream_write_op *op, int *result) {
  if (op->state == AC__OP_PENDING)
    iov_finish(op, result, AC_ECANCELED);
}

void ac_stream_write_all_init(struct ac_stream_write_all_frame *fr,
                              ac_stream *s, const void *buf, size_t len) {
  AC__DEBUG_USE(s, "ac_stream_write_all");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->buf = buf;
  fr->len = len;
  fr->result = 0;
}

ac_poll ac_stream_write_all_poll(void *frame, ac_cx *cx) {
  struct ac_stream_write_all_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_START) {
    if (fr->buf == NULL && fr->len > 0) {
      fr->op.s = NULL;
      return iov_finish(&fr->op, &fr->result, AC_EINVAL);
    }
    /* Set here, not in init: a frame may be copied before its first
     * poll, never after. */
    fr->one.iov_base = (void *)fr->buf;
    fr->one.iov_len = fr->len;
    fr->op.iov = &fr->one;
    fr->op.iovcnt = 1;
  }
  return iov_poll(&fr->op, &fr->result, cx);
}

void ac_stream_write_all_drop(void *frame) {
  struct ac_stream_write_all_frame *fr = frame;
  assert(fr != NULL);
  iov_drop(&fr->op, &fr->result);
}

void ac_stream_writev_init(struct ac_stream_writev_frame *fr, ac_stream *s,
                           const struct iovec *iov, int iovcnt) {
  AC__DEBUG_USE(s, "ac_stream_writev");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->iov = iov;
  fr->iovcnt = iovcnt;
  fr->result = 0;
}

ac_poll ac_stream_writev_poll(void *frame, ac_cx *cx) {
  struct ac_stream_writev_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_START) {
    int bad = fr->iovcnt < 0 || (fr->iov == NULL && fr->iovcnt > 0);
    for (int i = 0; !bad && i < fr->iovcnt; i++)
      bad = fr->iov[i].iov_base == NULL && fr->iov[i].iov_len > 0;
    if (bad) {
      fr->op.s = NULL;
      return iov_finish(&fr->op, &fr->result, AC_EINVAL);
    }
    fr->op.iov = fr->iov;
    fr->op.iovcnt = fr->iovcnt;
  }
  return iov_poll(&fr->op, &fr->result, cx);
}

void ac_stream_writev_drop(void *frame) {
  struct ac_stream_writev_frame *fr = frame;
  assert(fr != NULL);
  iov_drop(&fr->op, &fr->result);
}

/* ---- sendfile ------------------------------------------------------------ */

/* The most one sendfile(2) call is asked for: Linux sends at most about
 * 2 GiB at a time anyway. */
#define SENDFILE_MAX ((size_t)1 << 30)

void ac_stream_sendfile_init(struct ac_stream_sendfile_frame *fr, ac_stream *s,
                             int fd, int64_t offset, size_t len) {
  AC__DEBUG_USE(s, "ac_stream_sendfile");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->fd = fd;
  fr->offset = offset;
  fr->len = len;
  fr->sent = 0;
  fr->result = 0;
}

static ac_poll sendfile_finish(struct ac_stream_sendfile_frame *fr,
                               ptrdiff_t result) {
  op_end(&fr->op);
  fr->result = result;
  return AC_READY;
}

/* Reads the next chunk of the file into a record and queues it: the way
 * on when the socket is full or the descriptor is not one sendfile takes.
 * 1 if queued, 0 at the end of the file, or an error. */
static int sendfile_copy(struct ac_stream_sendfile_frame *fr) {
  size_t n = fr->len - fr->sent;
  if (op_record(&fr->op, n) == NULL)
    return AC_ENOMEM;
  if (n > fr->op.req->cap)
    n = fr->op.req->cap;
  ssize_t got;
  do
    got = pread(fr->fd, fr->op.req->data, n,
                (off_t)(fr->offset + (int64_t)fr->sent));
  while (got < 0 && errno == EINTR);
  if (got <= 0)
    return got == 0 ? 0 : uv_translate_sys_error(errno);
  int err = op_queue(&fr->op, (size_t)got);
  if (err != 0)
    return err;
  fr->sent += (size_t)got;
  return 1;
}

/* Sends what the socket takes, then waits for room with a copied chunk. */
static ac_poll sendfile_more(struct ac_stream_sendfile_frame *fr) {
  ac_stream *s = fr->op.s;
  int copy = uv_stream_get_write_queue_size(&s->h.stream) != 0;
  while (!copy && fr->sent < fr->len) {
    size_t n = fr->len - fr->sent;
    off_t off = (off_t)(fr->offset + (int64_t)fr->sent);
    ssize_t r =
        sendfile(s->fd, fr->fd, &off, n < SENDFILE_MAX ? n : SENDFILE_MAX);
    if (r > 0)
      fr->sent += (size_t)r;
    else if (r == 0)
      return sendfile_finish(fr, (ptrdiff_t)fr->sent); /* The file ended. */
    else if (errno == EAGAIN || errno == EINVAL || errno == ENOSYS)
      copy = 1;
    else if (errno != EINTR)
      return sendfile_finish(fr, uv_translate_sys_error(errno));
  }
  if (fr->sent == fr->len)
    return sendfile_finish(fr, (ptrdiff_t)fr->sent);
  int r = sendfile_copy(fr);
  if (r <= 0)
    return sendfile_finish(fr, r < 0 ? r : (ptrdiff_t)fr->sent);
  return AC_PENDING;
}

ac_poll ac_stream_sendfile_poll(void *frame, ac_cx *cx) {
  struct ac_stream_sendfile_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  fr->op.task = cx->task;
  if (fr->op.state == AC__OP_START) {
    int err = fr->fd < 0 || fr->offset < 0 ? AC_EINVAL : 0;
    if (err != 0)
      fr->op.s = NULL;
    if (err != 0 || (err = op_begin(&fr->op, cx)) != 0)
      return sendfile_finish(fr, err);
    if (fr->op.s->fd < 0)
      return sendfile_finish(fr, AC_EBADF);
    return sendfile_more(fr);
  }
  int err;
  if (op_status(&fr->op, &err))
    return sendfile_finish(fr, err);
  if (err)
    return AC_PENDING;
  return sendfile_more(fr);
}

void ac_stream_sendfile_drop(void *frame) {
  struct ac_stream_sendfile_frame *fr = frame;
  assert(fr != NULL);
  if (fr->op.state == AC__OP_PENDING)
    sendfile_finish(fr, AC_ECANCELED);
}

/* ---- shutdown ------------------------------------------------------------ */

static void shutdown_cb(uv_shutdown_t *req, int status) {
  ac_stream *s = ac__container_of(req, ac_stream, shutdown_req);
  struct ac_stream_shutdown_frame *fr = s->shutter;
  s->shutter = NULL;
  if (fr == NULL) /* The frame was dropped. */
    return;
  fr->s = NULL;
  fr->result = status;
  fr->state = AC__OP_DONE;
  ac_task_wake(fr->task);
}

void ac_stream_shutdown_init(struct ac_stream_shutdown_frame *fr,
                             ac_stream *s) {
  AC__DEBUG_USE(s, "ac_stream_shutdown");
  assert(fr != NULL);
  fr->s = s;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

ac_poll ac_stream_shutdown_poll(void *frame, ac_cx *cx) {
  struct ac_stream_shutdown_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  fr->task = cx->task;
  if (fr->state == AC__OP_PENDING)
    return AC_PENDING;
  ac_stream *s = fr->s;
  /* The request is embedded in the stream, which libuv lets have one
   * shutdown only: a second one is AC_ENOTCONN. */
  int err = s != NULL ? ac__stream_claim(s, cx) : AC_EINVAL;
  if (err == 0)
    err = uv_shutdown(&s->shutdown_req, &s->h.stream, shutdown_cb);
  if (err != 0) {
    fr->s = NULL;
    fr->result = err;
    fr->state = AC__OP_DONE;
    return AC_READY;
  }
  s->shutter = fr;
  fr->state = AC__OP_PENDING;
  return AC_PENDING;
}

/* The shutdown goes on; its callback finds no frame. */
void ac_stream_shutdown_drop(void *frame) {
  struct ac_stream_shutdown_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING && fr->s != NULL)
    fr->s->shutter = NULL;
  fr->s = NULL;
  fr->state = AC__OP_DONE;
}
