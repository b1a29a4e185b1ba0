/* fs.c -- files on libuv's thread pool: open, read, write, close, stat
 * and fstat.
 *
 * A pool thread may still be working on a request when its frame is
 * dropped, and libuv runs the request's callback later whatever happens.
 * So each request lives in a runtime record (struct ac__fs_req), with a
 * bounce buffer for the data: the pool thread reads into or writes from
 * the record, never from the caller's buffer, which may be gone.  Dropping
 * a pending future orphans its record and, when that loses nothing, asks
 * uv_cancel to stop the work before it starts; the callback frees an
 * orphaned record, closing the descriptor of an open nobody awaits any
 * more.  The loop's shutdown (loop.c) waits for such requests. */
#include <assert.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

struct ac__fs_req {
  uv_fs_t req;
  struct ac__fs_op *op; /* the frame's part, NULL once orphaned */
  int busy;             /* the request is in flight */
  char data[];          /* the bounce buffer of a read or write */
};

static void op_init(struct ac__fs_op *op) {
  op->req = NULL;
  op->task = NULL;
  op->state = AC__OP_START;
}

static void req_free(struct ac__fs_req *r) {
  uv_fs_req_cleanup(&r->req);
  ac__free(r);
}

/* Frees a request whose result nobody will read.  A descriptor an open
 * produced is closed at once: a close on the loop's thread is quick. */
static void req_discard(struct ac__fs_req *r) {
  if (r->req.fs_type == UV_FS_OPEN && r->req.result >= 0) {
    uv_fs_t close_req;
    uv_fs_close(r->req.loop, &close_req, (uv_file)r->req.result, NULL);
    uv_fs_req_cleanup(&close_req);
  }
  req_free(r);
}

static void fs_cb(uv_fs_t *req) {
  struct ac__fs_req *r = ac__container_of(req, struct ac__fs_req, req);
  r->busy = 0;
  if (r->op == NULL)
    req_discard(r);
  else
    ac_task_wake(r->op->task);
}

/* A record with `size` bytes of bounce buffer, owned by `op`. */
static struct ac__fs_req *req_new(struct ac__fs_op *op, size_t size) {
  struct ac__fs_req *r = ac__malloc(sizeof *r + size);
  if (r == NULL)
    return NULL;
  r->op = op;
  r->busy = 0;
  op->req = r;
  return r;
}

/* Records the outcome of submitting op's request: 0 if it is in flight,
 * else the error, with the record freed. */
static int op_submitted(struct ac__fs_op *op, int err) {
  if (err != 0) {
    req_free(op->req);
    op->req = NULL;
    return err;
  }
  op->req->busy = 1;
  op->state = AC__OP_PENDING;
  return 0;
}

/* 1 once op's request has completed; else registers the task to wake. */
static int op_ready(struct ac__fs_op *op, ac_cx *cx) {
  if (!op->req->busy)
    return 1;
  op->task = cx->task;
  return 0;
}

/* The poll of every operation: starts op's request at the first poll
 * with `submit` (0 or an error), then waits for it.  1 once there is an
 * outcome in *result, the request's result (its record is still there for
 * the caller to read, then op_release) or the error that stopped it; 0
 * while it is pending. */
static int op_outcome(struct ac__fs_op *op, int (*submit)(void *, ac_cx *),
                      void *frame, ac_cx *cx, ssize_t *result) {
  if (op->state == AC__OP_START) {
    struct ac__exec *ex;
    int err = ac__cx_exec(cx, &ex); /* The loop, which submit uses. */
    if (err == 0)
      err = submit(frame, cx);
    if (err != 0) {
      *result = err;
      return 1;
    }
  }
  if (!op_ready(op, cx))
    return 0;
  *result = op->req->req.result;
  return 1;
}

/* Frees op's completed request, whose result the caller has taken. */
static void op_release(struct ac__fs_op *op) {
  if (op->req != NULL)
    req_free(op->req);
  op->req = NULL;
  op->state = AC__OP_DONE;
}

