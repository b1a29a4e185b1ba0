/* test-mbox.c -- ac_mbox: a value handed from sender to receiver, a full
 * mailbox refusing a second value, a value promised to the woken
 * receiver, passed on when that receiver is dropped, and a ping-pong. */
#include <stddef.h>
#include <string.h>

#include "co.h"
#include "task.h"

static intptr_t got[8];
static int got_len;

/* async int receiver(ac_mbox *m, int times): receives `times` values,
 * logging each; returns how many it got. */
struct receiver {
  struct co co;
  int result, times;
  ac_mbox *m;
  struct ac_mbox_recv_frame recv;
};

static ac_poll receiver_poll(void *frame, ac_cx *cx) {
  struct receiver *fr = frame;
  CO_BEGIN(&fr->co);
  for (; fr->result < fr->times; fr->result++) {
    ac_mbox_recv_init(&fr->recv, fr->m);
    CO_AWAIT(&fr->co, &fr->recv, ac_mbox_recv_poll, ac_mbox_recv_drop);
    got[got_len++] = fr->recv.result;
  }
  CO_END(&fr->co);
}

static void co_frame_drop(void *frame) { co_drop(frame); }

static ac_task *spawn_receiver(ac_mbox *m, int times,
                               struct receiver **frame) {
  struct receiver proto = {.m = m, .times = times};
  ac_task *t = co_spawn(&proto, sizeof proto, receiver_poll, co_frame_drop,
                        offsetof(struct receiver, result), sizeof(int),
                        "receiver", (void **)frame);
  ASSERT_NOT_NULL(t);
  return t;
}

struct root {
  struct co co;
  ac_mbox m, back;
  ac_task *h[4];
  struct receiver *rf[4];
  int i, res[4], aborted[4];
  intptr_t v;
  struct ac_yield_frame y;
  struct ac_join_frame join;
  struct ac_mbox_recv_frame recv;
};

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

#define JOIN_ALL(fr, n)                                                        \
  for ((fr)->i = 0; (fr)->i < (n); (fr)->i++) {                                \
    ac_join_init(&(fr)->join, (fr)->h[(fr)->i]);                               \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    (fr)->aborted[(fr)->i] = ac_task_aborted((fr)->join.task);                 \
    (fr)->res[(fr)->i] = *(int *)ac_join_result(&(fr)->join);                  \
    ac_join_finish(&(fr)->join);                                               \
  }

static int run_root(ac_poll_fn poll, struct root *fr) {
  *fr = (struct root){.i = 0};
  ac_mbox_init(&fr->m);
  ac_mbox_init(&fr->back);
  got_len = 0;
  return ac__block_on(fr, poll, co_frame_drop);
}

static ac_poll send_recv_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_EQ(ac_mbox_try_recv(&fr->m, &fr->v), AC_EAGAIN);
  ASSERT_OK(ac_mbox_send(&fr->m, 5));
  ASSERT_EQ(ac_mbox_send(&fr->m, 6), AC_EAGAIN); /* Full: 6 is refused. */
  /* A value already there is taken on the first poll. */
  ac_mbox_recv_init(&fr->recv, &fr->m);
  ASSERT_EQ(ac_mbox_recv_poll(&fr->recv, cx), AC_READY);
  ASSERT_EQ(fr->recv.result, 5);
  ASSERT_OK(ac_mbox_send(&fr->m, -7));
  ASSERT_OK(ac_mbox_try_recv(&fr->m, &fr->v));
  ASSERT_EQ(fr->v, -7);
  /* A receiver that waits gets the next value sent. */
  fr->h[0] = spawn_receiver(&fr->m, 2, NULL);
  YIELD(fr);
  ASSERT_OK(ac_mbox_send(&fr->m, 8));
  YIELD(fr);
  ASSERT_OK(ac_mbox_send(&fr->m, (intptr_t)&fr->v));
  JOIN_ALL(fr, 1);
  CO_END(&fr->co);
}

TEST(mbox_send_then_receive) {
  struct root fr;
  ASSERT_OK(run_root(send_recv_poll, &fr));
  ASSERT_EQ(got_len, 2);
  ASSERT_EQ(got[0], 8);
  ASSERT_EQ(got[1], (intptr_t)&fr.v);
  ASSERT_EQ(fr.res[0], 2);
  ASSERT_EQ(fr.m.full, 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll promised_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_receiver(&fr->m, 1, NULL);
  fr->h[1] = spawn_receiver(&fr->m, 1, NULL);
  YIELD(fr); /* Both wait, h[0] first. */
  ASSERT_OK(ac_mbox_send(&fr->m, 1));
  /* Promised to h[0]: nobody else can take it before h[0] runs. */
  ASSERT_EQ(ac_mbox_try_recv(&fr->m, &fr->v), AC_EAGAIN);
  ASSERT_EQ(ac_mbox_send(&fr->m, 2), AC_EAGAIN);
  YIELD(fr);
  ASSERT_EQ(got_len, 1);
  ASSERT_OK(ac_mbox_send(&fr->m, 2));
  JOIN_ALL(fr, 2);
  CO_END(&fr->co);
}

/* Receivers waiting together are served in arrival order, one value
 * each, and a value sent to a waiting receiver is kept for it. */
TEST(mbox_value_promised_to_first_receiver) {
  struct root fr;
  ASSERT_OK(run_root(promised_poll, &fr));
  ASSERT_EQ(got_len, 2);
  ASSERT_EQ(got[0], 1);
  ASSERT_EQ(got[1], 2);
  ASSERT_LOOP_CLOSED();
}

static ac_poll drop_promised_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_receiver(&fr->m, 1, &fr->rf[0]);
  fr->h[1] = spawn_receiver(&fr->m, 1, NULL);
  YIELD(fr);
  ASSERT_OK(ac_mbox_send(&fr->m, 42)); /* h[0] is promised 42... */
  ASSERT_EQ(fr->rf[0]->recv.state, AC__W_NOTIFIED);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...and dropped before it runs. */
  JOIN_ALL(fr, 2);
  CO_END(&fr->co);
}

