/* test-tcp.c -- TCP over 127.0.0.1: listen, accept, connect, read,
 * write_all, shutdown, close; peers that reset; backpressure; dropping
 * pending futures; out of memory; options, descriptors and addresses.  Each
 * test runs a server script and a client script concurrently (io-util.h). */
#define _DEFAULT_SOURCE /* TCP_KEEPIDLE, SO_REUSEPORT */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"

/* ---- listen -------------------------------------------------------------- */

static void listen_port_body(ac_cx *cx) {
  (void)cx;
  struct shared sh;
  listen_any(&sh);
  ac_listener_close(sh.l);
  ac_listener_close(sh.l); /* Closing twice does nothing. */
}

TEST(tcp_listen_reports_port) {
  run_in_block_on(listen_port_body);
}

static void addr_in_use_body(ac_cx *cx) {
  (void)cx;
  struct shared sh;
  listen_any(&sh);
  ac_listener *l2 = sh.l;
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", sh.port, 16, &l2), AC_EADDRINUSE);
  ASSERT_NULL(l2);
  ac_listener_close(sh.l);
}

TEST(tcp_listen_addr_in_use) {
  run_in_block_on(addr_in_use_body);
}

static void listen_oom_body(ac_cx *cx) {
  (void)cx;
  ac_listener *l;
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", 0, 16, &l), AC_ENOMEM);
  ASSERT_NULL(l);
  ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 16, &l));
  ac_listener_close(l);
}

TEST(tcp_listen_oom) {
  run_in_block_on(listen_oom_body);
}

/* ---- arguments ----------------------------------------------------------- */

static void invalid_body(ac_cx *cx) {
  ac_listener *l;
  ASSERT_EQ(ac_tcp_listen(NULL, 0, 16, &l), AC_EINVAL);
  ASSERT_EQ(ac_tcp_listen("localhost", 0, 16, &l), AC_EINVAL); /* A name. */
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", 65536, 16, &l), AC_EINVAL);
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", -1, 16, &l), AC_EINVAL);
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", 0, -1, &l), AC_EINVAL);
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", 0, 16, NULL), AC_EINVAL);
  ASSERT_EQ(ac_listener_port(NULL), AC_EINVAL);
  ac_listener_close(NULL);
  ac_stream_close(NULL);
  ac_stream_close_reset(NULL);

  ac_stream *c = NULL;
  char b[4];
  struct ac_listener_accept_frame a;
  ASSERT_EQ(POLL_NOW(cx, ac_listener_accept, a, NULL, &c), AC_EINVAL);
  struct ac_tcp_connect_frame co;
  ASSERT_EQ(POLL_NOW(cx, ac_tcp_connect, co, "nowhere", 80, &c), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_tcp_connect, co, "127.0.0.1", 70000, &c),
            AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_tcp_connect, co, "127.0.0.1", 80, NULL), AC_EINVAL);
  struct ac_tcp_connect_addr_frame ca;
  ASSERT_EQ(POLL_NOW(cx, ac_tcp_connect_addr, ca, NULL, &c), AC_EINVAL);
  struct ac_stream_read_frame r;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_read, r, NULL, b, sizeof b), AC_EINVAL);
  struct ac_stream_write_all_frame w;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_write_all, w, NULL, b, sizeof b), AC_EINVAL);
  struct ac_stream_shutdown_frame s;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_shutdown, s, NULL), AC_EINVAL);
  ASSERT_NULL(c);

  /* A finished future is ready again, and dropping it does nothing. */
  ASSERT_EQ(ac_stream_read_poll(&r, cx), AC_READY);
  ASSERT_EQ(r.result, AC_EINVAL);
  ac_stream_read_drop(&r);
  ac_stream_write_all_drop(&w);
  ac_listener_accept_drop(&a);
  ac_tcp_connect_drop(&co);
  ac_tcp_connect_addr_drop(&ca);
  ac_stream_shutdown_drop(&s);
  /* So does dropping one never polled. */
  ac_stream_read_init(&r, NULL, b, sizeof b);
  ac_stream_read_drop(&r);
  ac_tcp_connect_init(&co, "127.0.0.1", 80, &c);
  ac_tcp_connect_drop(&co);
}

