/* stream.c -- byte streams: the object, its read buffer and plain reads.
 *
 * A stream wraps a libuv stream handle: a uv_tcp_t for TCP, a uv_pipe_t
 * for Unix-domain sockets and child processes' pipes.  Everything read,
 * written and closed goes through uv_stream_t, so one implementation
 * serves every transport (reader.c: buffered reads; write.c: writes).
 *
 * libuv's streams push: once uv_read_start is called, data arrives in
 * callbacks whether or not a read is being awaited.  alloc_cb chooses
 * where it lands.  If a read is pending with memory of the caller's
 * (ac_stream_read, ac_stream_read_exact) and nothing is buffered, libuv
 * reads straight into that memory: the kernel's copy is the only one.
 * Otherwise it lands in the stream's buffer (allocated when first
 * needed), where reads copy it from, or where read_until and peek hand
 * out pointers into it.  Reading stops while the buffer is full, and
 * resumes when a read makes room: the kernel's receive window then fills
 * and the peer's writes wait (backpressure).
 *
 * A frame may be dropped at any time, but a libuv request cannot be
 * recalled once started and a handle may only be freed in its close
 * callback.  So nothing libuv holds lives in a frame: the connect and
 * shutdown requests are embedded in the stream, which is freed by its
 * close callback, and libuv runs that only after every request of the
 * stream has had its callback.  The stream points back to its one pending
 * read and write, so that closing it completes them with AC_ECANCELED;
 * frames unlink themselves when dropped.  alloc_cb and read_cb run back
 * to back inside uv_run, where no frame can be dropped, so memory of a
 * pending read's frame that alloc_cb hands to libuv is still there when
 * read_cb fills it.
 *
 * Threaded flavour: a handle may only be used from its loop's thread.  An
 * accepted stream is bound to no loop yet: listener.c takes its socket out
 * of the listener's loop, and the first operation on it opens it on the
 * loop of the worker that runs that operation, so a server's
 * per-connection tasks may land on any worker.  Once bound, other
 * workers' operations fail with AC_EXDEV and their closes are routed to
 * the owner (ac__run_on). */
#include <assert.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* uv_buf_t lengths are unsigned int. */
#define UV_BUF_MAX (1u << 30)

static unsigned buf_len(size_t n) {
  return (unsigned)(n < UV_BUF_MAX ? n : UV_BUF_MAX);
}

/* ---- The object ---------------------------------------------------------- */

/* A stream with no socket and no handle yet. */
static ac_stream *stream_alloc(int kind) {
  ac_stream *s = ac__malloc(sizeof *s);
  if (s == NULL)
    return NULL;
  memset(s, 0, sizeof *s);
  s->fd = -1;
  s->kind = kind;
  s->cap = AC_STREAM_BUFFER;
  return s;
}

void ac__handle_init(union ac__stream_handle *h, int kind, uv_loop_t *loop,
                     void *data) {
  if (kind == AC__STREAM_TCP)
    uv_tcp_init(loop, &h->tcp); /* Cannot fail without a domain. */
  else
    uv_pipe_init(loop, &h->pipe, 0);
  h->handle.data = data;
}

int ac__handle_open(union ac__stream_handle *h, int kind, int fd) {
  return kind == AC__STREAM_TCP ? uv_tcp_open(&h->tcp, fd)
                                : uv_pipe_open(&h->pipe, fd);
}

ac_stream *ac__stream_new(struct ac__exec *ex, int kind) {
  ac_stream *s = stream_alloc(kind);
  if (s == NULL)
    return NULL;
  ac__handle_init(&s->h, kind, &ex->loop, s);
  atomic_init(&s->owner, ex);
  return s;
}

ac_stream *ac__stream_unbound(int kind, int fd) {
  ac_stream *s = stream_alloc(kind);
  if (s != NULL)
    s->fd = fd;
  return s;
}

void ac__stream_take_fd(ac_stream *s) {
  uv_os_fd_t fd;
  if (uv_fileno(&s->h.handle, &fd) == 0)
    s->fd = fd;
}

/* Binds the unbound stream s to ex's loop: opens its socket there. */
static int stream_bind_loop(ac_stream *s, struct ac__exec *ex) {
  ac__handle_init(&s->h, s->kind, &ex->loop, s);
  int err = ac__handle_open(&s->h, s->kind, s->fd);
  if (err != 0) {
    close(s->fd);
    s->fd = -1;
    s->rerr = err; /* Every read reports it; writes find no socket. */
  }
  return err;
}