/* The whole poll of an operation that yields the request's result as an
 * int: open and close. */
static ac_poll op_poll_int(struct ac__fs_op *op, int (*submit)(void *, ac_cx *),
                           void *frame, ac_cx *cx, int *result) {
  ssize_t n;
  if (op->state == AC__OP_DONE)
    return AC_READY;
  if (!op_outcome(op, submit, frame, cx, &n))
    return AC_PENDING;
  *result = (int)n;
  op_release(op);
  return AC_READY;
}

/* Abandons op's request: cancelled if `cancel` and it has not started,
 * freed by fs_cb when it completes, or freed now if it has. */
static void op_drop(struct ac__fs_op *op, int cancel) {
  struct ac__fs_req *r = op->req;
  op->req = NULL;
  op->state = AC__OP_DONE;
  if (r == NULL)
    return;
  if (!r->busy) {
    req_discard(r);
    return;
  }
  r->op = NULL;
  if (cancel)
    uv_cancel((uv_req_t *)&r->req); /* Fails if a thread has it: fine. */
}

/* The loop of cx's executor, which op_outcome has opened. */
static uv_loop_t *cx_loop(ac_cx *cx) {
  (void)cx;
  return &ac__exec_current()->loop;
}

int ac__test_fs_busy(const struct ac__fs_op *op) {
  return op->req != NULL && op->req->busy;
}

/* ---- open ---------------------------------------------------------------- */

void ac_fs_open_init(struct ac_fs_open_frame *fr, const char *path, int flags,
                     int mode) {
  assert(fr != NULL);
  fr->path = path;
  fr->flags = flags;
  fr->mode = mode;
  op_init(&fr->op);
  fr->result = 0;
}

static int open_submit(void *frame, ac_cx *cx) {
  struct ac_fs_open_frame *fr = frame;
  if (fr->path == NULL)
    return AC_EINVAL;
  struct ac__fs_req *r = req_new(&fr->op, 0);
  if (r == NULL)
    return AC_ENOMEM;
  /* libuv copies the path. */
  return op_submitted(&fr->op, uv_fs_open(cx_loop(cx), &r->req, fr->path,
                                          fr->flags, fr->mode, fs_cb));
}

ac_poll ac_fs_open_poll(void *frame, ac_cx *cx) {
  struct ac_fs_open_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  return op_poll_int(&fr->op, open_submit, fr, cx, &fr->result);
}

void ac_fs_open_drop(void *frame) {
  struct ac_fs_open_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 1);
}

/* ---- read ---------------------------------------------------------------- */

void ac_fs_read_init(struct ac_fs_read_frame *fr, int fd, void *buf, size_t len,
                     int64_t offset) {
  assert(fr != NULL);
  fr->fd = fd;
  fr->buf = buf;
  fr->len = len;
  fr->offset = offset;
  op_init(&fr->op);
  fr->result = 0;
}

static int read_submit(void *frame, ac_cx *cx) {
  struct ac_fs_read_frame *fr = frame;
  if (fr->buf == NULL)
    return AC_EINVAL;
  size_t n = fr->len < AC_FS_CHUNK ? fr->len : AC_FS_CHUNK;
  struct ac__fs_req *r = req_new(&fr->op, n);
  if (r == NULL)
    return AC_ENOMEM;
  uv_buf_t b = uv_buf_init(r->data, (unsigned)n);
  return op_submitted(&fr->op, uv_fs_read(cx_loop(cx), &r->req, fr->fd, &b, 1,
                                          fr->offset, fs_cb));
}

ac_poll ac_fs_read_poll(void *frame, ac_cx *cx) {
  struct ac_fs_read_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  ssize_t n = 0;
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  /* Reading nothing completes at once, without a request. */
  if (fr->op.state == AC__OP_START && fr->len == 0) {
    fr->result = 0;
    op_release(&fr->op);
    return AC_READY;
  }
  if (!op_outcome(&fr->op, read_submit, fr, cx, &n))
    return AC_PENDING;
  if (n > 0)
    memcpy(fr->buf, fr->op.req->data, (size_t)n);
  fr->result = (ptrdiff_t)n;
  op_release(&fr->op);
  return AC_READY;
}