TEST(tcp_invalid_arguments) {
  run_in_block_on(invalid_body);
}

/* ---- echo ---------------------------------------------------------------- */

static const char greeting[] = "hello, asyncc, over tcp";

/* Echoes what it reads, a few bytes at a time, until the end of the
 * stream, then shuts down. */
static ac_poll echo_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  for (;;) {
    AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 5);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    fr->got = (size_t)fr->sub.read.result;
    AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, fr->buf,
          fr->got);
    ASSERT_OK(fr->sub.write.result);
  }
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll echo_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, greeting,
        strlen(greeting));
  ASSERT_OK(fr->sub.write.result);
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  READ_TO_EOF(fr, cx);
  ASSERT_EQ(fr->got, strlen(greeting));
  ASSERT_EQ(memcmp(fr->buf, greeting, fr->got), 0);
  /* The end of the stream is sticky. */
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 1);
  ASSERT_EQ(fr->sub.read.result, 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_echo_round_trip) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, echo_server_poll, echo_client_poll);
}

/* The same client, connecting with a struct sockaddr. */
static ac_poll addr_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ASSERT_OK(
      uv_ip4_addr("127.0.0.1", fr->sh->port, (struct sockaddr_in *)&fr->addr));
  AWAIT(&fr->s, cx, ac_tcp_connect_addr, fr->sub.connect_addr,
        (const struct sockaddr *)&fr->addr, &fr->c);
  ASSERT_OK(fr->sub.connect_addr.result);
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  /* A second shutdown is refused. */
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_EQ(fr->sub.shutdown.result, AC_ENOTCONN);
  READ_TO_EOF(fr, cx);
  ASSERT_EQ(fr->got, 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_connect_addr_and_shutdown_twice) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, echo_server_poll, addr_client_poll);
}

/* ---- errors from the peer ------------------------------------------------ */

struct refused {
  struct script s;
  struct shared sh;
  ac_stream *c;
  struct ac_tcp_connect_frame connect;
};

static ac_poll refused_poll(void *frame, ac_cx *cx) {
  struct refused *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  listen_any(&fr->sh);
  ac_listener_close(fr->sh.l); /* Closes the socket at once. */
  AWAIT(&fr->s, cx, ac_tcp_connect, fr->connect, "127.0.0.1", fr->sh.port,
        &fr->c);
  ASSERT_EQ(fr->connect.result, AC_ECONNREFUSED);
  ASSERT_NULL(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_connect_refused) {
  struct refused fr = {.c = NULL};
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, refused_poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
}

/* Resets the connection as soon as it is accepted. */
static ac_poll reset_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  ac_stream_close_reset(fr->c);
  SCRIPT_END(&fr->s);
}

/* Reading from and writing to a peer that reset are errors, not signals:
 * the process survives SIGPIPE. */
static ac_poll reset_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf,
        sizeof fr->buf);
  ASSERT_EQ(fr->sub.read.result, AC_ECONNRESET);
  /* The error is sticky. */
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf,
        sizeof fr->buf);
  ASSERT_EQ(fr->sub.read.result, AC_ECONNRESET);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, greeting,
        sizeof greeting);
  ASSERT(fr->sub.write.result == AC_EPIPE ||
         fr->sub.write.result == AC_ECONNRESET);
  {
    struct sigaction sa;
    ASSERT_OK(sigaction(SIGPIPE, NULL, &sa));
    ASSERT(sa.sa_handler == SIG_IGN);
  }
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_peer_reset_is_an_error) {
  struct shared sh = {0};
  signal(SIGPIPE, SIG_DFL);
  listen_any(&sh);
  run_peers(&sh, reset_server_poll, reset_client_poll);
}

/* Accepting a connection leaves SIGPIPE as it is: the listener set it
 * once, rather than a system call for each connection a server accepts. */
