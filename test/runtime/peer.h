/* peer.h -- the two ends of a stream for the stream tests: a listener
 * both scripts share, a script per end (struct peer), and the steps the
 * tests repeat (accept one, connect, read to the end).  Each test runs a
 * server script and a client script concurrently (io-util.h). */
#ifndef ASYNCC_TEST_PEER_H
#define ASYNCC_TEST_PEER_H

#include <stdlib.h>
#include <string.h>

#include "io-util.h"

/* What a test's two scripts share. */
struct shared {
  ac_listener *l;
  int port;
  int step;              /* how far the scripts have come, for ordering them */
  const char *peer_seen; /* an address one script saw, for the other */
};

/* Listens on an ephemeral loopback port. */
static inline void listen_any(struct shared *sh) {
  ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 16, &sh->l));
  sh->port = ac_listener_port(sh->l);
  ASSERT_GT(sh->port, 0);
  ASSERT_LE(sh->port, 65535);
}

/* A payload whose every byte says where it belongs: BIG is more than the
 * kernel's socket buffers take, so that a write of it stays pending while
 * the peer does not read; the backpressure test sends MEDIUM bytes of it. */
#define BIG (64u << 20)
#define MEDIUM (4u << 20)

static inline unsigned char pattern(size_t i) {
  return (unsigned char)(i % 251);
}

static inline unsigned char *big_new(void) {
  unsigned char *p = malloc(BIG);
  ASSERT_NOT_NULL(p);
  for (size_t i = 0; i < BIG; i++)
    p[i] = pattern(i);
  return p;
}

/* One side of a connection. */
struct peer {
  struct script s;
  struct shared *sh;
  ac_stream *c;
  unsigned char *big;
  size_t got;
  char buf[64];
  char bulk[16384];
  const char *view; /* from read_until or peek */
  struct iovec iov[4];
  int fd;         /* a file's, or -1 */
  char path[108]; /* a file's or a Unix socket's */
  struct sockaddr_storage addr;
  union {
    struct ac_listener_accept_frame accept;
    struct ac_tcp_connect_frame connect;
    struct ac_tcp_connect_addr_frame connect_addr;
    struct ac_unix_connect_frame unix_connect;
    struct ac_stream_read_frame read;
    struct ac_stream_read_exact_frame read_exact;
    struct ac_stream_read_until_frame read_until;
    struct ac_stream_read_line_frame read_line;
    struct ac_stream_peek_frame peek;
    struct ac_stream_write_all_frame write;
    struct ac_stream_writev_frame writev;
    struct ac_stream_sendfile_frame sendfile;
    struct ac_stream_shutdown_frame shutdown;
    struct ac_sleep_frame sleep;
  } sub;
  union {
    struct ac_listener_accept_frame accept;
    struct ac_stream_read_frame read;
    struct ac_stream_read_until_frame read_until;
    struct ac_stream_peek_frame peek;
    struct ac_stream_write_all_frame write;
    struct ac_stream_writev_frame writev;
  } other; /* a second future, started by hand */
};

static inline void peer_init(struct peer *p, struct shared *sh) {
  memset(p, 0, sizeof *p);
  script_init(&p->s);
  p->sh = sh;
  p->fd = -1;
}

static inline void run_peers(struct shared *sh, ac_poll_fn server,
                             ac_poll_fn client) {
  struct peer a, b;
  peer_init(&a, sh);
  peer_init(&b, sh);
  run_pair(&a, server, &b, client);
  free(a.big);
  free(b.big);
}

/* Accepts one connection and closes the listener. */
#define ACCEPT_ONE(fr, cx)                                                     \
  do {                                                                         \
    AWAIT(&(fr)->s, cx, ac_listener_accept, (fr)->sub.accept, (fr)->sh->l,     \
          &(fr)->c);                                                           \
    ASSERT_OK((fr)->sub.accept.result);                                        \
    ac_listener_close((fr)->sh->l);                                            \
  } while (0)

#define CONNECT(fr, cx)                                                        \
  do {                                                                         \
    AWAIT(&(fr)->s, cx, ac_tcp_connect, (fr)->sub.connect, "127.0.0.1",        \
          (fr)->sh->port, &(fr)->c);                                           \
    ASSERT_OK((fr)->sub.connect.result);                                       \
  } while (0)

/* Reads until the end of the stream into fr->buf, counting in fr->got. */
#define READ_TO_EOF(fr, cx)                                                    \
  do {                                                                         \
    for (;;) {                                                                 \
      AWAIT(&(fr)->s, cx, ac_stream_read, (fr)->sub.read, (fr)->c,             \
            (fr)->buf + (fr)->got, sizeof(fr)->buf - (fr)->got);               \
      ASSERT_GE((fr)->sub.read.result, 0);                                     \
      if ((fr)->sub.read.result == 0)                                          \
        break;                                                                 \
      (fr)->got += (size_t)(fr)->sub.read.result;                              \
    }                                                                          \
  } while (0)

#endif /* ASYNCC_TEST_PEER_H */
