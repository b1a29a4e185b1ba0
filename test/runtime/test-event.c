/* test-event.c -- ac_event: a set wakes every waiter, in arrival order;
 * a set event lets waits through at once; a set then a reset still
 * releases the waiters; dropped waiters leave the list. */
#include <stddef.h>
#include <string.h>

#include "co.h"
#include "task.h"

static int order[8], order_len;

/* async int waiter(ac_event *ev, int id): waits, then logs its id. */
struct waiter {
  struct co co;
  int result, id;
  ac_event *ev;
  struct ac_event_wait_frame wait;
};

static ac_poll waiter_poll(void *frame, ac_cx *cx) {
  struct waiter *fr = frame;
  CO_BEGIN(&fr->co);
  ac_event_wait_init(&fr->wait, fr->ev);
  CO_AWAIT(&fr->co, &fr->wait, ac_event_wait_poll, ac_event_wait_drop);
  order[order_len++] = fr->id;
  fr->result = fr->id;
  CO_END(&fr->co);
}

static void co_frame_drop(void *frame) { co_drop(frame); }

static ac_task *spawn_waiter(ac_event *ev, int id) {
  struct waiter proto = {.ev = ev, .id = id};
  ac_task *t = co_spawn(&proto, sizeof proto, waiter_poll, co_frame_drop,
                        offsetof(struct waiter, result), sizeof(int), "waiter",
                        NULL);
  ASSERT_NOT_NULL(t);
  return t;
}

struct root {
  struct co co;
  ac_event ev;
  ac_task *h[4];
  int i, res[4], aborted[4];
  struct ac_yield_frame y;
  struct ac_join_frame join;
  struct ac_event_wait_frame wait;
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
  ac_event_init(&fr->ev);
  order_len = 0;
  return ac__block_on(fr, poll, co_frame_drop);
}

static ac_poll set_wakes_all_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_waiter(&fr->ev, fr->i);
  YIELD(fr); /* All three wait. */
  YIELD(fr);
  ASSERT_EQ(order_len, 0);
  ASSERT(!ac_event_is_set(&fr->ev));
  ac_event_set(&fr->ev);
  ASSERT(ac_event_is_set(&fr->ev));
  ASSERT_NULL(fr->ev.head);
  JOIN_ALL(fr, 3);
  CO_END(&fr->co);
}

/* One set wakes every waiter, in the order they came. */
TEST(event_set_wakes_every_waiter) {
  struct root fr;
  ASSERT_OK(run_root(set_wakes_all_poll, &fr));
  ASSERT_EQ(order_len, 3);
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ(order[i], i);
    ASSERT_EQ(fr.res[i], i);
  }
  ASSERT_LOOP_CLOSED();
}

static ac_poll set_passes_through_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  ac_event_set(&fr->ev);
  ac_event_set(&fr->ev); /* Idempotent. */
  /* Completes on its first poll: the root never suspends here. */
  ac_event_wait_init(&fr->wait, &fr->ev);
  ASSERT_EQ(ac_event_wait_poll(&fr->wait, cx), AC_READY);
  ac_event_wait_drop(&fr->wait); /* After completion: nothing to undo. */
  fr->h[0] = spawn_waiter(&fr->ev, 7);
  JOIN_ALL(fr, 1);
  CO_END(&fr->co);
}

/* While set, the event lets every wait through at once. */
TEST(event_wait_on_set_event_completes_at_once) {
  struct root fr;
  ASSERT_OK(run_root(set_passes_through_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(fr.res[0], 7);
  ASSERT_LOOP_CLOSED();
}

static ac_poll set_then_reset_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_waiter(&fr->ev, 0);
  fr->h[1] = spawn_waiter(&fr->ev, 1);
  YIELD(fr);
  ac_event_set(&fr->ev);
  ac_event_reset(&fr->ev); /* Before the woken waiters run. */
  ASSERT(!ac_event_is_set(&fr->ev));
  JOIN_ALL(fr, 2);
  /* A wait that starts after the reset waits for the next set. */
  fr->h[2] = spawn_waiter(&fr->ev, 2);
  YIELD(fr);
  YIELD(fr);
  ASSERT_EQ(order_len, 2);
  ac_event_set(&fr->ev);
  ac_join_init(&fr->join, fr->h[2]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ac_join_finish(&fr->join);
  CO_END(&fr->co);
}

/* A waiter released by a set completes even if a reset comes first. */
TEST(event_reset_after_set_still_releases_waiters) {
  struct root fr;
  ASSERT_OK(run_root(set_then_reset_poll, &fr));
  ASSERT_EQ(order_len, 3);
  ASSERT_LOOP_CLOSED();
}

static ac_poll drop_waiter_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_waiter(&fr->ev, fr->i);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[1])); /* The middle one... */
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...then the first. */
  YIELD(fr);
  /* Only the last is left on the list. */
  ASSERT_NOT_NULL(fr->ev.head);
  ASSERT_PTR_EQ(fr->ev.head, fr->ev.tail);
  ac_event_set(&fr->ev);
  JOIN_ALL(fr, 3);
  CO_END(&fr->co);
}

/* Dropping a pending wait takes it off the list; the set wakes the rest. */
TEST(event_dropped_waiter_leaves_list) {
  struct root fr;
  ASSERT_OK(run_root(drop_waiter_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 2);
  ASSERT_EQ(fr.aborted[0], 1);
  ASSERT_EQ(fr.aborted[1], 1);
  ASSERT_EQ(fr.aborted[2], 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll null_event_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  ac_event_wait_init(&fr->wait, NULL);
  CO_AWAIT(&fr->co, &fr->wait, ac_event_wait_poll, ac_event_wait_drop);
  CO_END(&fr->co);
}

/* Waiting on no event fails the task instead of hanging it. */
TEST(event_null_fails_task) {
  struct root fr;
  ASSERT_EQ(run_root(null_event_poll, &fr), AC_EINVAL);
  ac_event_set(NULL);
  ac_event_reset(NULL);
  ASSERT_EQ(ac_event_is_set(NULL), 0);
  ASSERT_LOOP_CLOSED();
}