static ac_poll sigpipe_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  {
    struct sigaction sa;
    ASSERT_OK(sigaction(SIGPIPE, NULL, &sa));
    ASSERT(sa.sa_handler == SIG_DFL);
  }
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll nothing_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  (void)cx;
  SCRIPT_BEGIN(&fr->s);
  SCRIPT_END(&fr->s);
}

TEST(tcp_accept_leaves_sigpipe) {
  struct shared sh = {0};
  listen_any(&sh);
  signal(SIGPIPE, SIG_DFL);
  /* A client of plain POSIX: connecting with the runtime would set it. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  struct sockaddr_in sin = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)sh.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_OK(connect(fd, (struct sockaddr *)&sin, sizeof sin));
  run_peers(&sh, sigpipe_server_poll, nothing_poll);
  close(fd);
}

/* ---- backpressure -------------------------------------------------------- */

/* Reads one byte, then waits until the connection's buffer is full, which
 * must stop reading; then reads everything and checks it. */
static ac_poll slow_reader_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 1);
  ASSERT_EQ(fr->sub.read.result, 1);
  ASSERT_EQ((unsigned char)fr->buf[0], pattern(0));
  fr->got = 1;
  WAIT_UNTIL(&fr->s, cx, ac__test_stream_buffered(fr->c) == AC_STREAM_BUFFER);
  ASSERT_EQ(ac__test_stream_reading(fr->c), 0);
  for (;;) {
    AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->bulk,
          sizeof fr->bulk);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    for (ptrdiff_t i = 0; i < fr->sub.read.result; i++)
      ASSERT_EQ((unsigned char)fr->bulk[i], pattern(fr->got + (size_t)i));
    fr->got += (size_t)fr->sub.read.result;
  }
  ASSERT_EQ(fr->got, MEDIUM);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll big_writer_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->big = big_new();
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, MEDIUM);
  ASSERT_OK(fr->sub.write.result);
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_backpressure_stops_reading) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, slow_reader_poll, big_writer_poll);
}

/* ---- at most one pending accept, read and write -------------------------- */

static ac_poll busy_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  ac_stream *c2 = NULL;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_listener_accept, fr->other.accept, fr->sh->l, &fr->c);
  ASSERT_EQ(POLL_NOW(cx, ac_listener_accept, fr->sub.accept, fr->sh->l, &c2),
            AC_EBUSY);
  ASSERT_NULL(c2);
  fr->sh->step = 1;
  RESUME(&fr->s, cx, ac_listener_accept, fr->other.accept);
  ASSERT_OK(fr->other.accept.result);
  ac_listener_close(fr->sh->l);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll busy_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  CONNECT(fr, cx);
  START(cx, ac_stream_read, fr->other.read, fr->c, fr->buf, sizeof fr->buf);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 1),
            AC_EBUSY);
  ac_stream_read_drop(&fr->other.read);
  fr->big = big_new();
  START(cx, ac_stream_write_all, fr->other.write, fr->c, fr->big, BIG);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, 1),
            AC_EBUSY);
  ac_stream_write_all_drop(&fr->other.write);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_one_pending_accept_read_write) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, busy_server_poll, busy_client_poll);
}

/* ---- dropping pending futures -------------------------------------------- */

/* A dropped accept leaves the listener usable: the next accept gets the
 * connection. */
static ac_poll drop_accept_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_listener_accept, fr->other.accept, fr->sh->l, &fr->c);
  ac_listener_accept_drop(&fr->other.accept);
  ac_listener_accept_drop(&fr->other.accept); /* Twice is harmless. */
  ASSERT_NULL(fr->c);
  fr->sh->step = 1;
  ACCEPT_ONE(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll eof_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  CONNECT(fr, cx);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_drop_pending_accept) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, drop_accept_server_poll, eof_client_poll);
}

/* A connect dropped while in flight: libuv still owns the request, which
 * must stay valid until its callback. */
struct drop_connect {
  struct script s;
  struct shared sh;
  ac_stream *c;
  struct ac_tcp_connect_frame connect;
};

