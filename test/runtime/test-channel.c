/* test-channel.c -- the bounded channel: order, backpressure, close, the
 * try_ operations, and cancellation of waiting senders and receivers. */
#include <stddef.h>

#include "co.h"
#include "task.h"

/* async int producer(ac_chan *ch, int start, int n): sends start, start+1,
 * ...; returns how many were sent, or the first error. */
struct producer_frame {
  struct co co;
  int result;
  ac_chan *ch;
  int start, n, i, v;
  struct ac_chan_send_frame send;
};

static ac_poll producer_poll(void *frame, ac_cx *cx) {
  struct producer_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < fr->n; fr->i++) {
    fr->v = fr->start + fr->i;
    ac_chan_send_init(&fr->send, fr->ch, &fr->v);
    CO_AWAIT(&fr->co, &fr->send, ac_chan_send_poll, ac_chan_send_drop);
    if (fr->send.result != 0) {
      fr->result = fr->send.result;
      break;
    }
    fr->result++;
  }
  CO_END(&fr->co);
}

static void co_frame_drop(void *frame) {
  /* Every frame in this file starts with its struct co. */
  co_drop(frame);
}

static ac_task *spawn_producer(ac_chan *ch, int start, int n,
                               struct producer_frame **frame) {
  struct producer_frame proto = {.ch = ch, .start = start, .n = n};
  return co_spawn(&proto, sizeof proto, producer_poll, co_frame_drop,
                  offsetof(struct producer_frame, result), sizeof(int),
                  "producer", (void **)frame);
}

/* async int consumer(ac_chan *ch, int max): receives until AC_EOF or max
 * elements, logging them; returns how many it received. */
struct consumer_frame {
  struct co co;
  int result;
  ac_chan *ch;
  int max, v, last;
  struct ac_chan_recv_frame recv;
};

static int log_v[64], log_len;

static ac_poll consumer_poll(void *frame, ac_cx *cx) {
  struct consumer_frame *fr = frame;
  CO_BEGIN(&fr->co);
  while (fr->result < fr->max) {
    ac_chan_recv_init(&fr->recv, fr->ch, &fr->v);
    CO_AWAIT(&fr->co, &fr->recv, ac_chan_recv_poll, ac_chan_recv_drop);
    fr->last = fr->recv.result;
    if (fr->recv.result != 0)
      break;
    log_v[log_len++] = fr->v;
    fr->result++;
  }
  CO_END(&fr->co);
}

static ac_task *spawn_consumer(ac_chan *ch, int max,
                               struct consumer_frame **frame) {
  struct consumer_frame proto = {.ch = ch, .max = max};
  return co_spawn(&proto, sizeof proto, consumer_poll, co_frame_drop,
                  offsetof(struct consumer_frame, result), sizeof(int),
                  "consumer", (void **)frame);
}

/* The root futures' frame. */
struct root_frame {
  struct co co;
  ac_chan ch;
  ac_task *h[4];
  struct producer_frame *p[4];
  struct consumer_frame *c[4];
  struct ac_join_frame join;
  struct ac_yield_frame y;
  struct ac_chan_send_frame send;
  struct ac_chan_recv_frame recv;
  int i, v, got[16], res[4];
};

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

/* Joins an int task into fr->res[k]. */
#define JOIN_INT(fr, task, k)                                                  \
  do {                                                                         \
    ac_join_init(&(fr)->join, (task));                                         \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    (fr)->res[k] = *(int *)ac_join_result(&(fr)->join);                        \
    ac_join_finish(&(fr)->join);                                               \
  } while (0)

#define SEND(fr, value)                                                        \
  do {                                                                         \
    (fr)->v = (value);                                                         \
    ac_chan_send_init(&(fr)->send, &(fr)->ch, &(fr)->v);                       \
    CO_AWAIT(&(fr)->co, &(fr)->send, ac_chan_send_poll, ac_chan_send_drop);    \
  } while (0)

#define RECV(fr)                                                               \
  do {                                                                         \
    ac_chan_recv_init(&(fr)->recv, &(fr)->ch, &(fr)->v);                       \
    CO_AWAIT(&(fr)->co, &(fr)->recv, ac_chan_recv_poll, ac_chan_recv_drop);    \
  } while (0)

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.i = 0};
  log_len = 0;
  return ac__block_on(fr, poll, co_frame_drop);
}

/* ---- Order and backpressure --------------------------------------------- */

