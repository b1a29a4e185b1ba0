/* tcp.c -- TCP listeners and connections as futures.
 *
 * libuv's streams push: once uv_read_start is called, data arrives in
 * callbacks whether or not a read is being awaited.  So a connection owns a
 * read buffer (AC_TCP_READ_BUFFER bytes, allocated at the first read): the
 * read callback appends to it, ac_tcp_read takes from it, and reading stops
 * while the buffer is full and resumes when a read frees space.  The
 * kernel's receive window then fills and the peer's writes wait
 * (backpressure).
 *
 * A frame may be dropped at any time, but a libuv request cannot be
 * recalled once started and a handle may only be freed in its close
 * callback.  So nothing libuv holds lives in a frame.  The connect and
 * shutdown requests are embedded in the connection, which is freed by its
 * close callback, and libuv runs that only after every request of the
 * stream has had its callback (with UV_ECANCELED if need be).  A write's
 * bytes that the socket does not take at once are copied into a record
 * that stays alive until its callback runs; a dropped write just unlinks
 * itself from it.  Listeners and connections point back to their one
 * pending accept, read or write frame, so that closing them completes it
 * with AC_ECANCELED; frames unlink themselves when dropped.
 *
 * Threaded flavour: a handle may only be used from its loop's thread.  A
 * listener stays on the worker that made it.  An accepted connection is
 * bound to no loop yet: its socket is taken out of the listener's loop
 * (accepted into a temporary handle, duplicated, the handle closed) and
 * the first operation on it opens it on the loop of the worker that runs
 * that operation, so a server's per-connection tasks may land on any
 * worker.  Once bound, other workers' operations fail with AC_EXDEV and
 * their closes are routed to the owner (ac__run_on). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

struct ac_tcp_listener {
  uv_tcp_t handle;
  struct ac__exec *owner;               /* whose loop has the handle */
  struct ac__deferred close_work;       /* a close from another worker */
  atomic_int closing;                   /* a close was asked for */
  struct ac_tcp_accept_frame *acceptor; /* the pending accept, or NULL */
  int ready; /* libuv holds a connection for uv_accept */
  int err;   /* a listen error for the next accept, or 0 */
};

struct ac_tcp {
  uv_tcp_t handle; /* initialised once bound */
  /* The worker whose loop has the handle; NULL while an accepted socket
   * is not bound yet (it is then in `fd`). */
  _Atomic(struct ac__exec *) owner;
  int fd;
  atomic_int closing;             /* a close was asked for */
  int reset;                      /* the close asked for is a reset */
  struct ac__deferred close_work; /* a close from another worker */
  uv_connect_t connect_req;
  uv_shutdown_t shutdown_req;
  ac_task *connect_task; /* to wake when connected; NULL once dropped */
  int connecting;        /* connect_req is in flight */
  int connect_status;
  struct ac_tcp_read_frame *reader;      /* the pending read, or NULL */
  struct ac_tcp_write_all_frame *writer; /* the pending write, or NULL */
  struct ac_tcp_shutdown_frame *shutter; /* the pending shutdown, or NULL */
  char *buf;         /* AC_TCP_READ_BUFFER bytes, or NULL before a read */
  size_t start, end; /* buffered bytes are buf[start, end) */
  int rerr;          /* 0, or UV_EOF or the read error: sticky */
  int reading;       /* uv_read_start is in effect */
};

/* The unsent part of a write, at most WRITE_CHUNK bytes, for uv_write. */
struct ac__tcp_write {
  uv_write_t req;
  struct ac_tcp_write_all_frame *fr; /* NULL once the frame is dropped */
  int busy;                          /* uv_write is in flight */
  int status;                        /* of the last uv_write */
  char data[];
};

#define WRITE_CHUNK (64 * 1024)
/* uv_buf_t lengths are unsigned int and uv_try_write returns an int. */
#define TRY_WRITE_MAX (1u << 30)

/* Writing to a peer that has gone would raise SIGPIPE, whose default
 * action ends the process; with the signal ignored, the write fails with
 * EPIPE instead.  A handler or disposition the program chose is kept. */