static ac_poll drop_connect_poll(void *frame, ac_cx *cx) {
  struct drop_connect *fr = frame;
  listen_any(&fr->sh);
  START(cx, ac_tcp_connect, fr->connect, "127.0.0.1", fr->sh.port, &fr->c);
  ac_tcp_connect_drop(&fr->connect);
  ac_tcp_connect_drop(&fr->connect);
  ASSERT_NULL(fr->c);
  ac_listener_close(fr->sh.l);
  return AC_READY;
}

TEST(tcp_drop_pending_connect) {
  struct drop_connect fr = {.c = NULL};
  ASSERT_OK(ac__block_on(&fr, drop_connect_poll, count_drop));
  ASSERT_LOOP_CLOSED();
}

/* A dropped read loses no data: what arrives next is read by the next
 * read. */
static ac_poll drop_read_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  START(cx, ac_stream_read, fr->other.read, fr->c, fr->buf, sizeof fr->buf);
  ac_stream_read_drop(&fr->other.read);
  ac_stream_read_drop(&fr->other.read);
  fr->sh->step = 1;
  READ_TO_EOF(fr, cx);
  ASSERT_EQ(fr->got, strlen(greeting));
  ASSERT_EQ(memcmp(fr->buf, greeting, fr->got), 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll late_writer_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, greeting,
        strlen(greeting));
  ASSERT_OK(fr->sub.write.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_drop_pending_read_keeps_data) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, drop_read_server_poll, late_writer_poll);
}

/* A write dropped while the socket is full: the runtime holds a copy of
 * what libuv still has to send, so the caller may reuse or free its buffer
 * at once.  The writer overwrites it: the peer must still receive a prefix
 * of the original bytes. */
static ac_poll prefix_reader_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  for (;;) {
    AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->bulk,
          sizeof fr->bulk);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    for (ptrdiff_t i = 0; i < fr->sub.read.result; i++)
      ASSERT_EQ((unsigned char)fr->bulk[i], pattern(fr->got + (size_t)i));
    fr->got += (size_t)fr->sub.read.result;
  }
  ASSERT_LT(fr->got, BIG);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll drop_writer_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  fr->big = big_new();
  START(cx, ac_stream_write_all, fr->other.write, fr->c, fr->big, BIG);
  ac_stream_write_all_drop(&fr->other.write);
  ac_stream_write_all_drop(&fr->other.write);
  memset(fr->big, 0xff, BIG); /* 0xff is not in the pattern. */
  fr->sh->step = 1;
  /* A shutdown waits for the orphaned request, so the peer reads it. */
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_drop_pending_write) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, prefix_reader_poll, drop_writer_poll);
}

/* ---- closing with futures pending ---------------------------------------- */

/* Closes its connection while its own read, then its own write, are
 * pending: both complete with AC_ECANCELED. */
static ac_poll close_pending_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  START(cx, ac_stream_read, fr->other.read, fr->c, fr->buf, sizeof fr->buf);
  fr->big = big_new();
  START(cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, BIG);
  ac_stream_close(fr->c);
  RESUME(&fr->s, cx, ac_stream_read, fr->other.read);
  ASSERT_EQ(fr->other.read.result, AC_ECANCELED);
  RESUME(&fr->s, cx, ac_stream_write_all, fr->sub.write);
  ASSERT_EQ(fr->sub.write.result, AC_ECANCELED);
  ac_listener_close(fr->sh->l);
  SCRIPT_END(&fr->s);
}

static ac_poll close_pending_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_listener_accept, fr->sub.accept, fr->sh->l, &fr->c);
  /* Closing the listener completes the pending accept. */
  ac_listener_close(fr->sh->l);
  RESUME(&fr->s, cx, ac_listener_accept, fr->sub.accept);
  ASSERT_EQ(fr->sub.accept.result, AC_ECANCELED);
  ASSERT_NULL(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_close_completes_pending_futures) {
  struct shared sh = {0};
  struct peer server;
  peer_init(&server, &sh);
  listen_any(&sh);
  ASSERT_OK(ac__block_on(&server, close_pending_server_poll, script_drop));
  ASSERT_LOOP_CLOSED();
  /* The client needs a server that accepts nothing: a listener's backlog
   * completes the connection. */
  listen_any(&sh);
  struct peer client;
  peer_init(&client, &sh);
  ASSERT_OK(ac__block_on(&client, close_pending_client_poll, script_drop));
  ASSERT_EQ(client.s.line, -1);
  ASSERT_LOOP_CLOSED();
  free(client.big);
}

