/* udp.c -- UDP sockets as futures over uv_udp_t.
 *
 * Receiving: the socket reads only while a receive is pending
 * (uv_udp_recv_start at its first poll, uv_udp_recv_stop when it
 * completes or is dropped); datagrams that arrive in between wait in the
 * kernel's buffer.  alloc_cb hands libuv the pending receive's own buffer,
 * so a datagram is copied once, by the kernel.
 *
 * Sending: uv_udp_try_send first; a datagram the socket does not take at
 * once is copied into a record for uv_udp_send, which libuv completes, or
 * cancels with UV_ECANCELED when the socket is closed, before the socket's
 * close callback; a dropped send only unlinks its frame from the record. */
#include <assert.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

struct ac_udp {
  uv_udp_t handle;
  struct ac__exec *owner;                  /* whose loop has the handle */
  atomic_int closing;                      /* a close was asked for */
  struct ac__deferred close_work;          /* a close from another worker */
  struct ac_udp_recv_from_frame *receiver; /* the pending receive */
};

/* A copy of a datagram the socket did not take at once. */
struct ac__udp_send {
  uv_udp_send_t req;
  struct ac_udp_send_to_frame *fr; /* NULL once the frame is dropped */
  int busy;
  int status;
  char data[];
};

static void udp_close_cb(uv_handle_t *handle) { ac__free(handle->data); }

