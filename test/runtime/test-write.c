/* test-write.c -- writing a stream: writev (several buffers, empty ones,
 * more than the socket takes, dropped), sendfile (a small file, a file
 * bigger than the socket's buffers, past the end of the file, after a
 * dropped write still in flight), and their arguments.  Over TCP on
 * 127.0.0.1 (peer.h). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "peer.h"

/* Reads everything into fr->big (BIG bytes) until the end of the stream,
 * counting in fr->got. */
static ac_poll drain_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->big = malloc(BIG);
  ASSERT_NOT_NULL(fr->big);
  ACCEPT_ONE(fr, cx);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step >= 1);
  for (;;) {
    AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->big + fr->got,
          BIG - fr->got);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    fr->got += (size_t)fr->sub.read.result;
  }
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

/* Runs `client` against drain_server_poll and yields the server's peer,
 * with what it read, for the caller to check and free. */
static void run_drain(ac_poll_fn client, struct peer *server) {
  struct shared sh = {0};
  listen_any(&sh);
  struct peer c;
  peer_init(server, &sh);
  peer_init(&c, &sh);
  run_pair(server, drain_server_poll, &c, client);
  free(c.big);
}

/* ---- writev -------------------------------------------------------------- */

/* Three buffers, one of them empty, in one writev. */
static ac_poll writev_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  fr->sh->step = 1;
  fr->iov[0] = (struct iovec){(void *)"HTTP/1.1 200 OK\r\n\r\n", 19};
  fr->iov[1] = (struct iovec){NULL, 0};
  fr->iov[2] = (struct iovec){(void *)"body", 4};
  AWAIT(&fr->s, cx, ac_stream_writev, fr->sub.writev, fr->c, fr->iov, 3);
  ASSERT_OK(fr->sub.writev.result);
  AWAIT(&fr->s, cx, ac_stream_writev, fr->sub.writev, fr->c, fr->iov, 0);
  ASSERT_OK(fr->sub.writev.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_writev_buffers_in_order) {
  struct peer server;
  run_drain(writev_client_poll, &server);
  ASSERT_EQ(server.got, 23);
  ASSERT_EQ(memcmp(server.big, "HTTP/1.1 200 OK\r\n\r\nbody", 23), 0);
  free(server.big);
}

/* More than the socket takes: the rest goes out in copied chunks while
 * the peer reads, every byte in its place across the buffers' seams. */
static ac_poll writev_big_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->big = big_new();
  CONNECT(fr, cx);
  fr->sh->step = 1;
  fr->iov[0] = (struct iovec){fr->big, 1000};
  fr->iov[1] = (struct iovec){fr->big + 1000, MEDIUM - 1000};
  fr->iov[2] = (struct iovec){fr->big + MEDIUM, 0};
  fr->iov[3] = (struct iovec){fr->big + MEDIUM, MEDIUM};
  AWAIT(&fr->s, cx, ac_stream_writev, fr->sub.writev, fr->c, fr->iov, 4);
  ASSERT_OK(fr->sub.writev.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_writev_more_than_socket_takes) {
  struct peer server;
  run_drain(writev_big_client_poll, &server);
  ASSERT_EQ(server.got, 2 * MEDIUM);
  for (size_t i = 0; i < server.got; i++)
    ASSERT_EQ(server.big[i], pattern(i));
  free(server.big);
}

/* A writev dropped while the socket is full, then its buffers
 * overwritten: the peer gets a prefix of the original bytes, no more. */
static ac_poll writev_drop_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->big = big_new();
  CONNECT(fr, cx);
  fr->iov[0] = (struct iovec){fr->big, BIG / 2};
  fr->iov[1] = (struct iovec){fr->big + BIG / 2, BIG / 2};
  START(cx, ac_stream_writev, fr->sub.writev, fr->c, fr->iov, 2);
  ac_stream_writev_drop(&fr->sub.writev);
  memset(fr->big, 0xff, BIG); /* 0xff is not in the pattern. */
  fr->sh->step = 1;
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_writev_drop_pending) {
  struct peer server;
  run_drain(writev_drop_client_poll, &server);
  ASSERT_GT(server.got, 0);
  ASSERT_LT(server.got, BIG);
  for (size_t i = 0; i < server.got; i++)
    ASSERT_EQ(server.big[i], pattern(i));
  free(server.big);
}

/* ---- sendfile ------------------------------------------------------------ */

/* A temporary file of `len` pattern bytes, open for reading in fr->fd. */
static void file_new(struct peer *fr, size_t len) {
  snprintf(fr->path, sizeof fr->path, "/tmp/asyncc-sendfile-XXXXXX");
  int fd = mkstemp(fr->path);
  ASSERT_GE(fd, 0);
  unsigned char chunk[4096];
  for (size_t done = 0; done < len;) {
    size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
    for (size_t i = 0; i < n; i++)
      chunk[i] = pattern(done + i);
    ASSERT_EQ(write(fd, chunk, n), (ssize_t)n);
    done += n;
  }
  fr->fd = fd;
}