static ac_poll fifo_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 4));
  SEND(fr, 1);
  ASSERT_OK(fr->send.result);
  SEND(fr, 2);
  SEND(fr, 3);
  ASSERT_EQ(ac_chan_len(&fr->ch), 3);
  for (fr->i = 0; fr->i < 3; fr->i++) {
    RECV(fr);
    ASSERT_OK(fr->recv.result);
    fr->got[fr->i] = fr->v;
  }
  ASSERT_EQ(ac_chan_len(&fr->ch), 0);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

TEST(chan_send_recv_fifo) {
  struct root_frame fr;
  ASSERT_OK(run_root(fifo_poll, &fr));
  ASSERT_EQ(fr.got[0], 1);
  ASSERT_EQ(fr.got[1], 2);
  ASSERT_EQ(fr.got[2], 3);
  ASSERT_LOOP_CLOSED();
}

static ac_poll backpressure_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 2));
  fr->h[0] = spawn_producer(&fr->ch, 100, 10, &fr->p[0]);
  for (fr->i = 0; fr->i < 3; fr->i++) {
    YIELD(fr);
    /* The producer filled the channel and waits. */
    ASSERT_EQ(ac_chan_len(&fr->ch), 2);
    ASSERT_EQ(fr->p[0]->send.w.state, AC__W_WAITING);
    ASSERT_EQ(fr->p[0]->result, 2);
  }
  for (fr->i = 0; fr->i < 10; fr->i++) {
    RECV(fr);
    ASSERT_OK(fr->recv.result);
    fr->got[fr->i] = fr->v;
    ASSERT_LE(ac_chan_len(&fr->ch), 2);
  }
  JOIN_INT(fr, fr->h[0], 0);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* A producer faster than its consumer waits while the channel is full. */
TEST(chan_backpressure) {
  struct root_frame fr;
  ASSERT_OK(run_root(backpressure_poll, &fr));
  for (int i = 0; i < 10; i++)
    ASSERT_EQ(fr.got[i], 100 + i);
  ASSERT_EQ(fr.res[0], 10);
  ASSERT_LOOP_CLOSED();
}

static ac_poll multi_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 1));
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_producer(&fr->ch, 10 * fr->i, 5, NULL);
  fr->h[3] = spawn_consumer(&fr->ch, 15, NULL);
  for (fr->i = 0; fr->i < 4; fr->i++)
    JOIN_INT(fr, fr->h[fr->i], fr->i);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* Three producers, one consumer: everything arrives, each producer's
 * elements in its order. */
TEST(chan_multiple_producers) {
  struct root_frame fr;
  ASSERT_OK(run_root(multi_poll, &fr));
  ASSERT_EQ(fr.res[3], 15);
  ASSERT_EQ(log_len, 15);
  int next[3] = {0, 10, 20};
  for (int i = 0; i < 15; i++) {
    int p = log_v[i] / 10;
    ASSERT_EQ(log_v[i], next[p]);
    next[p]++;
  }
  ASSERT_LOOP_CLOSED();
}

static ac_poll sender_fifo_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 1));
  fr->v = 0;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v));
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_producer(&fr->ch, fr->i + 1, 1, &fr->p[fr->i]);
  YIELD(fr); /* All three wait, in spawn order. */
  ASSERT_OK(ac_chan_try_recv(&fr->ch, &fr->got[0]));
  /* The freed slot is reserved for the first waiting sender. */
  fr->v = 9;
  ASSERT_EQ(ac_chan_try_send(&fr->ch, &fr->v), AC_EAGAIN);
  for (fr->i = 1; fr->i < 4; fr->i++) {
    RECV(fr);
    fr->got[fr->i] = fr->v;
  }
  for (fr->i = 0; fr->i < 3; fr->i++)
    JOIN_INT(fr, fr->h[fr->i], fr->i);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* Waiting senders are served in order, and one arriving later cannot take
 * the slot freed for them. */
TEST(chan_senders_served_in_order) {
  struct root_frame fr;
  ASSERT_OK(run_root(sender_fifo_poll, &fr));
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(fr.got[i], i);
  ASSERT_LOOP_CLOSED();
}

/* ---- Close ----------------------------------------------------------------
 */

