/* test-time.c -- ac_interval ticks (missed ticks skipped) and ac_now.  No
 * assertion depends on how fast the machine is: only on lower bounds that
 * sleeps guarantee. */
#include <stddef.h>

#include "co.h"
#include "task.h"

struct root_frame {
  struct co co;
  int polls;
  ac_interval iv;
  struct ac_interval_tick_frame tick;
  struct ac_sleep_frame sleep;
  struct ac_join_frame join;
  struct ac_yield_frame y;
  ac_task *h;
  uint64_t idx[8], t[4];
  int i, polls_before;
};

static void co_frame_drop(void *frame) { co_drop(frame); }

#define TICK(fr)                                                               \
  do {                                                                         \
    ac_interval_tick_init(&(fr)->tick, &(fr)->iv);                             \
    CO_AWAIT(&(fr)->co, &(fr)->tick, ac_interval_tick_poll,                    \
             ac_interval_tick_drop);                                           \
  } while (0)

#define SLEEP(fr, ms)                                                          \
  do {                                                                         \
    ac_sleep_init(&(fr)->sleep, (ms));                                         \
    CO_AWAIT(&(fr)->co, &(fr)->sleep, ac_sleep_poll, ac_sleep_drop);           \
  } while (0)

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.polls = 0};
  return ac__block_on(fr, poll, co_frame_drop);
}

static ac_poll first_tick_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  fr->polls++;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_interval_init(&fr->iv, 3600 * 1000));
  TICK(fr);
  fr->idx[0] = fr->tick.result;
  ASSERT_EQ(fr->polls, 1); /* Completed without suspending. */
  ASSERT_EQ(ac_interval_tick_poll(&fr->tick, cx), AC_READY); /* Again. */
  ASSERT_EQ(fr->tick.result, 0);
  CO_END(&fr->co);
}

/* The first tick completes at once, with index 0. */
TEST(interval_first_tick_immediate) {
  struct root_frame fr;
  ASSERT_OK(run_root(first_tick_poll, &fr));
  ASSERT_EQ(fr.idx[0], 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll ticks_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  fr->polls++;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_interval_init(&fr->iv, 2));
  for (fr->i = 0; fr->i < 5; fr->i++) {
    TICK(fr);
    fr->idx[fr->i] = fr->tick.result;
    fr->t[fr->i < 4 ? fr->i : 3] = ac_now();
  }
  CO_END(&fr->co);
}

/* Ticks come in increasing order, and the later ones wait for their
 * deadline: tick k completes no earlier than 2k ms after tick 0. */
TEST(interval_ticks_in_order) {
  struct root_frame fr;
  ASSERT_OK(run_root(ticks_poll, &fr));
  ASSERT_EQ(fr.idx[0], 0);
  for (int i = 1; i < 5; i++)
    ASSERT_GT(fr.idx[i], fr.idx[i - 1]);
  ASSERT_GE(fr.t[3], fr.iv.start + 2 * fr.idx[4]);
  ASSERT_GT(fr.polls, 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll skip_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  fr->polls++;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_interval_init(&fr->iv, 5));
  TICK(fr);
  fr->idx[0] = fr->tick.result;
  SLEEP(fr, 31); /* At least six periods go by. */
  fr->polls_before = fr->polls;
  TICK(fr);
  fr->idx[1] = fr->tick.result;
  ASSERT_EQ(fr->polls, fr->polls_before); /* It was due: no wait. */
  TICK(fr);
  fr->idx[2] = fr->tick.result;
  CO_END(&fr->co);
}

/* A consumer late by several periods gets one tick at once, whose index
 * shows the skipped ticks, not a burst of catch-up ticks. */
TEST(interval_skips_missed_ticks) {
  struct root_frame fr;
  ASSERT_OK(run_root(skip_poll, &fr));
  ASSERT_EQ(fr.idx[0], 0);
  ASSERT_GE(fr.idx[1], 6);
  ASSERT_GT(fr.idx[2], fr.idx[1]);
  ASSERT_LOOP_CLOSED();
}

static ac_poll reset_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  fr->polls++;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_interval_init(&fr->iv, 20));
  TICK(fr);
  SLEEP(fr, 45);
  fr->t[0] = ac_now();
  ac_interval_reset(&fr->iv);
  TICK(fr);
  fr->idx[0] = fr->tick.result;
  fr->t[1] = ac_now();
  CO_END(&fr->co);
}

/* After a reset the next tick is one period away, with index 1. */
TEST(interval_reset) {
  struct root_frame fr;
  ASSERT_OK(run_root(reset_poll, &fr));
  ASSERT_GE(fr.idx[0], 1);
  ASSERT_GE(fr.iv.start, fr.t[0]);
  ASSERT_GE(fr.t[1], fr.iv.start + 20 * fr.idx[0]);
  ASSERT_LOOP_CLOSED();
}

/* async void ticker(ac_interval *iv): ticks forever. */
struct ticker_frame {
  struct co co;
  ac_interval iv;
  struct ac_interval_tick_frame tick;
};

static ac_poll ticker_poll(void *frame, ac_cx *cx) {
  struct ticker_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (;;) {
    ac_interval_tick_init(&fr->tick, &fr->iv);
    CO_AWAIT(&fr->co, &fr->tick, ac_interval_tick_poll, ac_interval_tick_drop);
  }
  CO_END(&fr->co);
}

static ac_poll drop_tick_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct ticker_frame proto = {.co = {0}};
    ASSERT_OK(ac_interval_init(&proto.iv, 3600 * 1000));
    fr->h = co_spawn(&proto, sizeof proto, ticker_poll, co_frame_drop, 0, 0,
                     "ticker", NULL);
  }
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  ASSERT_OK(ac_task_abort(fr->h));
  ac_join_init(&fr->join, fr->h);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ac_join_finish(&fr->join);
  CO_END(&fr->co);
}

/* Dropping a tick that waits releases its timer (or the loop would wait
 * an hour). */
TEST(interval_drop_pending_tick) {
  struct root_frame fr;
  ASSERT_OK(run_root(drop_tick_poll, &fr));
  ASSERT_LOOP_CLOSED();
}

TEST(interval_invalid) {
  ac_interval iv;
  ASSERT_EQ(ac_interval_init(NULL, 1), AC_EINVAL);
  ASSERT_EQ(ac_interval_init(&iv, 0), AC_EINVAL);
  ac_interval_reset(NULL);
  ASSERT_LOOP_CLOSED();
}

static ac_poll now_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->t[0] = ac_now();
  SLEEP(fr, 5);
  fr->t[1] = ac_now();
  CO_END(&fr->co);
}

/* ac_now is the loop's clock inside block_on: it moves by at least the
 * time slept.  Outside, it reads the monotonic clock and opens nothing. */
TEST(time_now) {
  struct root_frame fr;
  uint64_t a = ac_now(), b = ac_now();
  ASSERT_GE(b, a);
  ASSERT_EQ(ac__test_loop_open(), 0);
  ASSERT_OK(run_root(now_poll, &fr));
  ASSERT_GE(fr.t[1], fr.t[0] + 5);
  ASSERT_LOOP_CLOSED();
}