/* ---- out of memory ------------------------------------------------------- */

/* Each operation's one allocation fails once with AC_ENOMEM, and the
 * operation then succeeds: connect (the connection), accept (the
 * connection: the peer's stays queued), a buffered read (the stream's
 * buffer) and write_all (the copy of what the socket did not take). */
static ac_poll oom_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  ac__test_fail_alloc(0);
  AWAIT(&fr->s, cx, ac_listener_accept, fr->sub.accept, fr->sh->l, &fr->c);
  ASSERT_EQ(fr->sub.accept.result, AC_ENOMEM);
  ASSERT_NULL(fr->c);
  ACCEPT_ONE(fr, cx);
  fr->sh->step = 2;
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 3);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll oom_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ac__test_fail_alloc(0);
  AWAIT(&fr->s, cx, ac_tcp_connect, fr->sub.connect, "127.0.0.1", fr->sh->port,
        &fr->c);
  ASSERT_EQ(fr->sub.connect.result, AC_ENOMEM);
  ASSERT_NULL(fr->c);
  CONNECT(fr, cx);
  fr->sh->step = 1;
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 2);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_peek, fr->sub.peek, fr->c, 1, &fr->view),
            AC_ENOMEM);
  START(cx, ac_stream_peek, fr->sub.peek, fr->c, 1, &fr->view);
  ac_stream_peek_drop(&fr->sub.peek);
  fr->big = big_new();
  ac__test_fail_alloc(0);
  ASSERT_EQ(
      POLL_NOW(cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, BIG),
      AC_ENOMEM);
  ac__test_fail_alloc(-1);
  fr->sh->step = 3;
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_oom_each_operation) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, oom_server_poll, oom_client_poll);
}

/* ---- options, descriptors and addresses ---------------------------------- */

static int sockopt(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  ASSERT_OK(getsockopt(fd, level, name, &v, &len));
  return v;
}

/* Both ends: TCP_NODELAY and keepalive as set, descriptors that are the
 * sockets', and addresses that are each other's. */
