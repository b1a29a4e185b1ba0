/* test-udp.c -- UDP over 127.0.0.1: datagrams both ways with the sender's
 * address, an empty datagram, one cut to the buffer, a receive pending
 * when the socket closes, a dropped receive, and the errors. */
#include <string.h>
#include <sys/socket.h>

#include "io-util.h"

struct udp_pair {
  struct script s;
  ac_udp *a, *b;
  struct sockaddr_storage a_addr, b_addr, from;
  char buf[16];
  union {
    struct ac_udp_send_to_frame send;
    struct ac_udp_recv_from_frame recv;
    struct ac_sleep_frame sleep;
  } sub;
  struct ac_udp_recv_from_frame other;
};

static ac_poll round_trip_poll(void *frame, ac_cx *cx) {
  struct udp_pair *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ASSERT_OK(ac_udp_bind("127.0.0.1", 0, 0, &fr->a));
  ASSERT_OK(ac_udp_bind("127.0.0.1", 0, AC_UDP_REUSEADDR, &fr->b));
  ASSERT_OK(ac_udp_local_addr(fr->a, &fr->a_addr));
  ASSERT_OK(ac_udp_local_addr(fr->b, &fr->b_addr));
  ASSERT_GE(ac_udp_fileno(fr->a), 0);
  /* a receives before b sends. */
  START(cx, ac_udp_recv_from, fr->other, fr->a, fr->buf, sizeof fr->buf,
        &fr->from);
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->b, "ping", 4,
        (struct sockaddr *)&fr->a_addr);
  ASSERT_OK(fr->sub.send.result);
  RESUME(&fr->s, cx, ac_udp_recv_from, fr->other);
  ASSERT_EQ(fr->other.result, 4);
  ASSERT_EQ(memcmp(fr->buf, "ping", 4), 0);
  ASSERT_EQ(memcmp(&fr->from, &fr->b_addr, sizeof(struct sockaddr_in)), 0);
  /* b's datagrams wait in the kernel until a receive comes. */
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->a, "", 0,
        (struct sockaddr *)&fr->from);
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->a,
        "a datagram longer than the buffer", 33, (struct sockaddr *)&fr->from);
  AWAIT(&fr->s, cx, ac_udp_recv_from, fr->sub.recv, fr->b, fr->buf,
        sizeof fr->buf, NULL);
  ASSERT_EQ(fr->sub.recv.result, 0); /* The empty one. */
  AWAIT(&fr->s, cx, ac_udp_recv_from, fr->sub.recv, fr->b, fr->buf,
        sizeof fr->buf, &fr->from);
  ASSERT_EQ(fr->sub.recv.result, 16); /* Cut to the buffer. */
  ASSERT_EQ(memcmp(fr->buf, "a datagram longe", 16), 0);
  ASSERT_EQ(memcmp(&fr->from, &fr->a_addr, sizeof(struct sockaddr_in)), 0);
  /* A receive of 0 bytes takes a datagram and discards it. */
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->a, "gone", 4,
        (struct sockaddr *)&fr->b_addr);
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->a, "next", 4,
        (struct sockaddr *)&fr->b_addr);
  AWAIT(&fr->s, cx, ac_udp_recv_from, fr->sub.recv, fr->b, fr->buf, 0, NULL);
  ASSERT_EQ(fr->sub.recv.result, 0);
  AWAIT(&fr->s, cx, ac_udp_recv_from, fr->sub.recv, fr->b, fr->buf,
        sizeof fr->buf, NULL);
  ASSERT_EQ(fr->sub.recv.result, 4);
  ASSERT_EQ(memcmp(fr->buf, "next", 4), 0);
  ac_udp_close(fr->a);
  ac_udp_close(fr->b);
  SCRIPT_END(&fr->s);
}

static void run_udp(ac_poll_fn poll) {
  struct udp_pair fr;
  memset(&fr, 0, sizeof fr);
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
}

TEST(udp_round_trip) {
  run_udp(round_trip_poll);
}

/* A dropped receive loses nothing; a second receive while one is pending
 * is AC_EBUSY; closing completes the pending one with AC_ECANCELED. */
static ac_poll drop_close_poll(void *frame, ac_cx *cx) {
  struct udp_pair *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ASSERT_OK(ac_udp_bind("127.0.0.1", 0, 0, &fr->a));
  ASSERT_OK(ac_udp_bind("127.0.0.1", 0, 0, &fr->b));
  ASSERT_OK(ac_udp_local_addr(fr->a, &fr->a_addr));
  START(cx, ac_udp_recv_from, fr->other, fr->a, fr->buf, sizeof fr->buf, NULL);
  ac_udp_recv_from_drop(&fr->other);
  ac_udp_recv_from_drop(&fr->other);
  AWAIT(&fr->s, cx, ac_udp_send_to, fr->sub.send, fr->b, "kept", 4,
        (struct sockaddr *)&fr->a_addr);
  AWAIT(&fr->s, cx, ac_sleep, fr->sub.sleep, 10); /* It arrives. */
  AWAIT(&fr->s, cx, ac_udp_recv_from, fr->sub.recv, fr->a, fr->buf,
        sizeof fr->buf, NULL);
  ASSERT_EQ(fr->sub.recv.result, 4);
  ASSERT_EQ(memcmp(fr->buf, "kept", 4), 0);
  START(cx, ac_udp_recv_from, fr->other, fr->a, fr->buf, sizeof fr->buf, NULL);
  ASSERT_EQ(
      POLL_NOW(cx, ac_udp_recv_from, fr->sub.recv, fr->a, fr->buf, 1, NULL),
      AC_EBUSY);
  ac_udp_close(fr->a);
  RESUME(&fr->s, cx, ac_udp_recv_from, fr->other);
  ASSERT_EQ(fr->other.result, AC_ECANCELED);
  ac_udp_close(fr->b);
  SCRIPT_END(&fr->s);
}

TEST(udp_drop_busy_and_close) {
  run_udp(drop_close_poll);
}

static void invalid_body(ac_cx *cx) {
  ac_udp *u = NULL;
  ASSERT_EQ(ac_udp_bind("localhost", 0, 0, &u), AC_EINVAL);
  ASSERT_EQ(ac_udp_bind("127.0.0.1", 70000, 0, &u), AC_EINVAL);
  ASSERT_EQ(ac_udp_bind("127.0.0.1", 0, 0x80, &u), AC_EINVAL);
  ASSERT_EQ(ac_udp_bind("127.0.0.1", 0, 0, NULL), AC_EINVAL);
  ASSERT_NULL(u);
  ASSERT_EQ(ac_udp_fileno(NULL), AC_EINVAL);
  ac_udp_close(NULL);
  char b[4];
  struct sockaddr_storage ss;
  struct ac_udp_send_to_frame s;
  ASSERT_EQ(POLL_NOW(cx, ac_udp_send_to, s, NULL, b, 1, (struct sockaddr *)&ss),
            AC_EINVAL);
  struct ac_udp_recv_from_frame r;
  ASSERT_EQ(POLL_NOW(cx, ac_udp_recv_from, r, NULL, b, 1, NULL), AC_EINVAL);
  ASSERT_OK(ac_udp_bind("127.0.0.1", 0, 0, &u));
  ASSERT_EQ(POLL_NOW(cx, ac_udp_send_to, s, u, b, 1, NULL), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_udp_recv_from, r, u, NULL, 1, NULL), AC_EINVAL);
  ac_udp_close(u);
  ac_udp_send_to_drop(&s);
  ac_udp_recv_from_drop(&r);
}

TEST(udp_invalid_arguments) {
  run_in_block_on(invalid_body);
}
