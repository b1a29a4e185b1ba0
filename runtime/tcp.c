/* tcp.c -- TCP listeners and connects.
 *
 * A listener's socket is made by sock.c rather than by uv_tcp_bind, so that
 * options that must precede bind(2) (SO_REUSEPORT, which libuv 1.44 does
 * not offer, and IPV6_V6ONLY) can be set, and so that a bind error comes
 * back from the bind rather than from a later listen; the first accept
 * then hands it to libuv, on its worker's loop.  Streams, accept and
 * options are in stream.c and listener.c. */
#include <assert.h>

#include "internal.h"

#define LISTEN_FLAGS (AC_TCP_REUSEPORT | AC_TCP_IPV6ONLY)

int ac_tcp_listen_flags(const char *ip, int port, int backlog, unsigned flags,
                        ac_listener **out) {
  if (out == NULL || backlog < 0 || (flags & ~LISTEN_FLAGS) != 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  int err = ac__parse_addr(ip, port, &ss);
  if (err != 0)
    return err;
  int fd = ac__listen_socket(&ss, flags);
  if (fd < 0)
    return fd;
  return ac__listener_new(AC__STREAM_TCP, fd, backlog, NULL, out);
}

int ac_tcp_listen(const char *ip, int port, int backlog, ac_listener **out) {
  return ac_tcp_listen_flags(ip, port, backlog, 0, out);
}

/* ---- connect ------------------------------------------------------------- */

static int tcp_connect_start(ac_stream *s, const void *addr, uv_connect_cb cb) {
  int err = uv_tcp_connect(&s->connect_req, &s->h.tcp, addr, cb);
  if (err == 0)
    ac__stream_take_fd(s);
  return err;
}

void ac_tcp_connect_init(struct ac_tcp_connect_frame *fr, const char *ip,
                         int port, ac_stream **out) {
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
  if (fr->state == AC__OP_START && ac__parse_addr(fr->ip, fr->port, &ss) == 0)
    addr = (const struct sockaddr *)&ss;
  return ac__connect_poll(AC__STREAM_TCP, tcp_connect_start, addr, fr->out,
                          &fr->conn, &fr->state, &fr->result, cx);
}

void ac_tcp_connect_drop(void *frame) {
  struct ac_tcp_connect_frame *fr = frame;
  assert(fr != NULL);
  ac__connect_drop(&fr->conn, &fr->state);
}

void ac_tcp_connect_addr_init(struct ac_tcp_connect_addr_frame *fr,
                              const struct sockaddr *addr, ac_stream **out) {
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
  return ac__connect_poll(AC__STREAM_TCP, tcp_connect_start, addr, fr->out,
                          &fr->conn, &fr->state, &fr->result, cx);
}

void ac_tcp_connect_addr_drop(void *frame) {
  struct ac_tcp_connect_addr_frame *fr = frame;
  assert(fr != NULL);
  ac__connect_drop(&fr->conn, &fr->state);
}