/* The first worker to bind s wins. */
int ac__stream_claim(ac_stream *s, ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  struct ac__exec *owner =
      atomic_load_explicit(&s->owner, memory_order_acquire);
  if (owner == ex)
    return 0;
  if (owner != NULL || !atomic_compare_exchange_strong(&s->owner, &owner, ex))
    return AC_EXDEV;
  return stream_bind_loop(s, ex);
}

/* Frees s, or keeps it for the checks of ASYNCC_DEBUG (debug.c). */
static void stream_free(ac_stream *s) {
  ac__free(s->buf);
  s->buf = NULL;
  if (ac__debugging())
    ac__debug_keep(s);
  else
    ac__free(s);
}

static void stream_close_cb(uv_handle_t *handle) { stream_free(handle->data); }

/* Detaches and wakes the pending frames: their next poll completes them
 * with AC_ECANCELED (or the outcome of a write request still in flight,
 * whose callback libuv runs, with UV_ECANCELED, before stream_close_cb). */
static void stream_detach(ac_stream *s) {
  if (s->reader != NULL) {
    s->reader->s = NULL;
    ac_task_wake(s->reader->task);
    s->reader = NULL;
  }
  if (s->writer != NULL) {
    s->writer->s = NULL;
    ac_task_wake(s->writer->task);
    s->writer = NULL;
  }
  s->connect_task = NULL;
}

/* Closes s on its owner's thread.  libuv refuses a reset after a
 * shutdown, and on a pipe; the stream is then closed normally. */
static void stream_close_now(ac_stream *s) {
  stream_detach(s);
  if (!s->reset || s->kind != AC__STREAM_TCP ||
      uv_tcp_close_reset(&s->h.tcp, stream_close_cb) != 0)
    uv_close(&s->h.handle, stream_close_cb);
}

static void stream_close_routed(struct ac__deferred *d) {
  stream_close_now(ac__container_of(d, ac_stream, close_work));
}

/* The first close wins.  A bound stream is closed by its owner; an
 * unbound one on this thread's loop, or at once with no loop here. */
static void stream_close(ac_stream *s, int reset) {
  if (s == NULL || atomic_exchange(&s->closing, 1))
    return;
  s->reset = reset;
  struct ac__exec *here = ac__loop_here(), *owner = NULL;
  if (here == NULL)
    owner = atomic_load_explicit(&s->owner, memory_order_acquire);
  else if (atomic_compare_exchange_strong(&s->owner, &owner, here))
    owner = here, stream_bind_loop(s, here); /* closed below, on this loop */
  if (owner == NULL) {
    if (s->fd >= 0) {
      if (reset && s->kind == AC__STREAM_TCP) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      }
      close(s->fd);
    }
    stream_free(s);
  } else if (owner == ac__exec_current()) {
    stream_close_now(s);
  } else {
    s->close_work.fn = stream_close_routed;
    ac__run_on(owner, &s->close_work);
  }
}

void ac_stream_close(ac_stream *s) { stream_close(s, 0); }

void ac_stream_close_reset(ac_stream *s) { stream_close(s, 1); }

size_t ac__test_stream_buffered(const ac_stream *s) {
  return s->end - s->start;
}

int ac__test_stream_reading(const ac_stream *s) { return s->reading; }

int ac__test_stream_has_buffer(const ac_stream *s) { return s->buf != NULL; }

/* ---- Options and addresses ----------------------------------------------- */

int ac_stream_fileno(const ac_stream *s) {
  AC__DEBUG_USE(s, "ac_stream_fileno");
  if (s == NULL)
    return AC_EINVAL;
  if (atomic_load(&s->closing) || s->fd < 0)
    return AC_EBADF;
  return s->fd;
}

/* The descriptor of a TCP stream, or an error. */
static int tcp_fd(const ac_stream *s) {
  int fd = ac_stream_fileno(s);
  return fd >= 0 && s->kind != AC__STREAM_TCP ? AC_EINVAL : fd;
}

int ac_tcp_set_nodelay(ac_stream *s, int enable) {
  AC__DEBUG_USE(s, "ac_tcp_set_nodelay");
  int fd = tcp_fd(s);
  return fd < 0 ? fd : ac__tcp_nodelay(fd, enable);
}

int ac_tcp_set_keepalive(ac_stream *s, int enable, unsigned delay_s) {
  AC__DEBUG_USE(s, "ac_tcp_set_keepalive");
  int fd = tcp_fd(s);
  return fd < 0 ? fd : ac__tcp_keepalive(fd, enable, delay_s);
}