static ac_poll close_drain_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 4));
  fr->v = 7;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v));
  fr->v = 8;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v));
  ac_chan_close(&fr->ch);
  ac_chan_close(&fr->ch); /* Idempotent. */
  ASSERT_EQ(ac_chan_try_send(&fr->ch, &fr->v), AC_EPIPE);
  SEND(fr, 9);
  ASSERT_EQ(fr->send.result, AC_EPIPE);
  for (fr->i = 0; fr->i < 3; fr->i++) {
    RECV(fr);
    fr->res[fr->i] = fr->recv.result;
    fr->got[fr->i] = fr->v;
  }
  ASSERT_EQ(ac_chan_try_recv(&fr->ch, &fr->v), AC_EOF);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* After close, receivers drain what is queued, then get AC_EOF; sends
 * fail with AC_EPIPE. */
TEST(chan_close_drains_then_eof) {
  struct root_frame fr;
  ASSERT_OK(run_root(close_drain_poll, &fr));
  ASSERT_EQ(fr.res[0], 0);
  ASSERT_EQ(fr.got[0], 7);
  ASSERT_EQ(fr.res[1], 0);
  ASSERT_EQ(fr.got[1], 8);
  ASSERT_EQ(fr.res[2], AC_EOF);
  ASSERT_LOOP_CLOSED();
}

static ac_poll close_wakes_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 1));
  fr->v = 1;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v));
  fr->h[0] = spawn_producer(&fr->ch, 2, 1, NULL); /* Blocked: full. */
  fr->h[1] = spawn_producer(&fr->ch, 3, 1, NULL);
  YIELD(fr);
  ASSERT_EQ(ac_chan_fini(&fr->ch), AC_EBUSY); /* Senders wait on it. */
  /* Free a slot: reserved for the first sender, which has not run yet
   * when the channel closes. */
  ASSERT_OK(ac_chan_try_recv(&fr->ch, &fr->got[0]));
  ac_chan_close(&fr->ch);
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  ASSERT_EQ(ac_chan_try_recv(&fr->ch, &fr->v), AC_EOF);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* Close fails every waiting send, even one already given a slot. */
TEST(chan_close_wakes_blocked_senders) {
  struct root_frame fr;
  ASSERT_OK(run_root(close_wakes_poll, &fr));
  ASSERT_EQ(fr.got[0], 1);
  ASSERT_EQ(fr.res[0], AC_EPIPE);
  ASSERT_EQ(fr.res[1], AC_EPIPE);
  ASSERT_LOOP_CLOSED();
}

static ac_poll close_receiver_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 1));
  fr->h[0] = spawn_consumer(&fr->ch, 10, &fr->c[0]);
  YIELD(fr);
  ASSERT_EQ(fr->c[0]->recv.w.state, AC__W_WAITING);
  ac_chan_close(&fr->ch);
  fr->i = fr->c[0]->last; /* Not run yet. */
  ASSERT_EQ(fr->i, 0);
  YIELD(fr);
  fr->got[0] = fr->c[0]->last;
  JOIN_INT(fr, fr->h[0], 0);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* A receiver waiting on an empty channel gets AC_EOF when it closes. */
TEST(chan_close_wakes_receiver) {
  struct root_frame fr;
  ASSERT_OK(run_root(close_receiver_poll, &fr));
  ASSERT_EQ(fr.got[0], AC_EOF);
  ASSERT_EQ(fr.res[0], 0);
  ASSERT_LOOP_CLOSED();
}

/* ---- try_ and arguments ---------------------------------------------------
 */

TEST(chan_try_and_invalid) {
  ac_chan ch;
  int v = 5, out = 0;
  ASSERT_EQ(ac_chan_init(NULL, 4, 1), AC_EINVAL);
  ASSERT_EQ(ac_chan_init(&ch, 0, 1), AC_EINVAL);
  ASSERT_EQ(ac_chan_init(&ch, 4, 0), AC_EINVAL);
  ASSERT_EQ(ac_chan_init(&ch, SIZE_MAX / 2, 3), AC_EINVAL);
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac_chan_init(&ch, sizeof v, 1), AC_ENOMEM);
  ASSERT_OK(ac_chan_init(&ch, sizeof v, 1));
  ASSERT_EQ(ac_chan_try_recv(&ch, &out), AC_EAGAIN);
  ASSERT_OK(ac_chan_try_send(&ch, &v));
  ASSERT_EQ(ac_chan_try_send(&ch, &v), AC_EAGAIN);
  ASSERT_EQ(ac_chan_try_send(NULL, &v), AC_EINVAL);
  ASSERT_EQ(ac_chan_try_send(&ch, NULL), AC_EINVAL);
  ASSERT_EQ(ac_chan_try_recv(&ch, NULL), AC_EINVAL);
  ASSERT_OK(ac_chan_try_recv(&ch, &out));
  ASSERT_EQ(out, 5);
  ASSERT_EQ(ac_chan_len(NULL), 0);
  ASSERT_OK(ac_chan_fini(&ch));
  ASSERT_EQ(ac_chan_fini(NULL), AC_EINVAL);
  ASSERT_LOOP_CLOSED();
}