int ac_udp_bind(const char *ip, int port, unsigned flags, ac_udp **out) {
  if (out == NULL || (flags & ~AC_UDP_REUSEADDR) != 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  int err = ac__parse_addr(ip, port, &ss);
  struct ac__exec *ex = ac__exec_current();
  if (err == 0)
    err = ac__loop_open(ex);
  if (err != 0)
    return err;
  ac_udp *u = ac__malloc(sizeof *u);
  if (u == NULL)
    return AC_ENOMEM;
  memset(u, 0, sizeof *u);
  uv_udp_init(&ex->loop, &u->handle); /* Cannot fail without a domain. */
  u->handle.data = u;
  u->owner = ex;
  ac__ignore_sigpipe();
  err = uv_udp_bind(&u->handle, (const struct sockaddr *)&ss,
                    flags & AC_UDP_REUSEADDR ? UV_UDP_REUSEADDR : 0);
  if (err != 0) {
    uv_close((uv_handle_t *)&u->handle, udp_close_cb);
    return err;
  }
  *out = u;
  return 0;
}

int ac_udp_fileno(const ac_udp *u) {
  if (u == NULL)
    return AC_EINVAL;
  uv_os_fd_t fd;
  if (atomic_load(&u->closing) ||
      uv_fileno((const uv_handle_t *)&u->handle, &fd) != 0)
    return AC_EBADF;
  return fd;
}

int ac_udp_local_addr(const ac_udp *u, struct sockaddr_storage *out) {
  int fd = ac_udp_fileno(u);
  if (out == NULL)
    return AC_EINVAL;
  if (fd < 0)
    return fd;
  return ac__fd_addr(fd, out, 0);
}

static void udp_close_now(ac_udp *u) {
  if (u->receiver != NULL) {
    u->receiver->u = NULL;
    ac_task_wake(u->receiver->task);
    u->receiver = NULL;
  }
  uv_close((uv_handle_t *)&u->handle, udp_close_cb);
}

static void udp_close_routed(struct ac__deferred *d) {
  udp_close_now(ac__container_of(d, ac_udp, close_work));
}

void ac_udp_close(ac_udp *u) {
  if (u == NULL || atomic_exchange(&u->closing, 1))
    return;
  if (u->owner == ac__exec_current()) {
    udp_close_now(u);
  } else {
    u->close_work.fn = udp_close_routed;
    ac__run_on(u->owner, &u->close_work);
  }
}

/* ---- send ---------------------------------------------------------------- */

static void send_cb(uv_udp_send_t *req, int status) {
  struct ac__udp_send *r = ac__container_of(req, struct ac__udp_send, req);
  r->busy = 0;
  r->status = status;
  if (r->fr == NULL)
    ac__free(r);
  else
    ac_task_wake(r->fr->task);
}

void ac_udp_send_to_init(struct ac_udp_send_to_frame *fr, ac_udp *u,
                         const void *buf, size_t len,
                         const struct sockaddr *to) {
  assert(fr != NULL);
  fr->u = u;
  fr->buf = buf;
  fr->len = len;
  fr->to = to;
  fr->req = NULL;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll send_finish(struct ac_udp_send_to_frame *fr, int result) {
  if (fr->req != NULL) {
    if (fr->req->busy)
      fr->req->fr = NULL; /* send_cb frees it. */
    else
      ac__free(fr->req);
  }
  fr->req = NULL;
  fr->u = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

/* Sends at once if the socket takes the datagram, else queues a copy:
 * 0 if done, 1 if queued, or an error. */
static int send_start(struct ac_udp_send_to_frame *fr) {
  uv_buf_t b = uv_buf_init((char *)fr->buf, (unsigned)fr->len);
  int r = uv_udp_try_send(&fr->u->handle, &b, 1, fr->to);
  if (r >= 0)
    return 0;
  if (r != UV_EAGAIN)
    return r;
  fr->req = ac__malloc(sizeof *fr->req + fr->len);
  if (fr->req == NULL)
    return AC_ENOMEM;
  fr->req->fr = fr;
  fr->req->busy = 0;
  if (fr->len > 0)
    memcpy(fr->req->data, fr->buf, fr->len);
  b = uv_buf_init(fr->req->data, (unsigned)fr->len);
  int err = uv_udp_send(&fr->req->req, &fr->u->handle, &b, 1, fr->to, send_cb);
  if (err != 0)
    return err;
  fr->req->busy = 1;
  return 1;
}

ac_poll ac_udp_send_to_poll(void *frame, ac_cx *cx) {
  struct ac_udp_send_to_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  fr->task = cx->task;
  if (fr->state == AC__OP_START) {
    if (fr->u == NULL || fr->to == NULL || (fr->buf == NULL && fr->len > 0) ||
        fr->len > UINT32_MAX)
      return send_finish(fr, AC_EINVAL);
    if (fr->u->owner != ac__exec_current())
      return send_finish(fr, AC_EXDEV);
    int r = send_start(fr);
    if (r <= 0)
      return send_finish(fr, r);
    fr->state = AC__OP_PENDING;
    return AC_PENDING;
  }
  if (fr->req->busy)
    return AC_PENDING;
  return send_finish(fr, fr->req->status);
}

void ac_udp_send_to_drop(void *frame) {
  struct ac_udp_send_to_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    send_finish(fr, AC_ECANCELED);
}

/* ---- receive ------------------------------------------------------------- */

static void recv_alloc_cb(uv_handle_t *handle, size_t suggested,
                          uv_buf_t *buf) {
  ac_udp *u = handle->data;
  struct ac_udp_recv_from_frame *fr = u->receiver;
  (void)suggested;
  /* Without a receiver libuv reports UV_ENOBUFS, which recv_cb ignores.
   * A receive of 0 bytes takes the datagram all the same, as recvfrom
   * does: libuv needs room for one byte. */
  if (fr == NULL)
    *buf = uv_buf_init(NULL, 0);
  else if (fr->len == 0)
    *buf = uv_buf_init(&fr->discard, 1);
  else
    *buf = uv_buf_init(fr->buf, (unsigned)fr->len);
}

static void recv_stop(ac_udp *u) {
  uv_udp_recv_stop(&u->handle);
  u->receiver = NULL;
}

static void recv_cb(uv_udp_t *handle, ssize_t nread, const uv_buf_t *buf,
                    const struct sockaddr *addr, unsigned flags) {
  ac_udp *u = handle->data;
  struct ac_udp_recv_from_frame *fr = u->receiver;
  (void)buf;
  (void)flags; /* UV_UDP_PARTIAL: cut to the buffer, as recvfrom. */
  /* 0 bytes with no address: nothing more to read this time. */
  if (fr == NULL || (nread == 0 && addr == NULL) || nread == UV_ENOBUFS)
    return;
  if (nread >= 0 && fr->from != NULL) {
    memset(fr->from, 0, sizeof *fr->from);
    memcpy(fr->from, addr,
           addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in));
  }
  fr->result = nread > (ssize_t)fr->len ? (ssize_t)fr->len : nread;
  fr->state = AC__OP_DONE;
  fr->u = NULL;
  recv_stop(u);
  ac_task_wake(fr->task);
}

void ac_udp_recv_from_init(struct ac_udp_recv_from_frame *fr, ac_udp *u,
                           void *buf, size_t len,
                           struct sockaddr_storage *from) {
  assert(fr != NULL);
  fr->u = u;
  fr->buf = buf;
  fr->len = len;
  fr->from = from;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll recv_finish(struct ac_udp_recv_from_frame *fr,
                           ptrdiff_t result) {
  if (fr->u != NULL && fr->u->receiver == fr)
    recv_stop(fr->u);
  fr->u = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

ac_poll ac_udp_recv_from_poll(void *frame, ac_cx *cx) {
  struct ac_udp_recv_from_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  fr->task = cx->task;
  if (fr->state == AC__OP_START) {
    ac_udp *u = fr->u;
    int err =
        u == NULL || (fr->buf == NULL && fr->len > 0) || fr->len > UINT32_MAX
            ? AC_EINVAL
        : u->owner != ac__exec_current() ? AC_EXDEV
        : u->receiver != NULL      ? AC_EBUSY
                                   : 0;
    if (err == 0)
      err = uv_udp_recv_start(&u->handle, recv_alloc_cb, recv_cb);
    if (err != 0) {
      fr->u = NULL;
      return recv_finish(fr, err);
    }
    u->receiver = fr;
    fr->state = AC__OP_PENDING;
    return AC_PENDING;
  }
  if (fr->u == NULL) /* The socket was closed. */
    return recv_finish(fr, AC_ECANCELED);
  return AC_PENDING;
}

void ac_udp_recv_from_drop(void *frame) {
  struct ac_udp_recv_from_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    recv_finish(fr, AC_ECANCELED);
}