void ac_fs_read_drop(void *frame) {
  struct ac_fs_read_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 1);
}

/* ---- write --------------------------------------------------------------- */

void ac_fs_write_init(struct ac_fs_write_frame *fr, int fd, const void *buf,
                      size_t len, int64_t offset) {
  assert(fr != NULL);
  fr->fd = fd;
  fr->buf = buf;
  fr->len = len;
  fr->offset = offset;
  fr->done = 0;
  op_init(&fr->op);
  fr->result = 0;
}

/* Submits the next chunk, in the record of the first one (sized for it:
 * later chunks are never bigger). */
static int write_submit(void *frame, ac_cx *cx) {
  struct ac_fs_write_frame *fr = frame;
  size_t n = fr->len - fr->done;
  if (n > AC_FS_CHUNK)
    n = AC_FS_CHUNK;
  struct ac__fs_req *r = fr->op.req;
  if (r != NULL)
    uv_fs_req_cleanup(&r->req); /* Of the previous chunk. */
  else if ((r = req_new(&fr->op, n)) == NULL)
    return AC_ENOMEM;
  memcpy(r->data, fr->buf + fr->done, n);
  uv_buf_t b = uv_buf_init(r->data, (unsigned)n);
  int64_t offset = fr->offset < 0 ? -1 : fr->offset + (int64_t)fr->done;
  return op_submitted(
      &fr->op, uv_fs_write(cx_loop(cx), &r->req, fr->fd, &b, 1, offset, fs_cb));
}

static ac_poll write_finish(struct ac_fs_write_frame *fr, ptrdiff_t result) {
  fr->result = result;
  op_release(&fr->op);
  return AC_READY;
}

ac_poll ac_fs_write_poll(void *frame, ac_cx *cx) {
  struct ac_fs_write_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  if (fr->op.state == AC__OP_START) {
    if (fr->buf == NULL && fr->len > 0)
      return write_finish(fr, AC_EINVAL);
    if (fr->len == 0)
      return write_finish(fr, 0);
  }
  for (;;) {
    ssize_t n;
    if (!op_outcome(&fr->op, write_submit, fr, cx, &n))
      return AC_PENDING;
    if (n < 0)
      return write_finish(fr, (ptrdiff_t)n);
    fr->done += (size_t)n;
    /* A write of 0 bytes would repeat forever: report what was written. */
    if (fr->done == fr->len || n == 0)
      return write_finish(fr, (ptrdiff_t)fr->done);
    fr->op.state = AC__OP_START; /* The next chunk, in the same record. */
  }
}

void ac_fs_write_drop(void *frame) {
  struct ac_fs_write_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 1);
}

/* ---- close --------------------------------------------------------------- */

void ac_fs_close_init(struct ac_fs_close_frame *fr, int fd) {
  assert(fr != NULL);
  fr->fd = fd;
  op_init(&fr->op);
  fr->result = 0;
}

static int close_submit(void *frame, ac_cx *cx) {
  struct ac_fs_close_frame *fr = frame;
  struct ac__fs_req *r = req_new(&fr->op, 0);
  if (r == NULL)
    return AC_ENOMEM;
  return op_submitted(&fr->op,
                      uv_fs_close(cx_loop(cx), &r->req, fr->fd, fs_cb));
}

ac_poll ac_fs_close_poll(void *frame, ac_cx *cx) {
  struct ac_fs_close_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  return op_poll_int(&fr->op, close_submit, fr, cx, &fr->result);
}

/* A dropped close still closes the descriptor: it is not cancelled, so
 * that the descriptor is never left open by accident. */
void ac_fs_close_drop(void *frame) {
  struct ac_fs_close_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 0);
}

/* ---- stat and fstat ------------------------------------------------------ */

