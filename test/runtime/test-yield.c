/* test-yield.c -- ac_yield and ac__test_suspend. */
#include "futures.h"
#include "task.h"

struct counted_yield {
  struct ac_yield_frame yield;
  int polls;
};

static ac_poll counted_yield_poll(void *frame, ac_cx *cx) {
  struct counted_yield *fr = frame;
  fr->polls++;
  return ac_yield_poll(&fr->yield, cx);
}

TEST(yield_suspends_once) {
  struct counted_yield fr = {.polls = 0};
  ac_yield_init(&fr.yield);
  ASSERT_OK(ac__block_on(&fr, counted_yield_poll, ac_yield_drop));
  ASSERT_EQ(fr.polls, 2);
  ASSERT_LOOP_CLOSED();
}

/* async int spin(int n) { int i; for (i = 0; i < n; i++) await(ac_yield());
 *                          return i; }  as the transpiler would write it. */
enum spin_state { SPIN_START, SPIN_AWAIT_1, SPIN_DONE };

struct spin_frame {
  enum spin_state state;
  int result;
  int n;
  int i;
  int polls;
  union {
    struct ac_yield_frame await_1;
  } sub;
};

static void spin_init(struct spin_frame *fr, int n) {
  fr->state = SPIN_START;
  fr->n = n;
  fr->polls = 0;
}

static ac_poll spin_poll(void *frame, ac_cx *cx) {
  struct spin_frame *fr = frame;
  fr->polls++;
  switch (fr->state) {
  case SPIN_START:
    break;
  case SPIN_AWAIT_1:
    goto resume_1;
  case SPIN_DONE:
    return AC_READY;
  }
  for (fr->i = 0; fr->i < fr->n; fr->i++) {
    ac_yield_init(&fr->sub.await_1);
    fr->state = SPIN_AWAIT_1;
  resume_1:
    if (ac_yield_poll(&fr->sub.await_1, cx) == AC_PENDING)
      return AC_PENDING;
  }
  fr->result = fr->i;
  fr->state = SPIN_DONE;
  return AC_READY;
}

static void spin_drop(void *frame) {
  struct spin_frame *fr = frame;
  if (fr->state == SPIN_AWAIT_1)
    ac_yield_drop(&fr->sub.await_1);
  fr->state = SPIN_DONE;
}

TEST(yield_in_loop) {
  struct spin_frame fr;
  spin_init(&fr, 1000);
  ASSERT_OK(ac__block_on(&fr, spin_poll, spin_drop));
  ASSERT_EQ(fr.result, 1000);
  ASSERT_EQ(fr.polls, 1001);
  ASSERT_LOOP_CLOSED();
}

/* Two yielding futures joined in one task interleave: each poll of the
 * join advances both. */
TEST(yield_joined_interleave) {
  struct spin_frame a, b;
  spin_init(&a, 3);
  spin_init(&b, 5);
  struct join_frame join;
  join_init(&join);
  join_add(&join, &a, spin_poll, spin_drop);
  join_add(&join, &b, spin_poll, spin_drop);
  ASSERT_OK(ac__block_on(&join, join_poll, join_drop));
  ASSERT_EQ(join.order[0], 0);
  ASSERT_EQ(join.order[1], 1);
  ASSERT_EQ(a.polls, 4);
  ASSERT_EQ(b.polls, 6);
  ASSERT_LOOP_CLOSED();
}

/* A future with three forced suspensions, as --test-suspend builds make at
 * every await. */
static ac_poll suspend3_poll(void *frame, ac_cx *cx) {
  int *polls = frame;
  if (++*polls <= 3)
    return ac__test_suspend(cx);
  return AC_READY;
}

TEST(yield_test_suspend_repolls) {
  int polls = 0;
  ASSERT_OK(ac__block_on(&polls, suspend3_poll, count_drop));
  ASSERT_EQ(polls, 4);
  ASSERT_LOOP_CLOSED();
}

TEST(yield_drop_is_noop) {
  struct ac_yield_frame fr;
  ac_yield_init(&fr);
  ac_yield_drop(&fr);
  ASSERT_EQ(fr.yielded, 0);
  ASSERT_LOOP_CLOSED();
}