/* A receiver dropped while a value is promised to it passes the value on
 * to the next waiting receiver: nothing is lost. */
TEST(mbox_dropped_receiver_passes_value_on) {
  struct root fr;
  ASSERT_OK(run_root(drop_promised_poll, &fr));
  ASSERT_EQ(got_len, 1);
  ASSERT_EQ(got[0], 42);
  ASSERT_EQ(fr.aborted[0], 1);
  ASSERT_EQ(fr.aborted[1], 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll drop_waiting_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_receiver(&fr->m, 1, NULL);
  fr->h[1] = spawn_receiver(&fr->m, 1, NULL);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[1])); /* The second waiter... */
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...then the first. */
  YIELD(fr);
  ASSERT_NULL(fr->m.waiting);
  ASSERT_OK(ac_mbox_send(&fr->m, 3)); /* Nobody waits: it stays. */
  ASSERT_OK(ac_mbox_try_recv(&fr->m, &fr->v));
  ASSERT_EQ(fr->v, 3);
  JOIN_ALL(fr, 2);
  CO_END(&fr->co);
}

/* Dropping a waiting receiver takes it off the list. */
TEST(mbox_dropped_receiver_leaves_list) {
  struct root fr;
  ASSERT_OK(run_root(drop_waiting_poll, &fr));
  ASSERT_EQ(got_len, 0);
  ASSERT_EQ(fr.aborted[0], 1);
  ASSERT_EQ(fr.aborted[1], 1);
  ASSERT_LOOP_CLOSED();
}

/* async int echo(ac_mbox *in, ac_mbox *out, int rounds): replies v + 1
 * to each v. */
struct echo {
  struct co co;
  int result, rounds;
  ac_mbox *in, *out;
  struct ac_mbox_recv_frame recv;
};

static ac_poll echo_poll(void *frame, ac_cx *cx) {
  struct echo *fr = frame;
  CO_BEGIN(&fr->co);
  for (; fr->result < fr->rounds; fr->result++) {
    ac_mbox_recv_init(&fr->recv, fr->in);
    CO_AWAIT(&fr->co, &fr->recv, ac_mbox_recv_poll, ac_mbox_recv_drop);
    ASSERT_OK(ac_mbox_send(fr->out, fr->recv.result + 1));
  }
  CO_END(&fr->co);
}

#define ROUNDS 1000

static ac_poll ping_pong_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct echo proto = {.rounds = ROUNDS, .in = &fr->m, .out = &fr->back};
    fr->h[0] = co_spawn(&proto, sizeof proto, echo_poll, co_frame_drop,
                        offsetof(struct echo, result), sizeof(int), "echo",
                        NULL);
    ASSERT_NOT_NULL(fr->h[0]);
  }
  for (fr->i = 0; fr->i < ROUNDS; fr->i++) {
    ASSERT_OK(ac_mbox_send(&fr->m, 2 * fr->i));
    ac_mbox_recv_init(&fr->recv, &fr->back);
    CO_AWAIT(&fr->co, &fr->recv, ac_mbox_recv_poll, ac_mbox_recv_drop);
    ASSERT_EQ(fr->recv.result, 2 * fr->i + 1);
  }
  JOIN_ALL(fr, 1);
  CO_END(&fr->co);
}

/* Two tasks pass a token back and forth through two mailboxes. */
TEST(mbox_ping_pong) {
  struct root fr;
  ASSERT_OK(run_root(ping_pong_poll, &fr));
  ASSERT_EQ(fr.res[0], ROUNDS);
  ASSERT_LOOP_CLOSED();
}

static ac_poll null_mbox_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  ac_mbox_recv_init(&fr->recv, NULL);
  CO_AWAIT(&fr->co, &fr->recv, ac_mbox_recv_poll, ac_mbox_recv_drop);
  CO_END(&fr->co);
}

/* Receiving from no mailbox fails the task instead of hanging it. */
TEST(mbox_null_fails_task) {
  struct root fr;
  ASSERT_EQ(run_root(null_mbox_poll, &fr), AC_EINVAL);
  ASSERT_EQ(ac_mbox_send(NULL, 1), AC_EINVAL);
  ASSERT_EQ(ac_mbox_try_recv(NULL, &fr.v), AC_EINVAL);
  ASSERT_EQ(ac_mbox_try_recv(&fr.m, NULL), AC_EINVAL);
  ASSERT_LOOP_CLOSED();
}
