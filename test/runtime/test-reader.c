/* test-reader.c -- reading a stream: reads straight into the caller's
 * buffer, read_line and read_until over pipelined data, pointers that stay
 * valid across awaits, read_exact, peek and consume, a buffer too small,
 * the end of the stream in the middle of a line, drops, closes and out of
 * memory.  Over TCP on 127.0.0.1 (peer.h). */
#include "peer.h"

/* Writes `text` and shuts down: the peer reads it, then the end. */
static ac_poll send_text_poll(void *frame, ac_cx *cx, const char *text) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, text,
        strlen(text));
  ASSERT_OK(fr->sub.write.result);
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  ASSERT_OK(fr->sub.shutdown.result);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static const char lines[] = "PING\r\nSET k v\r\n\r\nlast without newline";

static ac_poll send_lines_poll(void *frame, ac_cx *cx) {
  return send_text_poll(frame, cx, lines);
}

/* Asserts that fr's last read_line or read_until yielded `want`. */
#define ASSERT_VIEW(fr, result, want)                                          \
  do {                                                                         \
    ASSERT_EQ(result, (ptrdiff_t)strlen(want));                                \
    ASSERT_EQ(memcmp((fr)->view, want, strlen(want)), 0);                      \
  } while (0)

#define READ_LINE(fr, cx)                                                      \
  AWAIT(&(fr)->s, cx, ac_stream_read_line, (fr)->sub.read_line, (fr)->c,       \
        &(fr)->view)

/* ---- read_line ----------------------------------------------------------- */

/* The lines come in one segment; each read_line takes one, with its
 * "\r\n"; the last has none, then the end of the stream is 0, again. */
static ac_poll lines_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "PING\r\n");
  /* The rest came in the same segment: it is buffered. */
  WAIT_UNTIL(&fr->s, cx, ac_stream_buffered(fr->c) == sizeof lines - 1 - 6);
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "SET k v\r\n");
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "\r\n");
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "last without newline");
  READ_LINE(fr, cx);
  ASSERT_EQ(fr->sub.read_line.result, 0);
  READ_LINE(fr, cx);
  ASSERT_EQ(fr->sub.read_line.result, 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_read_line_pipelined) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, lines_server_poll, send_lines_poll);
}

/* ---- pointers stay valid until the next read ----------------------------- */

/* A line is taken while the rest is still coming, a byte at a time; the
 * pointer read_until gave must keep its bytes while the buffer fills and
 * fills again behind it, until the next read operation. */
static ac_poll pinned_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  ASSERT_OK(ac_stream_set_buffer_size(fr->c, 32));
  AWAIT(&fr->s, cx, ac_stream_read_until, fr->sub.read_until, fr->c, ';',
        &fr->view);
  ASSERT_VIEW(fr, fr->sub.read_until.result, "first;");
  fr->sh->step = 1;
  /* The buffer fills up behind the pinned line and reading stops. */
  WAIT_UNTIL(&fr->s, cx, !ac__test_stream_reading(fr->c));
  ASSERT_EQ(memcmp(fr->view, "first;", 6), 0);
  ASSERT_EQ(ac_stream_buffered(fr->c), 32 - 6);
  /* The next read may move it: reading goes on. */
  AWAIT(&fr->s, cx, ac_stream_read_until, fr->sub.read_until, fr->c, ';',
        &fr->view);
  ASSERT_VIEW(fr, fr->sub.read_until.result,
              "0123456789abcdefghijklmnopqrstu;");
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll pinned_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "first;", 6);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  for (fr->got = 0; fr->got < 31; fr->got++) {
    AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c,
          "0123456789abcdefghijklmnopqrstu" + fr->got, 1);
    ASSERT_OK(fr->sub.write.result);
    AWAIT(&fr->s, cx, ac_sleep, fr->sub.sleep, 0);
  }
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, ";", 1);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_pointers_stay_valid_until_next_read) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, pinned_server_poll, pinned_client_poll);
}

/* ---- a line longer than the buffer --------------------------------------- */