/* libuv's uv_stat_t as stat(2)'s struct stat, field by field. */
static void stat_copy(struct stat *st, const uv_stat_t *u) {
  memset(st, 0, sizeof *st);
  st->st_dev = (dev_t)u->st_dev;
  st->st_ino = (ino_t)u->st_ino;
  st->st_mode = (mode_t)u->st_mode;
  st->st_nlink = (nlink_t)u->st_nlink;
  st->st_uid = (uid_t)u->st_uid;
  st->st_gid = (gid_t)u->st_gid;
  st->st_rdev = (dev_t)u->st_rdev;
  st->st_size = (off_t)u->st_size;
  st->st_blksize = (blksize_t)u->st_blksize;
  st->st_blocks = (blkcnt_t)u->st_blocks;
  st->st_atim.tv_sec = (time_t)u->st_atim.tv_sec;
  st->st_atim.tv_nsec = (long)u->st_atim.tv_nsec;
  st->st_mtim.tv_sec = (time_t)u->st_mtim.tv_sec;
  st->st_mtim.tv_nsec = (long)u->st_mtim.tv_nsec;
  st->st_ctim.tv_sec = (time_t)u->st_ctim.tv_sec;
  st->st_ctim.tv_nsec = (long)u->st_ctim.tv_nsec;
}

/* The poll of both: the status is copied out on the loop's thread, at
 * completion, so a pool thread never writes the caller's struct. */
static ac_poll stat_poll(struct ac__fs_op *op, int (*submit)(void *, ac_cx *),
                         void *frame, struct stat *st, ac_cx *cx, int *result) {
  ssize_t n;
  if (op->state == AC__OP_DONE)
    return AC_READY;
  if (!op_outcome(op, submit, frame, cx, &n))
    return AC_PENDING;
  if (n == 0)
    stat_copy(st, &op->req->req.statbuf);
  *result = (int)n;
  op_release(op);
  return AC_READY;
}

void ac_fs_stat_init(struct ac_fs_stat_frame *fr, const char *path,
                     struct stat *st) {
  assert(fr != NULL);
  fr->path = path;
  fr->st = st;
  op_init(&fr->op);
  fr->result = 0;
}

static int stat_submit(void *frame, ac_cx *cx) {
  struct ac_fs_stat_frame *fr = frame;
  if (fr->path == NULL || fr->st == NULL)
    return AC_EINVAL;
  struct ac__fs_req *r = req_new(&fr->op, 0);
  if (r == NULL)
    return AC_ENOMEM;
  return op_submitted(&fr->op,
                      uv_fs_stat(cx_loop(cx), &r->req, fr->path, fs_cb));
}

ac_poll ac_fs_stat_poll(void *frame, ac_cx *cx) {
  struct ac_fs_stat_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  return stat_poll(&fr->op, stat_submit, fr, fr->st, cx, &fr->result);
}

void ac_fs_stat_drop(void *frame) {
  struct ac_fs_stat_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 1);
}

void ac_fs_fstat_init(struct ac_fs_fstat_frame *fr, int fd, struct stat *st) {
  assert(fr != NULL);
  fr->fd = fd;
  fr->st = st;
  op_init(&fr->op);
  fr->result = 0;
}

static int fstat_submit(void *frame, ac_cx *cx) {
  struct ac_fs_fstat_frame *fr = frame;
  if (fr->st == NULL)
    return AC_EINVAL;
  struct ac__fs_req *r = req_new(&fr->op, 0);
  if (r == NULL)
    return AC_ENOMEM;
  return op_submitted(&fr->op,
                      uv_fs_fstat(cx_loop(cx), &r->req, fr->fd, fs_cb));
}

ac_poll ac_fs_fstat_poll(void *frame, ac_cx *cx) {
  struct ac_fs_fstat_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  return stat_poll(&fr->op, fstat_submit, fr, fr->st, cx, &fr->result);
}

void ac_fs_fstat_drop(void *frame) {
  struct ac_fs_fstat_frame *fr = frame;
  assert(fr != NULL);
  op_drop(&fr->op, 1);
}