static void ignore_sigpipe(void) {
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL ||
      (sa.sa_flags & SA_SIGINFO))
    return;
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
}

/* Parses a numeric IPv4 or IPv6 address and a port into `ss`. */
static int parse_addr(const char *ip, int port, struct sockaddr_storage *ss) {
  if (ip == NULL || port < 0 || port > 65535)
    return AC_EINVAL;
  memset(ss, 0, sizeof *ss);
  if (uv_ip4_addr(ip, port, (struct sockaddr_in *)ss) == 0)
    return 0;
  if (uv_ip6_addr(ip, port, (struct sockaddr_in6 *)ss) == 0)
    return 0;
  return AC_EINVAL;
}

/* ---- Connections --------------------------------------------------------- */

/* A connection with no socket and no handle yet. */
static ac_tcp *tcp_alloc(void) {
  ac_tcp *c = ac__malloc(sizeof *c);
  if (c == NULL)
    return NULL;
  memset(c, 0, sizeof *c);
  c->fd = -1;
  ignore_sigpipe();
  return c;
}

/* A connection whose handle is on ex's loop. */
static ac_tcp *tcp_new(struct ac__exec *ex) {
  ac_tcp *c = tcp_alloc();
  if (c == NULL)
    return NULL;
  uv_tcp_init(&ex->loop, &c->handle); /* Cannot fail without a domain. */
  c->handle.data = c;
  atomic_init(&c->owner, ex);
  return c;
}

/* Binds the unbound connection c to ex's loop: opens its socket there. */
static int tcp_bind_loop(ac_tcp *c, struct ac__exec *ex) {
  uv_tcp_init(&ex->loop, &c->handle);
  c->handle.data = c;
  int err = uv_tcp_open(&c->handle, c->fd);
  if (err != 0) {
    close(c->fd);
    c->rerr = err; /* Every read reports it; writes find no socket. */
  }
  c->fd = -1;
  return err;
}

/* Whether cx's task may use c: 0 if c is on its worker's loop (binding
 * it there first if it was on none), AC_EXDEV if it is on another's, or
 * the error of binding it.  The first worker to bind c wins. */
static int tcp_claim(ac_tcp *c, ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  struct ac__exec *owner =
      atomic_load_explicit(&c->owner, memory_order_acquire);
  if (owner == ex)
    return 0;
  if (owner != NULL || !atomic_compare_exchange_strong(&c->owner, &owner, ex))
    return AC_EXDEV;
  return tcp_bind_loop(c, ex);
}

static void tcp_close_cb(uv_handle_t *handle) {
  ac_tcp *c = handle->data;
  ac__free(c->buf);
  ac__free(c);
}

/* Detaches and wakes the pending frames: their next poll completes them
 * with AC_ECANCELED (or the outcome of a write request still in flight,
 * whose callback libuv runs, with UV_ECANCELED, before tcp_close_cb). */
static void tcp_detach(ac_tcp *c) {
  if (c->reader != NULL) {
    c->reader->conn = NULL;
    ac_task_wake(c->reader->task);
    c->reader = NULL;
  }
  if (c->writer != NULL) {
    c->writer->conn = NULL;
    ac_task_wake(c->writer->task);
    c->writer = NULL;
  }
  c->connect_task = NULL;
}

/* Closes c on its owner's thread.  libuv refuses a reset after a
 * shutdown; the connection is then closed normally. */
static void tcp_close_now(ac_tcp *c) {
  tcp_detach(c);
  if (!c->reset || uv_tcp_close_reset(&c->handle, tcp_close_cb) != 0)
    uv_close((uv_handle_t *)&c->handle, tcp_close_cb);
}

static void tcp_close_routed(struct ac__deferred *d) {
  tcp_close_now(ac__container_of(d, ac_tcp, close_work));
}

/* The first close wins.  An unbound connection has only its socket; a
 * bound one is closed by its owner. */
