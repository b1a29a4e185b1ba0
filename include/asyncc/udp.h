/* asyncc/udp.h -- UDP sockets: datagrams sent to and received from
 * addresses.
 *
 *   ac_udp *u;
 *   int err = ac_udp_bind("127.0.0.1", 0, 0, &u);
 *   struct sockaddr_storage from;
 *   ptrdiff_t n = await(ac_udp_recv_from(u, buf, sizeof buf, &from));
 *   err = await(ac_udp_send_to(u, buf, (size_t)n, (struct sockaddr *)&from));
 *   ac_udp_close(u);
 *
 * A datagram is sent whole or not at all.  libuv receives straight into
 * the pending receive's buffer; a datagram longer than the buffer is cut
 * to its size, as recvfrom(2) does.  At most one receive may be pending
 * per socket (a second is AC_EBUSY); sends may overlap.  A socket belongs
 * to the loop of the worker that made it.  Included by <asyncc.h>. */
#ifndef ASYNCC_UDP_H
#define ASYNCC_UDP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct sockaddr_storage;

typedef struct ac_udp ac_udp;

/* Flags of ac_udp_bind. */
#define AC_UDP_REUSEADDR 1u /* SO_REUSEADDR: several sockets, one port */

/* A socket bound to ip:port (port 0: any free port).  0 and *out, or
 * AC_EINVAL, AC_EADDRINUSE, AC_ENOMEM, ... */
int ac_udp_bind(const char *ip, int port, unsigned flags, ac_udp **out);
/* The address it is bound to: 0 or an error. */
int ac_udp_local_addr(const ac_udp *u, struct sockaddr_storage *out);
/* Its descriptor, for options this API lacks (multicast, broadcast);
 * the runtime keeps owning it.  A negative AC_E* code once closed. */
int ac_udp_fileno(const ac_udp *u);
/* Closes the socket; a pending receive completes with AC_ECANCELED and
 * sends still queued with AC_ECANCELED.  NULL is ignored. */
void ac_udp_close(ac_udp *u);

/* await(ac_udp_send_to(u, buf, len, to)): sends one datagram to `to` (a
 * sockaddr_in or _in6): 0 or an error.  What the socket does not take at
 * once is copied and queued, so buf may be reused as soon as this
 * completes, and a drop never reads it again. */
async int ac_udp_send_to(ac_udp *u, const void *buf, size_t len,
                         const struct sockaddr *to);

struct ac__udp_send;
struct ac_udp_send_to_frame {
  ac_udp *u;
  const void *buf;
  size_t len;
  const struct sockaddr *to;
  struct ac__udp_send *req; /* the request in flight, or NULL */
  ac_task *task;
  int state;
  int result;
};
void ac_udp_send_to_init(struct ac_udp_send_to_frame *fr, ac_udp *u,
                         const void *buf, size_t len,
                         const struct sockaddr *to);
ac_poll ac_udp_send_to_poll(void *frame, ac_cx *cx);
void ac_udp_send_to_drop(void *frame);

/* await(ac_udp_recv_from(u, buf, len, &from)): waits for one datagram,
 * copies up to len bytes of it into buf and yields their count (0 for an
 * empty datagram), with the sender's address in *from (may be NULL); or
 * an error. */
async ptrdiff_t ac_udp_recv_from(ac_udp *u, void *buf, size_t len,
                                 struct sockaddr_storage *from);

struct ac_udp_recv_from_frame {
  ac_udp *u;
  void *buf;
  size_t len;
  struct sockaddr_storage *from;
  ac_task *task;
  int state;
  char discard; /* where a receive of 0 bytes puts a datagram's first */
  ptrdiff_t result;
};
void ac_udp_recv_from_init(struct ac_udp_recv_from_frame *fr, ac_udp *u,
                           void *buf, size_t len,
                           struct sockaddr_storage *from);
ac_poll ac_udp_recv_from_poll(void *frame, ac_cx *cx);
void ac_udp_recv_from_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_UDP_H */
