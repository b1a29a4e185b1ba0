/* test-sleep.c -- ac_sleep: suspension, timer order, drop and reuse of
 * timer records, out of memory. */
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
 *   int cached = ac__test_timer_cache_len();
 *   await(ac_sleep(2));
 *   return cached;
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
  fr->cached = (int)ac__test_timer_cache_len();
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
  ASSERT_EQ(fr.result, 1); /* The first sleep's record was cached. */
  ASSERT_LOOP_CLOSED();
}

/* The second sleep reuses the first one's timer record: with the next
 * allocation set to fail from the poll where the first sleep completes (and
 * the second starts), it still succeeds. */
static ac_poll arm_then_nap2_poll(void *frame, ac_cx *cx) {
  struct nap2_frame *fr = frame;
  if (fr->state == NAP2_AWAIT_1)
    ac__test_fail_alloc(0);
  return nap2_poll(frame, cx);
}

TEST(sleep_reuses_timer_records) {
  struct nap2_frame fr;
  nap2_init(&fr);
  ASSERT_OK(ac__block_on(&fr, arm_then_nap2_poll, nap2_drop));
  ac__test_fail_alloc(-1);
  ASSERT_EQ(fr.state, NAP2_DONE);
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

/* Many concurrent sleeps: all records are returned, but the cache keeps at
 * most AC__TIMER_CACHE_MAX of them. */
static ac_poll many_poll(void *frame, ac_cx *cx) {
  struct sleeps_frame *fr = frame;
  if (join_poll(&fr->join, cx) == AC_PENDING)
    return AC_PENDING;
  ASSERT_EQ(ac__test_timer_cache_len(), AC__TIMER_CACHE_MAX);
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

TEST(sleep_oom_fails_block_on) {
  struct nap2_frame fr;
  nap2_init(&fr);
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac__block_on(&fr, nap2_poll, nap2_drop), AC_ENOMEM);
  ASSERT_EQ(fr.state, NAP2_DONE); /* Dropped. */
  ASSERT_LOOP_CLOSED();
}

/* Fails each allocation in turn (libuv's test-loop-oom.c): every failure
 * ends block_on with AC_ENOMEM, and the timers already started are stopped
 * by the drop. */
TEST(sleep_oom_every_allocation) {
  static const uint64_t ms[] = {3, 1, 2};
  int n = 0;
  for (;; n++) {
    struct sleeps_frame fr;
    sleeps_init(&fr, 3, ms);
    ac__test_fail_alloc(n);
    int err = ac__block_on(&fr.join, join_poll, join_drop);
    ac__test_fail_alloc(-1);
    ASSERT_LOOP_CLOSED();
    if (err == 0)
      break;
    ASSERT_EQ(err, AC_ENOMEM);
  }
  ASSERT_EQ(n, 3); /* One record per sleep, nothing else. */
}