static ac_poll long_line_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  ASSERT_OK(ac_stream_set_buffer_size(fr->c, 16));
  READ_LINE(fr, cx);
  ASSERT_EQ(fr->sub.read_line.result, AC_ENOBUFS);
  /* Nothing was consumed: the caller decides. */
  ASSERT_EQ(ac_stream_buffered(fr->c), 16);
  AWAIT(&fr->s, cx, ac_stream_peek, fr->sub.peek, fr->c, 16, &fr->view);
  ASSERT_EQ(fr->sub.peek.result, 16);
  ASSERT_EQ(memcmp(fr->view, "0123456789abcdef", 16), 0);
  ac_stream_consume(fr->c, 16);
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "ghij\n");
  /* A bigger buffer holds what a smaller one could not. */
  AWAIT(&fr->s, cx, ac_stream_peek, fr->sub.peek, fr->c, 17, &fr->view);
  ASSERT_EQ(fr->sub.peek.result, AC_ENOBUFS);
  ASSERT_OK(ac_stream_set_buffer_size(fr->c, 64));
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "klmnopqrstuvwxyz0123456789\n");
  READ_LINE(fr, cx);
  ASSERT_EQ(fr->sub.read_line.result, 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll long_line_client_poll(void *frame, ac_cx *cx) {
  return send_text_poll(frame, cx,
                        "0123456789abcdefghij\nklmnopqrstuvwxyz0123456789\n");
}

TEST(reader_line_longer_than_buffer) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, long_line_server_poll, long_line_client_poll);
}

/* ---- read_exact, peek, consume ------------------------------------------- */

/* A length-prefixed frame: the header is peeked and consumed, the body
 * read exactly, most of it straight into the caller's buffer; then the
 * stream ends in the middle of the next body. */
static ac_poll exact_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_peek, fr->sub.peek, fr->c, 0, &fr->view);
  ASSERT_GE(fr->sub.peek.result, 0); /* What is there, without waiting. */
  AWAIT(&fr->s, cx, ac_stream_peek, fr->sub.peek, fr->c, 4, &fr->view);
  ASSERT_GE(fr->sub.peek.result, 4);
  ASSERT_EQ(memcmp(fr->view, "LEN8", 4), 0);
  ac_stream_consume(fr->c, 4);
  fr->big = malloc(MEDIUM);
  ASSERT_NOT_NULL(fr->big);
  AWAIT(&fr->s, cx, ac_stream_read_exact, fr->sub.read_exact, fr->c, fr->big,
        MEDIUM);
  ASSERT_EQ(fr->sub.read_exact.result, MEDIUM);
  for (size_t i = 0; i < MEDIUM; i++)
    ASSERT_EQ(fr->big[i], pattern(i));
  AWAIT(&fr->s, cx, ac_stream_read_exact, fr->sub.read_exact, fr->c, fr->buf,
        sizeof fr->buf);
  ASSERT_EQ(fr->sub.read_exact.result, AC_EOF);
  ASSERT_EQ(memcmp(fr->buf, "short", 5), 0);
  AWAIT(&fr->s, cx, ac_stream_read_exact, fr->sub.read_exact, fr->c, fr->buf,
        0);
  ASSERT_EQ(fr->sub.read_exact.result, 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll exact_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->big = big_new();
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "LEN8", 4);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, fr->big, MEDIUM);
  ASSERT_OK(fr->sub.write.result);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "short", 5);
  AWAIT(&fr->s, cx, ac_stream_shutdown, fr->sub.shutdown, fr->c);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_read_exact_and_peek) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, exact_server_poll, exact_client_poll);
}

/* ---- reads go straight into the caller's buffer -------------------------- */

/* A read pending before the data arrives gets it without the stream's
 * buffer ever being allocated: the kernel's copy is the only one. */
static ac_poll direct_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  for (fr->got = 0; fr->got < 3; fr->got++) {
    START(cx, ac_stream_read, fr->sub.read, fr->c, fr->bulk, sizeof fr->bulk);
    fr->sh->step = (int)fr->got + 1;
    RESUME(&fr->s, cx, ac_stream_read, fr->sub.read);
    ASSERT_EQ(fr->sub.read.result, 5);
    ASSERT_EQ(memcmp(fr->bulk, "hello", 5), 0);
    ASSERT_EQ(ac__test_stream_has_buffer(fr->c), 0);
  }
  fr->sh->step = 4;
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll direct_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  for (fr->got = 0; fr->got < 3; fr->got++) {
    WAIT_UNTIL(&fr->s, cx, fr->sh->step == (int)fr->got + 1);
    AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "hello", 5);
    ASSERT_OK(fr->sub.write.result);
  }
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 4);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_read_into_callers_buffer) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, direct_server_poll, direct_client_poll);
}