static void file_free(struct peer *fr) {
  close(fr->fd);
  unlink(fr->path);
}

/* 4 KiB, then the same file from offset 100 asking for more than there
 * is (the count says where it ended), then nothing at the end. */
static ac_poll sendfile_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  file_new(fr, 4096);
  CONNECT(fr, cx);
  fr->sh->step = 1;
  AWAIT(&fr->s, cx, ac_stream_sendfile, fr->sub.sendfile, fr->c, fr->fd, 0,
        4096);
  ASSERT_EQ(fr->sub.sendfile.result, 4096);
  AWAIT(&fr->s, cx, ac_stream_sendfile, fr->sub.sendfile, fr->c, fr->fd, 100,
        10000);
  ASSERT_EQ(fr->sub.sendfile.result, 4096 - 100);
  AWAIT(&fr->s, cx, ac_stream_sendfile, fr->sub.sendfile, fr->c, fr->fd, 4096,
        10);
  ASSERT_EQ(fr->sub.sendfile.result, 0);
  file_free(fr);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_sendfile_small_file) {
  struct peer server;
  run_drain(sendfile_client_poll, &server);
  ASSERT_EQ(server.got, 4096 + 4096 - 100);
  for (size_t i = 0; i < 4096; i++)
    ASSERT_EQ(server.big[i], pattern(i));
  for (size_t i = 100; i < 4096; i++)
    ASSERT_EQ(server.big[4096 + i - 100], pattern(i));
  free(server.big);
}

/* A file bigger than the socket's buffers, sent while the peer has not
 * started reading: sendfile meets a full socket, and the rest goes out
 * through copied chunks and sendfile in turn. */
static ac_poll sendfile_big_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  file_new(fr, 2 * MEDIUM);
  CONNECT(fr, cx);
  START(cx, ac_stream_sendfile, fr->sub.sendfile, fr->c, fr->fd, 0, 2 * MEDIUM);
  fr->sh->step = 1;
  RESUME(&fr->s, cx, ac_stream_sendfile, fr->sub.sendfile);
  ASSERT_EQ(fr->sub.sendfile.result, 2 * MEDIUM);
  file_free(fr);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_sendfile_more_than_socket_takes) {
  struct peer server;
  run_drain(sendfile_big_client_poll, &server);
  ASSERT_EQ(server.got, 2 * MEDIUM);
  for (size_t i = 0; i < server.got; i++)
    ASSERT_EQ(server.big[i], pattern(i));
  free(server.big);
}

/* After a write dropped with bytes still queued in libuv, a sendfile
 * must not overtake them: the peer reads a prefix of the dropped write,
 * then the whole file. */
static ac_poll sendfile_order_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  file_new(fr, 4096);
  fr->big = malloc(BIG);
  ASSERT_NOT_NULL(fr->big);
  memset(fr->big, 'w', BIG);
  CONNECT(fr, cx);
  START(cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, BIG);
  ac_stream_write_all_drop(&fr->sub.write);
  START(cx, ac_stream_sendfile, fr->sub.sendfile, fr->c, fr->fd, 0, 4096);
  fr->sh->step = 1;
  RESUME(&fr->s, cx, ac_stream_sendfile, fr->sub.sendfile);
  ASSERT_EQ(fr->sub.sendfile.result, 4096);
  file_free(fr);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(write_sendfile_after_queued_write) {
  struct peer server;
  run_drain(sendfile_order_client_poll, &server);
  ASSERT_GT(server.got, 4096);
  size_t prefix = server.got - 4096;
  for (size_t i = 0; i < prefix; i++)
    ASSERT_EQ(server.big[i], 'w');
  for (size_t i = 0; i < 4096; i++)
    ASSERT_EQ(server.big[prefix + i], pattern(i));
  free(server.big);
}

/* ---- arguments ----------------------------------------------------------- */

static void invalid_body(ac_cx *cx) {
  char b[4] = "abc";
  struct iovec bad[2] = {{b, 1}, {NULL, 3}};
  struct ac_stream_writev_frame w;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_writev, w, NULL, bad, 1), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_writev, w, NULL, bad, -1), AC_EINVAL);
  struct shared sh = {0};
  listen_any(&sh);
  /* Checked before the stream is: a NULL buffer with bytes in it. */
  ASSERT_EQ(POLL_NOW(cx, ac_stream_writev, w, NULL, bad, 2), AC_EINVAL);
  ac_listener_close(sh.l);
  struct ac_stream_sendfile_frame f;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_sendfile, f, NULL, 0, 0, 1), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_sendfile, f, NULL, -1, 0, 1), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_sendfile, f, NULL, 0, -1, 1), AC_EINVAL);
  ASSERT_EQ(ac_stream_writev_poll(&w, cx), AC_READY);
  ac_stream_writev_drop(&w);
  ac_stream_sendfile_drop(&f);
}

TEST(write_invalid_arguments) {
  run_in_block_on(invalid_body);
}