static int stream_addr(const ac_stream *s, struct sockaddr_storage *out,
                       int peer) {
  int fd = ac_stream_fileno(s);
  if (out == NULL)
    return AC_EINVAL;
  return fd < 0 ? fd : ac__fd_addr(fd, out, peer);
}

int ac_stream_local_addr(const ac_stream *s, struct sockaddr_storage *out) {
  AC__DEBUG_USE(s, "ac_stream_local_addr");
  return stream_addr(s, out, 0);
}

int ac_stream_peer_addr(const ac_stream *s, struct sockaddr_storage *out) {
  AC__DEBUG_USE(s, "ac_stream_peer_addr");
  return stream_addr(s, out, 1);
}

/* ---- connect ------------------------------------------------------------- */

static void connect_cb(uv_connect_t *req, int status) {
  ac_stream *s = ac__container_of(req, ac_stream, connect_req);
  s->connecting = 0;
  s->connect_status = status;
  if (status == 0)
    ac__stream_take_fd(s);
  ac_task_wake(s->connect_task);
}

ac_poll ac__connect_poll(int kind, ac__connect_fn start, const void *arg,
                         ac_stream **out, ac_stream **conn, int *state,
                         int *result, ac_cx *cx) {
  if (*state == AC__OP_DONE)
    return AC_READY;
  if (*state == AC__OP_START) {
    int err = arg == NULL || out == NULL ? AC_EINVAL : 0;
    struct ac__exec *ex = NULL;
    if (err == 0)
      err = ac__cx_exec(cx, &ex);
    ac_stream *s = NULL;
    if (err == 0)
      ac__ignore_sigpipe(); /* accepted streams: their listener did */
    if (err == 0 && (s = ac__stream_new(ex, kind)) == NULL)
      err = AC_ENOMEM;
    if (err == 0 && (err = start(s, arg, connect_cb)) != 0)
      ac_stream_close(s);
    if (err != 0) {
      *result = err;
      *state = AC__OP_DONE;
      return AC_READY;
    }
    s->connecting = 1;
    *conn = s;
    *state = AC__OP_PENDING;
  }
  ac_stream *s = *conn;
  if (s->connecting) {
    s->connect_task = cx->task;
    return AC_PENDING;
  }
  *conn = NULL;
  s->connect_task = NULL;
  *result = s->connect_status;
  if (s->connect_status < 0)
    ac_stream_close(s);
  else
    *out = s;
  *state = AC__OP_DONE;
  return AC_READY;
}

/* A stream still connecting is closed: libuv then runs connect_cb with
 * UV_ECANCELED, which wakes nobody, and frees it afterwards. */
void ac__connect_drop(ac_stream **conn, int *state) {
  if (*conn != NULL)
    ac_stream_close(*conn);
  *conn = NULL;
  *state = AC__OP_DONE;
}

/* ---- The read buffer ----------------------------------------------------- */

static void read_stop(ac_stream *s) {
  if (s->reading)
    uv_read_stop(&s->h.stream);
  s->reading = 0;
}

/* Straight into the pending read's memory when it wants some and nothing
 * is buffered ahead of it; else at the buffer's end.  A buffer that
 * cannot be allocated makes libuv report UV_ENOBUFS. */
static void alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  ac_stream *s = handle->data;
  struct ac__stream_read_op *r = s->reader;
  (void)suggested;
  if (r != NULL && r->direct != NULL && r->got < r->want &&
      s->start == s->end) {
    *buf = uv_buf_init(r->direct + r->got, buf_len(r->want - r->got));
    return;
  }
  if (s->buf == NULL && (s->buf = ac__malloc(s->cap)) == NULL) {
    *buf = uv_buf_init(NULL, 0);
    return;
  }
  /* Reading stops as soon as the buffer is full (read_cb). */
  assert(s->end < s->cap);
  *buf = uv_buf_init(s->buf + s->end, buf_len(s->cap - s->end));
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  ac_stream *s = stream->data;
  struct ac__stream_read_op *r = s->reader;
  if (nread == 0) /* EAGAIN: nothing was read. */
    return;
  if (nread == UV_ENOBUFS) {
    read_stop(s);
    s->nobufs = 1;
  } else if (nread < 0) {
    s->rerr = (int)nread;
    read_stop(s);
  } else if (r != NULL && r->direct != NULL &&
             buf->base == r->direct + r->got) {
    r->got += (size_t)nread;
  } else {
    s->end += (size_t)nread;
    if (s->end == s->cap)
      read_stop(s); /* Full: backpressure until a read takes some. */
  }
  if (r != NULL)
    ac_task_wake(r->task);
}

