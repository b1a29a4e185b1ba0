/* test-blocking.c -- ac_spawn_blocking: results, concurrency, and drops
 * that let the work finish and discard its result. */
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "co.h"
#include "task.h"

static void *double_it(void *arg) {
  int *p = arg;
  *p *= 2;
  return p;
}

struct root_frame {
  struct co co;
  struct ac_spawn_blocking_frame work;
  struct ac_join_frame join;
  struct ac_yield_frame y;
  ac_task *h[8];
  int v, i, res[8];
  void *result;
};

static void co_frame_drop(void *frame) { co_drop(frame); }

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.v = 0};
  return ac__block_on(fr, poll, co_frame_drop);
}

static ac_poll result_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->v = 21;
  ac_spawn_blocking_init(&fr->work, double_it, &fr->v);
  CO_AWAIT(&fr->co, &fr->work, ac_spawn_blocking_poll, ac_spawn_blocking_drop);
  fr->result = fr->work.result;
  ac_spawn_blocking_init(&fr->work, NULL, &fr->v); /* NULL at once. */
  CO_AWAIT(&fr->co, &fr->work, ac_spawn_blocking_poll, ac_spawn_blocking_drop);
  ASSERT_NULL(fr->work.result);
  CO_END(&fr->co);
}

TEST(blocking_returns_result) {
  struct root_frame fr;
  ASSERT_OK(run_root(result_poll, &fr));
  ASSERT_EQ(fr.v, 42);
  ASSERT_PTR_EQ(fr.result, &fr.v);
  ASSERT_LOOP_CLOSED();
}

/* async int offload(int v): await(ac_spawn_blocking(double_it, &v)). */
struct offload_frame {
  struct co co;
  int result;
  int v;
  struct ac_spawn_blocking_frame work;
};

static ac_poll offload_poll(void *frame, ac_cx *cx) {
  struct offload_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_spawn_blocking_init(&fr->work, double_it, &fr->v);
  CO_AWAIT(&fr->co, &fr->work, ac_spawn_blocking_poll, ac_spawn_blocking_drop);
  fr->result = *(int *)fr->work.result;
  CO_END(&fr->co);
}

static ac_poll many_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 8; fr->i++) {
    struct offload_frame proto = {.v = fr->i};
    fr->h[fr->i] = co_spawn(&proto, sizeof proto, offload_poll, co_frame_drop,
                            offsetof(struct offload_frame, result), sizeof(int),
                            "offload", NULL);
  }
  for (fr->i = 0; fr->i < 8; fr->i++) {
    ac_join_init(&fr->join, fr->h[fr->i]);
    CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
    fr->res[fr->i] = *(int *)ac_join_result(&fr->join);
    ac_join_finish(&fr->join);
  }
  CO_END(&fr->co);
}

TEST(blocking_many_concurrent) {
  struct root_frame fr;
  ASSERT_OK(run_root(many_poll, &fr));
  for (int i = 0; i < 8; i++)
    ASSERT_EQ(fr.res[i], 2 * i);
  ASSERT_LOOP_CLOSED();
}

/* Blocks on the pool thread until released, then reports it finished. */
static atomic_int slow_started, slow_release, slow_finished;

static void *slow(void *arg) {
  atomic_store(&slow_started, 1);
  struct timespec ms = {0, 1000000};
  while (!atomic_load(&slow_release))
    nanosleep(&ms, NULL);
  atomic_store(&slow_finished, 1);
  return arg;
}

/* async int slow_offload(void): await(ac_spawn_blocking(slow, NULL)). */
static ac_poll slow_offload_poll(void *frame, ac_cx *cx) {
  struct offload_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_spawn_blocking_init(&fr->work, slow, NULL);
  CO_AWAIT(&fr->co, &fr->work, ac_spawn_blocking_poll, ac_spawn_blocking_drop);
  fr->result = 7;
  CO_END(&fr->co);
}

static ac_poll drop_running_root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct offload_frame proto = {.v = 1};
    fr->h[0] = co_spawn(&proto, sizeof proto, slow_offload_poll, co_frame_drop,
                        offsetof(struct offload_frame, result), sizeof(int),
                        "slow", NULL);
  }
  while (!atomic_load(&slow_started)) {
    ac_yield_init(&fr->y);
    CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  }
  ASSERT_OK(ac_task_abort(fr->h[0]));
  ac_join_init(&fr->join, fr->h[0]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  fr->res[0] = *(int *)ac_join_result(&fr->join);
  ac_join_finish(&fr->join);
  /* The task is gone but the work still runs: block_on waits for it. */
  ASSERT_EQ(atomic_load(&slow_finished), 0);
  atomic_store(&slow_release, 1);
  CO_END(&fr->co);
}

/* Dropping a running ac_spawn_blocking cannot stop it: the work finishes,
 * its result is discarded, and block_on returns only after that. */
TEST(blocking_dropped_work_completes) {
  struct root_frame fr;
  ASSERT_OK(run_root(drop_running_root_poll, &fr));
  ASSERT_EQ(fr.res[0], 0);
  ASSERT_EQ(atomic_load(&slow_finished), 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll teardown_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct offload_frame proto = {.v = 1};
    fr->h[0] = co_spawn(&proto, sizeof proto, slow_offload_poll, co_frame_drop,
                        offsetof(struct offload_frame, result), sizeof(int),
                        "slow", NULL);
  }
  while (!atomic_load(&slow_started)) {
    ac_yield_init(&fr->y);
    CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  }
  atomic_store(&slow_release, 1);
  CO_END(&fr->co);
}

/* The same when block_on's teardown drops the task. */
TEST(blocking_teardown_waits_for_work) {
  struct root_frame fr;
  ASSERT_OK(run_root(teardown_poll, &fr));
  ASSERT_EQ(atomic_load(&slow_finished), 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll oom_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac__test_fail_alloc(0);
  ac_spawn_blocking_init(&fr->work, double_it, &fr->v);
  CO_AWAIT(&fr->co, &fr->work, ac_spawn_blocking_poll, ac_spawn_blocking_drop);
  CO_END(&fr->co);
}

TEST(blocking_oom_fails_block_on) {
  struct root_frame fr;
  ASSERT_EQ(run_root(oom_poll, &fr), AC_ENOMEM);
  ASSERT_EQ(fr.co.drops, 1);
  ASSERT_LOOP_CLOSED();
}
