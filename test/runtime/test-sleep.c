/* test-sleep.c -- ac_sleep: suspension, timer order, drop, the timer
 * heap, and sleeps that allocate nothing. */
#include <stddef.h>

#include "co.h"
#include "futures.h"
#include "task.h"

/* Counts the polls of one sleep. */
struct counted_sleep {
  struct ac_sleep_frame sleep;
  int polls;
};

static ac_poll counted_sleep_poll(void *frame, ac_cx *cx) {
  struct counted_sleep *fr = frame;
  fr->polls++;
  return ac_sleep_poll(&fr->sleep, cx);
}

static void counted_sleep_drop(void *frame) {
  struct counted_sleep *fr = frame;
  ac_sleep_drop(&fr->sleep);
}

TEST(sleep_completes) {
  struct counted_sleep fr = {.polls = 0};
  ac_sleep_init(&fr.sleep, 1);
  ASSERT_OK(ac__block_on(&fr, counted_sleep_poll, counted_sleep_drop));
  ASSERT_EQ(fr.polls, 2);
  ASSERT_LOOP_CLOSED();
}

/* ac_sleep(0) suspends and completes on the next turn of the loop. */
TEST(sleep_zero_suspends_once) {
  struct counted_sleep fr = {.polls = 0};
  ac_sleep_init(&fr.sleep, 0);
  ASSERT_OK(ac__block_on(&fr, counted_sleep_poll, counted_sleep_drop));
  ASSERT_EQ(fr.polls, 2);
  ASSERT_LOOP_CLOSED();
}

/* async int nap2(void) {
 *   await(ac_sleep(1));
 *   int left = the executor's timer heap is empty;
 *   await(ac_sleep(2));
 *   return left;
 * }  as the transpiler would write it. */
enum nap2_state { NAP2_START, NAP2_AWAIT_1, NAP2_AWAIT_2, NAP2_DONE };

struct nap2_frame {
  enum nap2_state state;
  int result;
  int cached;
  union {
    struct ac_sleep_frame await_1;
    struct ac_sleep_frame await_2;
  } sub;
};

static void nap2_init(struct nap2_frame *fr) { fr->state = NAP2_START; }