static ac_poll options_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  {
    int fd = ac_stream_fileno(fr->c);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(sockopt(fd, IPPROTO_TCP, TCP_NODELAY), 0);
    ASSERT_OK(ac_tcp_set_nodelay(fr->c, 1));
    ASSERT_NE(sockopt(fd, IPPROTO_TCP, TCP_NODELAY), 0);
    ASSERT_OK(ac_tcp_set_nodelay(fr->c, 0));
    ASSERT_EQ(sockopt(fd, IPPROTO_TCP, TCP_NODELAY), 0);
    ASSERT_OK(ac_tcp_set_keepalive(fr->c, 1, 42));
    ASSERT_NE(sockopt(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
    ASSERT_EQ(sockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE), 42);
    ASSERT_OK(ac_tcp_set_keepalive(fr->c, 0, 0));
    ASSERT_EQ(sockopt(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
    struct sockaddr_storage local, peer;
    char a[64], b[64];
    ASSERT_OK(ac_stream_local_addr(fr->c, &local));
    ASSERT_OK(ac_stream_peer_addr(fr->c, &peer));
    ASSERT_OK(ac_addr_format((struct sockaddr *)&local, a, sizeof a));
    snprintf(b, sizeof b, "127.0.0.1:%d", fr->sh->port);
    ASSERT_EQ(strcmp(a, b), 0);
    ASSERT_OK(
        ac_addr_format((struct sockaddr *)&peer, fr->buf, sizeof fr->buf));
  }
  fr->sh->step = 1;
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 2);
  ac_stream_close(fr->c);
  ASSERT_EQ(ac_stream_fileno(fr->c), AC_EBADF); /* Until the loop runs. */
  SCRIPT_END(&fr->s);
}

static ac_poll options_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  {
    struct sockaddr_storage local;
    char a[64];
    ASSERT_OK(ac_stream_local_addr(fr->c, &local));
    ASSERT_OK(ac_addr_format((struct sockaddr *)&local, a, sizeof a));
    /* The server saw the client's local address as its peer. */
    ASSERT_EQ(strcmp(a, fr->sh->peer_seen), 0);
  }
  fr->sh->step = 2;
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(tcp_options_fd_and_addresses) {
  struct shared sh = {0};
  struct peer a, b;
  listen_any(&sh);
  peer_init(&a, &sh);
  peer_init(&b, &sh);
  sh.peer_seen = a.buf;
  run_pair(&a, options_server_poll, &b, options_client_poll);
}

static void addr_format_body(ac_cx *cx) {
  (void)cx;
  struct sockaddr_storage ss;
  char buf[64];
  ASSERT_OK(ac__parse_addr("::1", 8080, &ss));
  ASSERT_OK(ac_addr_format((struct sockaddr *)&ss, buf, sizeof buf));
  ASSERT_EQ(strcmp(buf, "[::1]:8080"), 0);
  ASSERT_OK(ac__parse_addr("10.0.0.1", 80, &ss));
  ASSERT_EQ(ac_addr_format((struct sockaddr *)&ss, buf, 5), AC_ENOBUFS);
  ASSERT_EQ(buf[0], '\0');
  ASSERT_OK(ac_addr_format((struct sockaddr *)&ss, buf, 13));
  ASSERT_EQ(strcmp(buf, "10.0.0.1:80"), 0);
  ss.ss_family = AF_UNSPEC;
  ASSERT_EQ(ac_addr_format((struct sockaddr *)&ss, buf, sizeof buf), AC_EINVAL);
  ASSERT_EQ(ac_addr_format(NULL, buf, sizeof buf), AC_EINVAL);
  ASSERT_EQ(ac_stream_fileno(NULL), AC_EINVAL);
  ASSERT_EQ(ac_tcp_set_nodelay(NULL, 1), AC_EINVAL);
  ASSERT_EQ(ac_stream_local_addr(NULL, &ss), AC_EINVAL);
}

TEST(tcp_addr_format) {
  run_in_block_on(addr_format_body);
}

/* SO_REUSEPORT: a second listener on the same port is refused without
 * the flag on both, accepted with it; IPV6_V6ONLY needs IPv6. */
static void reuseport_body(ac_cx *cx) {
  (void)cx;
  ac_listener *a, *b;
  ASSERT_OK(ac_tcp_listen_flags("127.0.0.1", 0, 16, AC_TCP_REUSEPORT, &a));
  int port = ac_listener_port(a);
  ASSERT_EQ(ac_tcp_listen("127.0.0.1", port, 16, &b), AC_EADDRINUSE);
  ASSERT_OK(ac_tcp_listen_flags("127.0.0.1", port, 16, AC_TCP_REUSEPORT, &b));
  ASSERT_EQ(ac_listener_port(b), port);
  ASSERT_GE(ac_listener_fileno(b), 0);
  ASSERT_NE(sockopt(ac_listener_fileno(b), SOL_SOCKET, SO_REUSEPORT), 0);
  ac_listener_close(a);
  ac_listener_close(b);
  ASSERT_EQ(ac_tcp_listen_flags("127.0.0.1", 0, 16, AC_TCP_IPV6ONLY, &a),
            AC_EINVAL);
  ASSERT_EQ(ac_tcp_listen_flags("127.0.0.1", 0, 16, 0x80, &a), AC_EINVAL);
  ASSERT_OK(ac_tcp_listen_flags("::1", 0, 16, AC_TCP_IPV6ONLY, &a));
  ASSERT_NE(sockopt(ac_listener_fileno(a), IPPROTO_IPV6, IPV6_V6ONLY), 0);
  ac_listener_close(a);
}

TEST(tcp_listen_reuseport_and_v6only) {
  run_in_block_on(reuseport_body);
}