/* ---- drops, closes ------------------------------------------------------- */

/* A dropped read_until loses nothing: the next one finds the line. */
static ac_poll drop_until_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  START(cx, ac_stream_read_until, fr->other.read_until, fr->c, '\n', &fr->view);
  ac_stream_read_until_drop(&fr->other.read_until);
  ac_stream_read_until_drop(&fr->other.read_until); /* Twice is harmless. */
  fr->sh->step = 1;
  READ_LINE(fr, cx);
  ASSERT_VIEW(fr, fr->sub.read_line.result, "PING\r\n");
  /* A second read while one is pending is refused. */
  START(cx, ac_stream_read_line, fr->sub.read_line, fr->c, &fr->view);
  ASSERT_EQ(POLL_NOW(cx, ac_stream_peek, fr->other.peek, fr->c, 1, &fr->view),
            AC_EBUSY);
  /* Closing completes the pending one. */
  ac_stream_close(fr->c);
  RESUME(&fr->s, cx, ac_stream_read_line, fr->sub.read_line);
  ASSERT_EQ(fr->sub.read_line.result, AC_ECANCELED);
  SCRIPT_END(&fr->s);
}

static ac_poll ping_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "PING\r\n", 6);
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_drop_and_close_pending) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, drop_until_server_poll, ping_client_poll);
}

/* ---- out of memory ------------------------------------------------------- */

/* The buffer is allocated when data arrives with no read to take it; if
 * that fails, reading stops, the next read fails with AC_ENOMEM, and the
 * one after gets the data. */
static ac_poll oom_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  /* Less than asked for: libuv reads no further (no buffer needed). */
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf,
        sizeof fr->buf);
  ASSERT_EQ(fr->sub.read.result, 1);
  ASSERT_EQ(ac__test_stream_has_buffer(fr->c), 0);
  ac__test_fail_alloc(0);
  fr->sh->step = 1;
  WAIT_UNTIL(&fr->s, cx, !ac__test_stream_reading(fr->c));
  ac__test_fail_alloc(-1);
  ASSERT_EQ(ac__test_stream_has_buffer(fr->c), 0);
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 4);
  ASSERT_EQ(fr->sub.read.result, AC_ENOMEM);
  AWAIT(&fr->s, cx, ac_stream_read, fr->sub.read, fr->c, fr->buf, 4);
  ASSERT_EQ(fr->sub.read.result, 4);
  ASSERT_EQ(memcmp(fr->buf, "ello", 4), 0);
  fr->sh->step = 2;
  READ_TO_EOF(fr, cx);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll oom_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  CONNECT(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "h", 1);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 1);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "ello", 4);
  WAIT_UNTIL(&fr->s, cx, fr->sh->step == 2);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(reader_buffer_oom) {
  struct shared sh = {0};
  listen_any(&sh);
  run_peers(&sh, oom_server_poll, oom_client_poll);
}

/* ---- arguments ----------------------------------------------------------- */

static void invalid_body(ac_cx *cx) {
  char b[4];
  const char *p;
  struct ac_stream_read_exact_frame e;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_read_exact, e, NULL, b, sizeof b),
            AC_EINVAL);
  struct ac_stream_read_until_frame u;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_read_until, u, NULL, '\n', &p), AC_EINVAL);
  struct ac_stream_read_line_frame l;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_read_line, l, NULL, &p), AC_EINVAL);
  struct ac_stream_peek_frame k;
  ASSERT_EQ(POLL_NOW(cx, ac_stream_peek, k, NULL, 1, &p), AC_EINVAL);
  ASSERT_EQ(ac_stream_set_buffer_size(NULL, 10), AC_EINVAL);
  ASSERT_EQ(ac_stream_buffered(NULL), 0);
  ac_stream_consume(NULL, 3);
  /* Finished futures stay finished; drops of them do nothing. */
  ASSERT_EQ(ac_stream_peek_poll(&k, cx), AC_READY);
  ac_stream_read_exact_drop(&e);
  ac_stream_read_until_drop(&u);
  ac_stream_read_line_drop(&l);
  ac_stream_peek_drop(&k);
}

TEST(reader_invalid_arguments) {
  run_in_block_on(invalid_body);
}