static void tcp_close(ac_tcp *c, int reset) {
  if (c == NULL || atomic_exchange(&c->closing, 1))
    return;
  c->reset = reset;
  struct ac__exec *owner =
      atomic_load_explicit(&c->owner, memory_order_acquire);
  if (owner == NULL) {
    if (c->fd < 0) { /* Its accept failed. */
      ac__free(c);
      return;
    }
    if (reset) {
      struct linger lg = {.l_onoff = 1, .l_linger = 0};
      setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(c->fd);
    ac__free(c);
  } else if (owner == ac__exec_current()) {
    tcp_close_now(c);
  } else {
    c->close_work.fn = tcp_close_routed;
    ac__run_on(owner, &c->close_work);
  }
}

void ac_tcp_close(ac_tcp *c) { tcp_close(c, 0); }

void ac_tcp_close_reset(ac_tcp *c) { tcp_close(c, 1); }

size_t ac__test_tcp_buffered(const ac_tcp *c) { return c->end - c->start; }

int ac__test_tcp_reading(const ac_tcp *c) { return c->reading; }

/* ---- Listeners ----------------------------------------------------------- */

static void listener_close_cb(uv_handle_t *handle) { ac__free(handle->data); }

static void connection_cb(uv_stream_t *server, int status) {
  ac_tcp_listener *l = server->data;
  if (status < 0)
    l->err = status;
  else
    l->ready = 1;
  if (l->acceptor != NULL)
    ac_task_wake(l->acceptor->task);
}

static void listener_close_now(ac_tcp_listener *l) {
  if (l->acceptor != NULL) {
    l->acceptor->l = NULL;
    ac_task_wake(l->acceptor->task);
    l->acceptor = NULL;
  }
  uv_close((uv_handle_t *)&l->handle, listener_close_cb);
}

static void listener_close_routed(struct ac__deferred *d) {
  listener_close_now(ac__container_of(d, ac_tcp_listener, close_work));
}

int ac_tcp_listen(const char *ip, int port, int backlog,
                  ac_tcp_listener **out) {
  if (out == NULL || backlog < 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  int err = parse_addr(ip, port, &ss);
  struct ac__exec *ex = ac__exec_current();
  if (err == 0)
    err = ac__loop_open(ex);
  if (err != 0)
    return err;
  ac_tcp_listener *l = ac__malloc(sizeof *l);
  if (l == NULL)
    return AC_ENOMEM;
  memset(l, 0, sizeof *l);
  uv_tcp_init(&ex->loop, &l->handle);
  l->handle.data = l;
  l->owner = ex;
  ignore_sigpipe();
  err = uv_tcp_bind(&l->handle, (const struct sockaddr *)&ss, 0);
  /* libuv may report a bind error (EADDRINUSE) only when listening. */
  if (err == 0)
    err = uv_listen((uv_stream_t *)&l->handle, backlog, connection_cb);
  if (err != 0) {
    uv_close((uv_handle_t *)&l->handle, listener_close_cb);
    return err;
  }
  *out = l;
  return 0;
}

int ac_tcp_listener_port(const ac_tcp_listener *l) {
  if (l == NULL)
    return AC_EINVAL;
  struct sockaddr_storage ss;
  int len = (int)sizeof ss;
  int err = uv_tcp_getsockname(&l->handle, (struct sockaddr *)&ss, &len);
  if (err != 0)
    return err;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

void ac_tcp_listener_close(ac_tcp_listener *l) {
  if (l == NULL || atomic_exchange(&l->closing, 1))
    return;
  if (l->owner == ac__exec_current()) {
    listener_close_now(l);
  } else {
    l->close_work.fn = listener_close_routed;
    ac__run_on(l->owner, &l->close_work);
  }
}

/* ---- accept -------------------------------------------------------------- */

void ac_tcp_accept_init(struct ac_tcp_accept_frame *fr, ac_tcp_listener *l,
                        ac_tcp **out) {
  assert(fr != NULL);
  fr->l = l;
  fr->out = out;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll accept_finish(struct ac_tcp_accept_frame *fr, int result) {
  if (fr->l != NULL && fr->l->acceptor == fr)
    fr->l->acceptor = NULL;
  fr->l = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

static void free_handle_cb(uv_handle_t *h) { ac__free(h); }

/* Threaded flavour: accepts into a temporary handle on the listener's loop
 * and keeps a duplicate of its socket in c->fd, unbound (see the top). */
static int accept_unbound(ac_tcp_listener *l, ac_tcp *c) {
  uv_tcp_t *tmp = ac__malloc(sizeof *tmp);
  if (tmp == NULL)
    return AC_ENOMEM; /* The connection is lost, as if uv_accept failed. */
  uv_tcp_init(l->handle.loop, tmp);
  int err = uv_accept((uv_stream_t *)&l->handle, (uv_stream_t *)tmp);
  uv_os_fd_t fd;
  if (err == 0)
    err = uv_fileno((uv_handle_t *)tmp, &fd);
  if (err == 0 && (c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
    err = uv_translate_sys_error(errno);
  uv_close((uv_handle_t *)tmp, free_handle_cb);
  return err;
}

/* Takes the connection libuv holds; 1 if the accept is complete. */
static int accept_take(struct ac_tcp_accept_frame *fr, int *result) {
  ac_tcp_listener *l = fr->l;
  if (l->err != 0) {
    *result = l->err;
    l->err = 0;
    return 1;
  }
  if (!l->ready)
    return 0;
  /* Out of memory leaves the connection with libuv for the next accept. */
  ac_tcp *c = l->owner->rt != NULL ? tcp_alloc() : tcp_new(l->owner);
  if (c == NULL) {
    *result = AC_ENOMEM;
    return 1;
  }
  l->ready = 0;
  int err = c->owner != NULL ? uv_accept((uv_stream_t *)&l->handle,
                                         (uv_stream_t *)&c->handle)
                             : accept_unbound(l, c);
  if (err != 0) {
    ac_tcp_close(c);
    *result = err;
    return 1;
  }
  *fr->out = c;
  *result = 0;
  return 1;
}

ac_poll ac_tcp_accept_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_accept_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    if (fr->l == NULL || fr->out == NULL)
      return accept_finish(fr, AC_EINVAL);
    if (fr->l->owner != ac__exec_current()) {
      fr->l = NULL;
      return accept_finish(fr, AC_EXDEV);
    }
    if (fr->l->acceptor != NULL)
      return accept_finish(fr, AC_EBUSY);
    fr->l->acceptor = fr;
    fr->state = AC__OP_PENDING;
  }
  if (fr->l == NULL) /* The listener was closed. */
    return accept_finish(fr, AC_ECANCELED);
  int result;
  if (accept_take(fr, &result))
    return accept_finish(fr, result);
  fr->task = cx->task;
  return AC_PENDING;
}

void ac_tcp_accept_drop(void *frame) {
  struct ac_tcp_accept_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    accept_finish(fr, AC_ECANCELED);
}

/* ---- connect ------------------------------------------------------------- */

static void connect_cb(uv_connect_t *req, int status) {
  ac_tcp *c = ac__container_of(req, ac_tcp, connect_req);
  c->connecting = 0;
  c->connect_status = status;
  ac_task_wake(c->connect_task);
}

/* Starts connecting a new connection to `addr`: 0 and *conn, or an
 * error. */
static int connect_start(const struct sockaddr *addr, ac_tcp **conn,
                         ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  ac_tcp *c = tcp_new(ex);
  if (c == NULL)
    return AC_ENOMEM;
  err = uv_tcp_connect(&c->connect_req, &c->handle, addr, connect_cb);
  if (err != 0) {
    ac_tcp_close(c);
    return err;
  }
  c->connecting = 1;
  c->connect_task = cx->task;
  *conn = c;
  return 0;
}

/* The poll of both connect futures: at the first poll, connects to
 * `addr` (NULL: the arguments were invalid), then waits.  On completion
 * *result is set, and *out on success. */
static ac_poll connect_poll(const struct sockaddr *addr, ac_tcp **out,
                            ac_tcp **conn, int *state, int *result, ac_cx *cx) {
  if (*state == AC__OP_DONE)
    return AC_READY;
  if (*state == AC__OP_START) {
    int err =
        addr == NULL || out == NULL ? AC_EINVAL : connect_start(addr, conn, cx);
    if (err != 0) {
      *result = err;
      *state = AC__OP_DONE;
      return AC_READY;
    }
    *state = AC__OP_PENDING;
  }
  ac_tcp *c = *conn;
  if (c->connecting) {
    c->connect_task = cx->task;
    return AC_PENDING;
  }
  *conn = NULL;
  c->connect_task = NULL;
  *result = c->connect_status;
  if (c->connect_status < 0)
    ac_tcp_close(c);
  else
    *out = c;
  *state = AC__OP_DONE;
  return AC_READY;
}

/* A connection still being made is closed: libuv then runs connect_cb
 * with UV_ECANCELED, which wakes nobody, and frees it afterwards. */
static void connect_drop(ac_tcp **conn, int *state) {
  if (*conn != NULL)
    ac_tcp_close(*conn);
  *conn = NULL;
  *state = AC__OP_DONE;
}

void ac_tcp_connect_init(struct ac_tcp_connect_frame *fr, const char *ip,
                         int port, ac_tcp **out) {
  assert(fr != NULL);
  fr->ip = ip;
  fr->port = port;
  fr->out = out;
  fr->conn = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

ac_poll ac_tcp_connect_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_connect_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  struct sockaddr_storage ss;
  const struct sockaddr *addr = NULL;
  if (fr->state == AC__OP_START && parse_addr(fr->ip, fr->port, &ss) == 0)
    addr = (const struct sockaddr *)&ss;
  return connect_poll(addr, fr->out, &fr->conn, &fr->state, &fr->result, cx);
}

void ac_tcp_connect_drop(void *frame) {
  struct ac_tcp_connect_frame *fr = frame;
  assert(fr != NULL);
  connect_drop(&fr->conn, &fr->state);
}

void ac_tcp_connect_addr_init(struct ac_tcp_connect_addr_frame *fr,
                              const struct sockaddr *addr, ac_tcp **out) {
  assert(fr != NULL);
  fr->addr = addr;
  fr->out = out;
  fr->conn = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

ac_poll ac_tcp_connect_addr_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_connect_addr_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  const struct sockaddr *addr = fr->addr;
  if (addr != NULL && addr->sa_family != AF_INET && addr->sa_family != AF_INET6)
    addr = NULL;
  return connect_poll(addr, fr->out, &fr->conn, &fr->state, &fr->result, cx);
}

void ac_tcp_connect_addr_drop(void *frame) {
  struct ac_tcp_connect_addr_frame *fr = frame;
  assert(fr != NULL);
  connect_drop(&fr->conn, &fr->state);
}

/* ---- read ---------------------------------------------------------------- */

/* Moves the buffered bytes to the front of the buffer. */
static void compact(ac_tcp *c) {
  memmove(c->buf, c->buf + c->start, c->end - c->start);
  c->end -= c->start;
  c->start = 0;
}

static void read_stop(ac_tcp *c) {
  if (c->reading)
    uv_read_stop((uv_stream_t *)&c->handle);
  c->reading = 0;
}

static void alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  ac_tcp *c = handle->data;
  (void)suggested;
  /* Reading stops as soon as the buffer is full (read_cb). */
  assert(c->end < AC_TCP_READ_BUFFER);
  *buf = uv_buf_init(c->buf + c->end, (unsigned)(AC_TCP_READ_BUFFER - c->end));
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  ac_tcp *c = stream->data;
  (void)buf;
  if (nread == 0) /* EAGAIN: nothing was read. */
    return;
  if (nread > 0) {
    c->end += (size_t)nread;
    if (c->end == AC_TCP_READ_BUFFER && c->start > 0)
      compact(c);
    if (c->end == AC_TCP_READ_BUFFER)
      read_stop(c); /* Full: backpressure until a read takes some. */
  } else {
    c->rerr = (int)nread;
    read_stop(c);
  }
  if (c->reader != NULL)
    ac_task_wake(c->reader->task);
}

/* Reads into the buffer until it is full, unless the stream has ended. */
static void read_start(ac_tcp *c) {
  if (c->end == AC_TCP_READ_BUFFER && c->start > 0)
    compact(c);
  if (c->reading || c->rerr != 0 || c->end == AC_TCP_READ_BUFFER)
    return;
  int err = uv_read_start((uv_stream_t *)&c->handle, alloc_cb, read_cb);
  if (err != 0)
    c->rerr = err;
  else
    c->reading = 1;
}

void ac_tcp_read_init(struct ac_tcp_read_frame *fr, ac_tcp *c, void *buf,
                      size_t len) {
  assert(fr != NULL);
  fr->conn = c;
  fr->buf = buf;
  fr->len = len;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll read_finish(struct ac_tcp_read_frame *fr, ptrdiff_t result) {
  if (fr->conn != NULL && fr->conn->reader == fr)
    fr->conn->reader = NULL;
  fr->conn = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

/* Validates the read and registers it: 0 or an error. */
static int read_begin(struct ac_tcp_read_frame *fr) {
  ac_tcp *c = fr->conn;
  if (c == NULL || (fr->buf == NULL && fr->len > 0))
    return AC_EINVAL;
  if (c->reader != NULL)
    return AC_EBUSY;
  if (c->buf == NULL && (c->buf = ac__malloc(AC_TCP_READ_BUFFER)) == NULL)
    return AC_ENOMEM;
  c->reader = fr;
  fr->state = AC__OP_PENDING;
  return 0;
}

/* Moves up to fr->len buffered bytes to the caller and reading on. */
static size_t read_take(struct ac_tcp_read_frame *fr) {
  ac_tcp *c = fr->conn;
  size_t n = c->end - c->start;
  if (n > fr->len)
    n = fr->len;
  memcpy(fr->buf, c->buf + c->start, n);
  c->start += n;
  if (c->start == c->end)
    c->start = c->end = 0;
  read_start(c); /* If it had stopped on a full buffer. */
  return n;
}

ac_poll ac_tcp_read_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_read_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    int claim = fr->conn != NULL ? tcp_claim(fr->conn, cx) : 0;
    if (claim != 0) {
      fr->conn = NULL;
      return read_finish(fr, claim);
    }
    int err = read_begin(fr);
    if (err != 0)
      return read_finish(fr, err);
    if (fr->len == 0)
      return read_finish(fr, 0);
  }
  ac_tcp *c = fr->conn;
  if (c == NULL) /* The connection was closed. */
    return read_finish(fr, AC_ECANCELED);
  if (c->end > c->start)
    return read_finish(fr, (ptrdiff_t)read_take(fr));
  read_start(c);
  if (c->rerr != 0)
    return read_finish(fr, c->rerr == UV_EOF ? 0 : c->rerr);
  fr->task = cx->task;
  return AC_PENDING;
}

void ac_tcp_read_drop(void *frame) {
  struct ac_tcp_read_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    read_finish(fr, AC_ECANCELED);
}

/* ---- write_all ----------------------------------------------------------- */

static void write_cb(uv_write_t *req, int status) {
  struct ac__tcp_write *w = ac__container_of(req, struct ac__tcp_write, req);
  w->busy = 0;
  w->status = status;
  if (w->fr == NULL) /* The frame was dropped. */
    ac__free(w);
  else
    ac_task_wake(w->fr->task);
}

void ac_tcp_write_all_init(struct ac_tcp_write_all_frame *fr, ac_tcp *c,
                           const void *buf, size_t len) {
  assert(fr != NULL);
  fr->conn = c;
  fr->buf = buf;
  fr->len = len;
  fr->sent = 0;
  fr->req = NULL;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll write_finish(struct ac_tcp_write_all_frame *fr, int result) {
  if (fr->req != NULL) {
    if (fr->req->busy)
      fr->req->fr = NULL; /* write_cb frees it. */
    else
      ac__free(fr->req);
  }
  fr->req = NULL;
  if (fr->conn != NULL && fr->conn->writer == fr)
    fr->conn->writer = NULL;
  fr->conn = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

/* Hands the socket what it takes without waiting, then queues a copy of
 * the next chunk with uv_write. */
static ac_poll write_more(struct ac_tcp_write_all_frame *fr) {
  uv_stream_t *stream = (uv_stream_t *)&fr->conn->handle;
  while (fr->sent < fr->len) {
    size_t n = fr->len - fr->sent;
    uv_buf_t b = uv_buf_init((char *)fr->buf + fr->sent,
                             (unsigned)(n < TRY_WRITE_MAX ? n : TRY_WRITE_MAX));
    int r = uv_try_write(stream, &b, 1);
    if (r == 0 || r == UV_EAGAIN)
      break;
    if (r < 0)
      return write_finish(fr, r);
    fr->sent += (size_t)r;
  }
  size_t n = fr->len - fr->sent;
  if (n == 0)
    return write_finish(fr, 0);
  if (n > WRITE_CHUNK)
    n = WRITE_CHUNK;
  /* The first record is sized for its chunk; later chunks are never
   * bigger, as the remainder only shrinks. */
  if (fr->req == NULL) {
    fr->req = ac__malloc(sizeof *fr->req + n);
    if (fr->req == NULL)
      return write_finish(fr, AC_ENOMEM);
    fr->req->fr = fr;
  }
  memcpy(fr->req->data, fr->buf + fr->sent, n);
  uv_buf_t b = uv_buf_init(fr->req->data, (unsigned)n);
  int err = uv_write(&fr->req->req, stream, &b, 1, write_cb);
  if (err != 0)
    return write_finish(fr, err);
  fr->req->busy = 1;
  fr->sent += n;
  return AC_PENDING;
}

ac_poll ac_tcp_write_all_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_write_all_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  fr->task = cx->task;
  if (fr->state == AC__OP_START) {
    if (fr->conn == NULL || (fr->buf == NULL && fr->len > 0))
      return write_finish(fr, AC_EINVAL);
    int claim = tcp_claim(fr->conn, cx);
    if (claim != 0) {
      fr->conn = NULL;
      return write_finish(fr, claim);
    }
    if (fr->conn->writer != NULL) {
      fr->conn = NULL;
      return write_finish(fr, AC_EBUSY);
    }
    fr->conn->writer = fr;
    fr->state = AC__OP_PENDING;
    return write_more(fr);
  }
  if (fr->req != NULL && fr->req->busy)
    return AC_PENDING;
  if (fr->req != NULL && fr->req->status < 0)
    return write_finish(fr, fr->req->status);
  if (fr->sent == fr->len)
    return write_finish(fr, 0);
  if (fr->conn == NULL) /* The connection was closed. */
    return write_finish(fr, AC_ECANCELED);
  return write_more(fr);
}

void ac_tcp_write_all_drop(void *frame) {
  struct ac_tcp_write_all_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    write_finish(fr, AC_ECANCELED);
}

/* ---- shutdown ------------------------------------------------------------ */

static void shutdown_cb(uv_shutdown_t *req, int status) {
  ac_tcp *c = ac__container_of(req, ac_tcp, shutdown_req);
  struct ac_tcp_shutdown_frame *fr = c->shutter;
  c->shutter = NULL;
  if (fr == NULL) /* The frame was dropped. */
    return;
  fr->conn = NULL;
  fr->result = status;
  fr->state = AC__OP_DONE;
  ac_task_wake(fr->task);
}

void ac_tcp_shutdown_init(struct ac_tcp_shutdown_frame *fr, ac_tcp *c) {
  assert(fr != NULL);
  fr->conn = c;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

ac_poll ac_tcp_shutdown_poll(void *frame, ac_cx *cx) {
  struct ac_tcp_shutdown_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  fr->task = cx->task;
  if (fr->state == AC__OP_PENDING)
    return AC_PENDING;
  ac_tcp *c = fr->conn;
  /* The request is embedded in the connection, which libuv lets have one
   * shutdown only: a second one is AC_ENOTCONN. */
  int err = c != NULL ? tcp_claim(c, cx) : AC_EINVAL;
  if (err == 0)
    err = uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->handle, shutdown_cb);
  if (err != 0) {
    fr->conn = NULL;
    fr->result = err;
    fr->state = AC__OP_DONE;
    return AC_READY;
  }
  c->shutter = fr;
  fr->state = AC__OP_PENDING;
  return AC_PENDING;
}

/* The shutdown goes on; its callback finds no frame. */
void ac_tcp_shutdown_drop(void *frame) {
  struct ac_tcp_shutdown_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING && fr->conn != NULL)
    fr->conn->shutter = NULL;
  fr->conn = NULL;
  fr->state = AC__OP_DONE;
}