/* ---- Cancellation ------------------------------------------------------- */

static ac_poll drop_sender_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 1));
  fr->v = 1;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v));
  fr->h[0] = spawn_producer(&fr->ch, 2, 1, &fr->p[0]);
  fr->h[1] = spawn_producer(&fr->ch, 3, 1, &fr->p[1]);
  fr->h[2] = spawn_producer(&fr->ch, 4, 1, &fr->p[2]);
  YIELD(fr);
  /* Aborting a waiting sender takes it off the list. */
  ASSERT_OK(ac_task_abort(fr->h[2]));
  /* The slot freed here is reserved for h[0], which is woken; aborting it
   * before it runs passes the slot to h[1]. */
  ASSERT_OK(ac_chan_try_recv(&fr->ch, &fr->got[0]));
  ASSERT_EQ(fr->p[0]->send.w.state, AC__W_NOTIFIED);
  ASSERT_OK(ac_task_abort(fr->h[0]));
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  JOIN_INT(fr, fr->h[2], 2);
  ASSERT_EQ(ac_chan_len(&fr->ch), 1);
  ASSERT_OK(ac_chan_try_recv(&fr->ch, &fr->got[1]));
  ASSERT_EQ(fr->ch.reserved, 0);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* A dropped sender delivers nothing; one dropped after it was given a slot
 * hands the slot to the next sender. */
TEST(chan_dropped_sender_passes_slot) {
  struct root_frame fr;
  ASSERT_OK(run_root(drop_sender_poll, &fr));
  ASSERT_EQ(fr.got[0], 1);
  ASSERT_EQ(fr.got[1], 3);
  ASSERT_EQ(fr.res[0], 0); /* Aborted: zeroed result. */
  ASSERT_EQ(fr.res[1], 1);
  ASSERT_EQ(fr.res[2], 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll drop_receiver_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&fr->ch, sizeof(int), 2));
  fr->h[0] = spawn_consumer(&fr->ch, 1, &fr->c[0]);
  fr->h[1] = spawn_consumer(&fr->ch, 1, &fr->c[1]);
  YIELD(fr);
  fr->v = 42;
  ASSERT_OK(ac_chan_try_send(&fr->ch, &fr->v)); /* Wakes h[0]... */
  ASSERT_EQ(fr->c[0]->recv.w.state, AC__W_NOTIFIED);
  ASSERT_EQ(fr->c[1]->recv.w.state, AC__W_WAITING);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...which passes it on. */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  ASSERT_OK(ac_chan_fini(&fr->ch));
  CO_END(&fr->co);
}

/* A woken receiver dropped before it ran wakes the next receiver, so the
 * element is not stranded. */
TEST(chan_dropped_receiver_passes_wakeup) {
  struct root_frame fr;
  ASSERT_OK(run_root(drop_receiver_poll, &fr));
  ASSERT_EQ(fr.res[0], 0);
  ASSERT_EQ(fr.res[1], 1);
  ASSERT_EQ(log_len, 1);
  ASSERT_EQ(log_v[0], 42);
  ASSERT_LOOP_CLOSED();
}

/* A pending send dropped by block_on's teardown leaves the channel
 * consistent: the channel can be finished afterwards. */
static ac_chan teardown_ch;

static ac_poll teardown_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_chan_init(&teardown_ch, sizeof(int), 1));
  fr->h[0] = spawn_producer(&teardown_ch, 1, 5, &fr->p[0]);
  ac_task_detach(fr->h[0]);
  YIELD(fr);
  ASSERT_EQ(fr->p[0]->send.w.state, AC__W_WAITING);
  CO_END(&fr->co);
}

TEST(chan_waiters_dropped_by_teardown) {
  struct root_frame fr;
  ASSERT_OK(run_root(teardown_poll, &fr));
  ASSERT_NULL(teardown_ch.senders.head);
  ASSERT_OK(ac_chan_fini(&teardown_ch));
  ASSERT_LOOP_CLOSED();
}