static ac_poll nap2_poll(void *frame, ac_cx *cx) {
  struct nap2_frame *fr = frame;
  switch (fr->state) {
  case NAP2_START:
    break;
  case NAP2_AWAIT_1:
    goto resume_1;
  case NAP2_AWAIT_2:
    goto resume_2;
  case NAP2_DONE:
    return AC_READY;
  }
  ac_sleep_init(&fr->sub.await_1, 1);
  fr->state = NAP2_AWAIT_1;
resume_1:
  if (ac_sleep_poll(&fr->sub.await_1, cx) == AC_PENDING)
    return AC_PENDING;
  fr->cached = ac__exec_current()->timers.root == NULL;
  ac_sleep_init(&fr->sub.await_2, 2);
  fr->state = NAP2_AWAIT_2;
resume_2:
  if (ac_sleep_poll(&fr->sub.await_2, cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = fr->cached;
  fr->state = NAP2_DONE;
  return AC_READY;
}

static void nap2_drop(void *frame) {
  struct nap2_frame *fr = frame;
  switch (fr->state) {
  case NAP2_AWAIT_1:
    ac_sleep_drop(&fr->sub.await_1);
    break;
  case NAP2_AWAIT_2:
    ac_sleep_drop(&fr->sub.await_2);
    break;
  default:
    break;
  }
  fr->state = NAP2_DONE;
}

TEST(sleep_twice) {
  struct nap2_frame fr;
  nap2_init(&fr);
  ASSERT_OK(ac__block_on(&fr, nap2_poll, nap2_drop));
  ASSERT_EQ(fr.state, NAP2_DONE);
  ASSERT_EQ(fr.result, 1); /* The first sleep left the timer heap. */
  ASSERT_LOOP_CLOSED();
}

/* A sleep is a node in its own frame: with every allocation of the
 * runtime failing, three sleeps at once still complete. */
TEST(sleep_allocates_nothing) {
  static const uint64_t ms[] = {3, 1, 2};
  struct sleeps_frame fr;
  sleeps_init(&fr, 3, ms);
  ac__test_fail_alloc(0);
  int err = ac__block_on(&fr.join, join_poll, join_drop);
  ac__test_fail_alloc(-1);
  ASSERT_OK(err);
  ASSERT_EQ(fr.join.finished, 3);
  ASSERT_LOOP_CLOSED();
}

TEST(sleep_concurrent_in_timer_order) {
  /* The gaps are wide so that a descheduled process (valgrind on a loaded
   * machine) does not start the third timer after the first is due. */
  static const uint64_t ms[] = {300, 0, 150};
  struct sleeps_frame fr;
  sleeps_init(&fr, 3, ms);
  ASSERT_OK(ac__block_on(&fr.join, join_poll, join_drop));
  ASSERT_EQ(fr.join.finished, 3);
  ASSERT_EQ(fr.join.order[0], 1);
  ASSERT_EQ(fr.join.order[1], 2);
  ASSERT_EQ(fr.join.order[2], 0);
  ASSERT_LOOP_CLOSED();
}

TEST(sleep_equal_timeouts_in_start_order) {
  static const uint64_t ms[] = {5, 5, 5, 5, 5};
  struct sleeps_frame fr;
  sleeps_init(&fr, 5, ms);
  ASSERT_OK(ac__block_on(&fr.join, join_poll, join_drop));
  for (int i = 0; i < 5; i++)
    ASSERT_EQ(fr.join.order[i], i);
  ASSERT_LOOP_CLOSED();
}

/* Many concurrent sleeps: every one leaves the heap, and the executor's
 * libuv timer is stopped once none is pending. */
static ac_poll many_poll(void *frame, ac_cx *cx) {
  struct sleeps_frame *fr = frame;
  if (join_poll(&fr->join, cx) == AC_PENDING)
    return AC_PENDING;
  struct ac__exec *ex = ac__exec_current();
  ASSERT_NULL(ex->timers.root);
  ASSERT(!uv_is_active((uv_handle_t *)&ex->timers.handle));
  return AC_READY;
}

TEST(sleep_many_concurrent) {
  uint64_t ms[JOIN_MAX];
  for (int i = 0; i < JOIN_MAX; i++)
    ms[i] = (uint64_t)(i % 7);
  struct sleeps_frame fr;
  sleeps_init(&fr, JOIN_MAX, ms);
  ASSERT_OK(ac__block_on(&fr, many_poll, join_drop));
  ASSERT_EQ(fr.join.finished, JOIN_MAX);
  ASSERT_LOOP_CLOSED();
}

/* async void napper(int ms): sleeps, then logs its deadline and start
 * order, which the timer heap must deliver in order. */
struct napper {
  struct co co;
  int ms;
  struct ac_sleep_frame sleep;
};

#define NAPPERS 300

static struct {
  uint64_t deadline, seq;
} woken[NAPPERS];
static int nwoken;

static ac_poll napper_poll(void *frame, ac_cx *cx) {
  struct napper *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sleep_init(&fr->sleep, (uint64_t)fr->ms);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  woken[nwoken].deadline = fr->sleep.node.deadline;
  woken[nwoken].seq = fr->sleep.node.seq;
  nwoken++;
  CO_END(&fr->co);
}

static void napper_drop(void *frame) { co_drop(frame); }

struct nappers_root {
  struct co co;
  int i;
  ac_task *h[NAPPERS];
  struct ac_yield_frame y;
  struct ac_join_frame join;
};

static ac_poll nappers_poll(void *frame, ac_cx *cx) {
  struct nappers_root *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < NAPPERS; fr->i++) {
    /* Durations spread over 0-12 ms, many equal. */
    struct napper proto = {.ms = (fr->i * 7919) % 13};
    fr->h[fr->i] = co_spawn(&proto, sizeof proto, napper_poll, napper_drop, 0,
                            0, "napper", NULL);
    ASSERT_NOT_NULL(fr->h[fr->i]);
  }
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  /* Every sleep is on the heap: take every third one off it, from the
   * middle, the root and the leaves alike. */
  for (fr->i = 0; fr->i < NAPPERS; fr->i += 3)
    ASSERT_OK(ac_task_abort(fr->h[fr->i]));
  for (fr->i = 0; fr->i < NAPPERS; fr->i++) {
    ac_join_init(&fr->join, fr->h[fr->i]);
    CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
    ASSERT_EQ(ac_task_aborted(fr->join.task), fr->i % 3 == 0);
    ac_join_finish(&fr->join);
  }
  CO_END(&fr->co);
}

static void nappers_drop(void *frame) { co_drop(frame); }

/* Sleeps wake in order of deadline, and of start for equal deadlines,
 * whichever of them were dropped meanwhile. */
TEST(sleep_heap_order_with_drops) {
  struct nappers_root fr = {.i = 0};
  nwoken = 0;
  ASSERT_OK(ac__block_on(&fr, nappers_poll, nappers_drop));
  ASSERT_EQ(nwoken, NAPPERS - (NAPPERS + 2) / 3);
  for (int i = 1; i < nwoken; i++) {
    ASSERT(woken[i - 1].deadline <= woken[i].deadline);
    if (woken[i - 1].deadline == woken[i].deadline)
      ASSERT_LT(woken[i - 1].seq, woken[i].seq);
  }
  ASSERT_LOOP_CLOSED();
}

/* Starts a long sleep, then drops it at its second poll (after a forced
 * suspension) and completes: the timer must be stopped, or the loop could
 * not be closed. */
struct abandon_frame {
  struct ac_sleep_frame sleep;
  int polls;
};

static ac_poll abandon_poll(void *frame, ac_cx *cx) {
  struct abandon_frame *fr = frame;
  if (fr->polls++ == 0) {
    ASSERT_EQ(ac_sleep_poll(&fr->sleep, cx), AC_PENDING);
    return ac__test_suspend(cx);
  }
  ac_sleep_drop(&fr->sleep);
  ac_sleep_drop(&fr->sleep); /* Dropping twice is harmless. */
  return AC_READY;
}

TEST(sleep_drop_pending_stops_timer) {
  struct abandon_frame fr = {.polls = 0};
  ac_sleep_init(&fr.sleep, 3600 * 1000);
  ASSERT_OK(ac__block_on(&fr, abandon_poll, count_drop));
  ASSERT_EQ(fr.polls, 2);
  ASSERT_LOOP_CLOSED();
}

TEST(sleep_drop_unpolled_is_noop) {
  struct ac_sleep_frame fr;
  ac_sleep_init(&fr, 10);
  ac_sleep_drop(&fr);
  ASSERT_LOOP_CLOSED();
}