int ac__buffer_alloc(ac_stream *s) {
  if (s->buf == NULL && (s->buf = ac__malloc(s->cap)) == NULL)
    return AC_ENOMEM;
  return 0;
}

void ac__buffer_compact(ac_stream *s) {
  if (s->start > 0)
    memmove(s->buf, s->buf + s->start, s->end - s->start);
  s->end -= s->start;
  s->pin = s->start = 0;
}

void ac__buffer_reclaim(ac_stream *s) {
  if (s->pin == s->start && (s->start == s->end || s->end == s->cap))
    ac__buffer_compact(s);
}

void ac__read_start(ac_stream *s) {
  if (s->reading || s->rerr != 0 || (s->buf != NULL && s->end == s->cap))
    return;
  int err = uv_read_start(&s->h.stream, alloc_cb, read_cb);
  if (err != 0)
    s->rerr = err;
  else
    s->reading = 1;
}

int ac__read_begin(struct ac__stream_read_op *op, ac_cx *cx) {
  ac_stream *s = op->s;
  if (s == NULL)
    return AC_EINVAL;
  int err = ac__stream_claim(s, cx);
  if (err == 0 && s->reader != NULL)
    err = AC_EBUSY;
  if (err != 0) {
    op->s = NULL;
    return err;
  }
  s->reader = op;
  op->state = AC__OP_PENDING;
  /* What the last operation handed out may move from now on, to make
   * room if the buffer is full. */
  s->pin = s->start;
  ac__buffer_reclaim(s);
  return 0;
}

ac_poll ac__read_end(struct ac__stream_read_op *op) {
  if (op->s != NULL && op->s->reader == op)
    op->s->reader = NULL;
  op->s = NULL;
  op->direct = NULL;
  op->state = AC__OP_DONE;
  return AC_READY;
}

/* ---- read ---------------------------------------------------------------- */

static void read_op_init(struct ac__stream_read_op *op, ac_stream *s) {
  op->s = s;
  op->task = NULL;
  op->direct = NULL;
  op->want = op->got = 0;
  op->state = AC__OP_START;
}

void ac_stream_read_init(struct ac_stream_read_frame *fr, ac_stream *s,
                         void *buf, size_t len) {
  AC__DEBUG_USE(s, "ac_stream_read");
  assert(fr != NULL);
  read_op_init(&fr->op, s);
  fr->buf = buf;
  fr->len = len;
  fr->result = 0;
}

static ac_poll read_finish(struct ac_stream_read_frame *fr, ptrdiff_t result) {
  fr->result = result;
  return ac__read_end(&fr->op);
}

/* Moves up to fr->len buffered bytes to the caller. */
static size_t read_take(struct ac_stream_read_frame *fr) {
  ac_stream *s = fr->op.s;
  size_t n = s->end - s->start;
  if (n > fr->len)
    n = fr->len;
  memcpy(fr->buf, s->buf + s->start, n);
  s->pin = s->start += n; /* Copied out: nothing is handed out. */
  return n;
}

ac_poll ac_stream_read_poll(void *frame, ac_cx *cx) {
  struct ac_stream_read_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  if (fr->op.state == AC__OP_START) {
    int err = fr->buf == NULL && fr->len > 0 ? AC_EINVAL
                                             : ac__read_begin(&fr->op, cx);
    if (err != 0)
      return read_finish(fr, err);
    if (fr->len == 0)
      return read_finish(fr, 0);
  }
  ac_stream *s = fr->op.s;
  if (s == NULL) /* The stream was closed. */
    return read_finish(fr, AC_ECANCELED);
  if (fr->op.got > 0)
    return read_finish(fr, (ptrdiff_t)fr->op.got);
  if (s->end > s->start) {
    ptrdiff_t n = (ptrdiff_t)read_take(fr);
    ac__buffer_reclaim(s); /* Room again, if reading had stopped. */
    ac__read_start(s);
    return read_finish(fr, n);
  }
  if (s->nobufs) {
    s->nobufs = 0;
    return read_finish(fr, AC_ENOMEM);
  }
  if (s->rerr != 0)
    return read_finish(fr, s->rerr == UV_EOF ? 0 : s->rerr);
  fr->op.direct = fr->buf;
  fr->op.want = fr->len;
  fr->op.task = cx->task;
  ac__read_start(s);
  return AC_PENDING;
}

void ac_stream_read_drop(void *frame) {
  struct ac_stream_read_frame *fr = frame;
  assert(fr != NULL);
  if (fr->op.state == AC__OP_PENDING)
    read_finish(fr, AC_ECANCELED);
}
