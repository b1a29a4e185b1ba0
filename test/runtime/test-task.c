/* test-task.c -- spawned tasks: join, detach, abort, ids and names,
 * teardown by block_on, out of memory, the cooperative budget and the
 * fairness of the run queue. */
#include <stddef.h>
#include <string.h>

#include "co.h"
#include "task.h"

/* ---- Futures used by several tests -------------------------------------- */

/* async int value(int v, int yields): yields `yields` times, returns v. */
struct value_frame {
  struct co co;
  int result;
  int value, yields, i;
  int *done_flag; /* set to 1 when it finishes, if not NULL */
  struct ac_yield_frame y;
};

static int value_drops;

static ac_poll value_poll(void *frame, ac_cx *cx) {
  struct value_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < fr->yields; fr->i++) {
    ac_yield_init(&fr->y);
    CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  }
  fr->result = fr->value;
  if (fr->done_flag != NULL)
    *fr->done_flag = 1;
  CO_END(&fr->co);
}

static void value_drop(void *frame) {
  struct value_frame *fr = frame;
  if (fr->co.line != -1)
    value_drops++;
  co_drop(&fr->co);
}

static ac_task *spawn_value_flag(int v, int yields, int *done_flag) {
  struct value_frame proto = {
      .value = v, .yields = yields, .done_flag = done_flag};
  return co_spawn(&proto, sizeof proto, value_poll, value_drop,
                  offsetof(struct value_frame, result), sizeof(int), "value",
                  NULL);
}

static ac_task *spawn_value(int v, int yields) {
  return spawn_value_flag(v, yields, NULL);
}

/* async int sleeper(void): sleeps for an hour, returns 99; the tests
 * cancel it long before. */
struct sleeper_frame {
  struct co co;
  int result;
  struct ac_sleep_frame sleep;
};

static int sleeper_drops;

static ac_poll sleeper_poll(void *frame, ac_cx *cx) {
  struct sleeper_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sleep_init(&fr->sleep, 3600 * 1000);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  fr->result = 99;
  CO_END(&fr->co);
}

static void sleeper_drop(void *frame) {
  struct sleeper_frame *fr = frame;
  if (fr->co.line != -1)
    sleeper_drops++;
  co_drop(&fr->co);
}

static ac_task *spawn_sleeper(void) {
  struct sleeper_frame proto = {.result = 0};
  return co_spawn(&proto, sizeof proto, sleeper_poll, sleeper_drop,
                  offsetof(struct sleeper_frame, result), sizeof(int),
                  "sleeper", NULL);
}

/* async int joiner(AC_TASK(int) h): returns await(ac_join(h)) + 1. */
struct joiner_frame {
  struct co co;
  int result;
  ac_task *h;
  struct ac_join_frame join;
};

static ac_poll joiner_poll(void *frame, ac_cx *cx) {
  struct joiner_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_join_init(&fr->join, fr->h);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  fr->result = *(int *)ac_join_result(&fr->join) + 1;
  ac_join_finish(&fr->join);
  CO_END(&fr->co);
}

static void joiner_drop(void *frame) {
  struct joiner_frame *fr = frame;
  co_drop(&fr->co);
}

static ac_task *spawn_joiner(ac_task *h) {
  struct joiner_frame proto = {.h = h};
  return co_spawn(&proto, sizeof proto, joiner_poll, joiner_drop,
                  offsetof(struct joiner_frame, result), sizeof(int), "joiner",
                  NULL);
}

/* The root futures below share one frame type: a protothread with a few
 * handles, a join, a yield and some scratch integers. */
struct root_frame {
  struct co co;
  ac_task *h[8];
  struct ac_join_frame join;
  struct ac_yield_frame y;
  int i, n;
  int got[8];
};

static void root_drop(void *frame) {
  struct root_frame *fr = frame;
  co_drop(&fr->co);
}

/* Joins h into fr->got[k] (an int result). */
#define JOIN_INT(fr, task, k)                                                  \
  do {                                                                         \
    ac_join_init(&(fr)->join, (task));                                         \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    (fr)->got[k] = *(int *)ac_join_result(&(fr)->join);                        \
    ac_join_finish(&(fr)->join);                                               \
  } while (0)

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.n = 0};
  return ac__block_on(fr, poll, root_drop);
}

/* ---- Join, ids and names ------------------------------------------------- */

static ac_poll spawn_join_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value(42, 2);
  ASSERT_NOT_NULL(fr->h[0]);
  ASSERT_EQ(ac_task_id(fr->h[0]), 1);
  ASSERT_EQ(strcmp(ac_task_name(fr->h[0]), "value"), 0);
  ASSERT_EQ(ac_task_aborted(fr->h[0]), 0);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

TEST(task_spawn_join_result) {
  struct root_frame fr;
  ASSERT_OK(run_root(spawn_join_poll, &fr));
  ASSERT_EQ(fr.got[0], 42);
  ASSERT_LOOP_CLOSED();
}

static ac_poll ids_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_value(fr->i, fr->i);
  ASSERT_EQ(ac_task_id(fr->h[0]), 1);
  ASSERT_EQ(ac_task_id(fr->h[1]), 2);
  ASSERT_EQ(ac_task_id(fr->h[2]), 3);
  ASSERT_OK(ac_task_set_name(fr->h[1], "worker-2"));
  ASSERT_OK(ac_task_set_name(fr->h[1], "worker-two")); /* Renaming frees. */
  ASSERT_EQ(strcmp(ac_task_name(fr->h[1]), "worker-two"), 0);
  ASSERT_EQ(strcmp(ac_task_name(fr->h[2]), "value"), 0);
  ASSERT_EQ(ac_task_set_name(fr->h[1], NULL), AC_EINVAL);
  for (fr->i = 0; fr->i < 3; fr->i++)
    JOIN_INT(fr, fr->h[fr->i], fr->i);
  CO_END(&fr->co);
}

/* Ids count from 1 in spawn order; names are copied. */
TEST(task_ids_and_names) {
  struct root_frame fr;
  ASSERT_OK(run_root(ids_poll, &fr));
  ASSERT_EQ(fr.got[0], 0);
  ASSERT_EQ(fr.got[1], 1);
  ASSERT_EQ(fr.got[2], 2);
  ASSERT_EQ(ac_task_id(NULL), 0);
  ASSERT_NULL(ac_task_name(NULL));
  ASSERT_LOOP_CLOSED();
}

static ac_poll join_late_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value(7, 0);
  YIELD(fr);
  YIELD(fr);
  ASSERT(ac__task_state(fr->h[0]) & AC__T_DONE);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* A task that finished before the join keeps its result for it. */
TEST(task_join_after_finish) {
  struct root_frame fr;
  ASSERT_OK(run_root(join_late_poll, &fr));
  ASSERT_EQ(fr.got[0], 7);
  ASSERT_LOOP_CLOSED();
}

/* async void nothing(void): a void task. */
struct nothing_frame {
  struct co co;
  struct ac_yield_frame y;
};

static int nothing_ran;

static ac_poll nothing_poll(void *frame, ac_cx *cx) {
  struct nothing_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  nothing_ran = 1;
  CO_END(&fr->co);
}

static void nothing_drop(void *frame) {
  struct nothing_frame *fr = frame;
  co_drop(&fr->co);
}

static ac_poll void_join_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct nothing_frame proto = {.co = {0}};
    fr->h[0] = co_spawn(&proto, sizeof proto, nothing_poll, nothing_drop, 0, 0,
                        "nothing", NULL);
  }
  ac_join_init(&fr->join, fr->h[0]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ASSERT_NULL(ac_join_result(&fr->join));
  ac_join_finish(&fr->join);
  CO_END(&fr->co);
}

TEST(task_void_join) {
  struct root_frame fr;
  nothing_ran = 0;
  ASSERT_OK(run_root(void_join_poll, &fr));
  ASSERT_EQ(nothing_ran, 1);
  ASSERT_LOOP_CLOSED();
}

/* ---- Detach ---------------------------------------------------------------
 */

static int detached_done;

static ac_poll detach_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value_flag(1, 3, &detached_done);
  ac_task_detach(fr->h[0]); /* The handle is gone; the task runs on. */
  while (!detached_done)
    YIELD(fr);
  CO_END(&fr->co);
}

/* A detached task runs to its end and is freed then (ASan, valgrind). */
TEST(task_detach_runs_to_end) {
  struct root_frame fr;
  detached_done = 0;
  ASSERT_OK(run_root(detach_poll, &fr));
  ASSERT_EQ(detached_done, 1);
  ac_task_detach(NULL);
  ASSERT_LOOP_CLOSED();
}

/* ---- Abort ----------------------------------------------------------------
 */

static ac_poll abort_pending_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_sleeper();
  YIELD(fr); /* The sleeper starts its hour-long sleep. */
  ASSERT_EQ(sleeper_drops, 0);
  ASSERT_OK(ac_task_abort(fr->h[0]));
  ASSERT_EQ(ac_task_aborted(fr->h[0]), 1);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* Twice is fine. */
  YIELD(fr);
  /* Dropped within one pass of the executor. */
  ASSERT_EQ(sleeper_drops, 1);
  ASSERT_EQ(ac_task_error(fr->h[0]), AC_ECANCELED);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* Abort drops the frame chain promptly (the hour-long timer is stopped, or
 * the loop would not end) and the join yields a zeroed result. */
TEST(task_abort_pending) {
  struct root_frame fr;
  sleeper_drops = 0;
  ASSERT_OK(run_root(abort_pending_poll, &fr));
  ASSERT_EQ(fr.got[0], 0);
  ASSERT_EQ(sleeper_drops, 1);
  ASSERT_EQ(ac_task_abort(NULL), AC_EINVAL);
  ASSERT_LOOP_CLOSED();
}

static ac_poll abort_finished_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value(5, 0);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[0]));
  ASSERT_EQ(ac_task_aborted(fr->h[0]), 0);
  ASSERT_EQ(ac_task_error(fr->h[0]), 0);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* Aborting a task that has finished changes nothing. */
TEST(task_abort_finished_keeps_result) {
  struct root_frame fr;
  ASSERT_OK(run_root(abort_finished_poll, &fr));
  ASSERT_EQ(fr.got[0], 5);
  ASSERT_LOOP_CLOSED();
}

/* async int self_abort(void): starts a sleep, aborts its own task, and
 * returns pending: the executor drops it when the poll returns. */
static ac_task *self_handle;

static ac_poll self_abort_poll(void *frame, ac_cx *cx) {
  struct sleeper_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sleep_init(&fr->sleep, 3600 * 1000);
  fr->co.sub = &fr->sleep;
  fr->co.sub_drop = ac_sleep_drop;
  ASSERT_EQ(ac_sleep_poll(&fr->sleep, cx), AC_PENDING);
  ASSERT_OK(ac_task_abort(self_handle));
  fr->co.line = __LINE__;
  return AC_PENDING;
  CO_END(&fr->co);
}

static ac_poll abort_self_root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct sleeper_frame proto = {.result = 0};
    self_handle = fr->h[0] =
        co_spawn(&proto, sizeof proto, self_abort_poll, sleeper_drop,
                 offsetof(struct sleeper_frame, result), sizeof(int),
                 "self_abort", NULL);
  }
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

TEST(task_abort_self) {
  struct root_frame fr;
  sleeper_drops = 0;
  ASSERT_OK(run_root(abort_self_root_poll, &fr));
  ASSERT_EQ(fr.got[0], 0);
  ASSERT_EQ(sleeper_drops, 1);
  ASSERT_LOOP_CLOSED();
}

static int joined_done;

static ac_poll join_drop_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value_flag(11, 5, &joined_done);
  fr->h[1] = spawn_joiner(fr->h[0]);
  YIELD(fr); /* The joiner is waiting on h[0]. */
  ASSERT_OK(ac_task_abort(fr->h[1]));
  JOIN_INT(fr, fr->h[1], 1);
  /* Dropping the joiner's pending join detached h[0], which runs on. */
  ASSERT_EQ(joined_done, 0);
  while (!joined_done)
    YIELD(fr);
  CO_END(&fr->co);
}

TEST(task_join_drop_detaches) {
  struct root_frame fr;
  joined_done = 0;
  ASSERT_OK(run_root(join_drop_poll, &fr));
  ASSERT_EQ(fr.got[1], 0);
  ASSERT_EQ(joined_done, 1);
  ASSERT_LOOP_CLOSED();
}

/* ---- block_on's teardown --------------------------------------------------
 */

static ac_poll leave_pending_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_sleeper();
  fr->h[1] = spawn_joiner(fr->h[0]); /* A join chain left pending. */
  fr->h[2] = spawn_value(3, 0);      /* Finished, never joined. */
  fr->h[3] = spawn_value(4, 1000);   /* Detached, still running. */
  ac_task_detach(fr->h[3]);
  YIELD(fr);
  YIELD(fr);
  CO_END(&fr->co);
}

/* The root completes with tasks pending, finished and detached: block_on
 * drops the pending ones and frees them all (ASan, valgrind). */
TEST(task_block_on_drops_pending_tasks) {
  struct root_frame fr;
  sleeper_drops = value_drops = 0;
  ASSERT_OK(run_root(leave_pending_poll, &fr));
  ASSERT_EQ(sleeper_drops, 1);
  ASSERT_EQ(value_drops, 1);
  ASSERT_LOOP_CLOSED();
}

/* Tasks spawned outside block_on start when the next one runs. */
TEST(task_spawned_before_block_on) {
  ac_task *h = spawn_value(3, 1);
  ASSERT_NOT_NULL(h);
  ASSERT_EQ(ac_task_id(h), 1);
  ASSERT_EQ(ac__task_state(h) & AC__T_DONE, 0);
  struct joiner_frame j = {.h = h};
  ASSERT_OK(ac__block_on(&j, joiner_poll, joiner_drop));
  ASSERT_EQ(j.result, 4);
  ASSERT_LOOP_CLOSED();
}

/* A root that fails (here: stalls) still tears its tasks down. */
static ac_poll stall_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  (void)cx;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value(1, 0);
  fr->h[1] = spawn_value(2, 2);
  fr->co.line = __LINE__;
  return AC_PENDING; /* Nothing will wake it. */
  CO_END(&fr->co);
}

TEST(task_stalled_root_frees_tasks) {
  struct root_frame fr;
  ASSERT_EQ(run_root(stall_poll, &fr), AC_EDEADLK);
  ASSERT_EQ(fr.co.drops, 1);
  ASSERT_LOOP_CLOSED();
}

/* ---- Out of memory --------------------------------------------------------
 */

static ac_poll join_null_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac__test_fail_alloc(0);
  fr->h[0] = spawn_value(1, 0);
  ASSERT_NULL(fr->h[0]);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* A spawn that runs out of memory gives a NULL handle; awaiting its join
 * fails the joining task with AC_ENOMEM. */
TEST(task_spawn_oom) {
  struct root_frame fr;
  ASSERT_EQ(run_root(join_null_poll, &fr), AC_ENOMEM);
  ASSERT_EQ(fr.co.drops, 1);
  ASSERT_NULL(ac__task_new(SIZE_MAX, (void **)&fr.h[0]));
  ASSERT_LOOP_CLOSED();
}

static ac_poll rename_oom_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_value(1, 0);
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac_task_set_name(fr->h[0], "x"), AC_ENOMEM);
  ASSERT_EQ(strcmp(ac_task_name(fr->h[0]), "value"), 0);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

TEST(task_set_name_oom) {
  struct root_frame fr;
  ASSERT_OK(run_root(rename_oom_poll, &fr));
  ASSERT_LOOP_CLOSED();
}

/* async int oom_task(void): its frame allocation fails. */
static ac_poll oom_task_poll(void *frame, ac_cx *cx) {
  (void)frame;
  return ac__frame_oom(cx);
}

static ac_poll failed_task_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct value_frame proto = {.value = 5};
    fr->h[0] = co_spawn(&proto, sizeof proto, oom_task_poll, value_drop,
                        offsetof(struct value_frame, result), sizeof(int),
                        "oom", NULL);
  }
  YIELD(fr);
  ASSERT_EQ(ac_task_error(fr->h[0]), AC_ENOMEM);
  ASSERT_EQ(ac_task_aborted(fr->h[0]), 1);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* A spawned task that fails ends alone: its join yields a zeroed result,
 * and block_on succeeds. */
TEST(task_failed_task_joins_zero) {
  struct root_frame fr;
  ASSERT_OK(run_root(failed_task_poll, &fr));
  ASSERT_EQ(fr.got[0], 0);
  ASSERT_LOOP_CLOSED();
}

/* ---- Budget and fairness --------------------------------------------------
 */

/* async void spin_ready(void): awaits an always-ready future (a notify
 * whose permit it has just stored) until `stop`, counting the awaits. */
struct spin_frame {
  struct co co;
  struct ac_notify_wait_frame wait;
};

static ac_notify spin_notify;
static int spin_stop, spin_count;

static ac_poll spin_ready_poll(void *frame, ac_cx *cx) {
  struct spin_frame *fr = frame;
  CO_BEGIN(&fr->co);
  while (!spin_stop) {
    ac_notify_one(&spin_notify);
    ac_notify_wait_init(&fr->wait, &spin_notify);
    CO_AWAIT(&fr->co, &fr->wait, ac_notify_wait_poll, ac_notify_wait_drop);
    spin_count++;
  }
  CO_END(&fr->co);
}

static void spin_drop(void *frame) {
  struct spin_frame *fr = frame;
  co_drop(&fr->co);
}

static void noop_drop(void *frame) { (void)frame; }

/* async void stopper(void): sets spin_stop when it first runs. */
static ac_poll stopper_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  spin_stop = 1;
  return AC_READY;
}

static ac_poll budget_root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct spin_frame proto = {.co = {0}};
    fr->h[0] = co_spawn(&proto, sizeof proto, spin_ready_poll, spin_drop, 0, 0,
                        "spin", NULL);
    fr->h[1] = co_spawn(&proto, sizeof proto, stopper_poll, noop_drop, 0, 0,
                        "stopper", NULL);
  }
  ac_join_init(&fr->join, fr->h[0]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ac_join_finish(&fr->join);
  ac_join_init(&fr->join, fr->h[1]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ac_join_finish(&fr->join);
  CO_END(&fr->co);
}

/* A task awaiting always-ready futures in a loop never returns
 * AC_PENDING by itself; the budget makes it return to the executor after
 * AC_TASK_BUDGET awaits, so the stopper runs (without the budget this
 * test hangs).  It resumes with a fresh budget and sees the stop. */
TEST(task_budget_lets_others_progress) {
  struct root_frame fr;
  ac_notify_init(&spin_notify);
  spin_stop = spin_count = 0;
  ASSERT_OK(run_root(budget_root_poll, &fr));
  ASSERT_EQ(spin_stop, 1);
  ASSERT_EQ(spin_count, AC_TASK_BUDGET + 1);
  ASSERT_LOOP_CLOSED();
}

/* async void logger(int id): logs its id, yields, three times; then logs
 * once more. */
struct logger_frame {
  struct co co;
  int id, i;
  struct ac_yield_frame y;
};

static int fair_log[64], fair_len;

static ac_poll logger_poll(void *frame, ac_cx *cx) {
  struct logger_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 3; fr->i++) {
    fair_log[fair_len++] = fr->id;
    ac_yield_init(&fr->y);
    CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  }
  fair_log[fair_len++] = fr->id;
  CO_END(&fr->co);
}

static void logger_drop(void *frame) {
  struct logger_frame *fr = frame;
  co_drop(&fr->co);
}

static ac_poll fair_root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 4; fr->i++) {
    struct logger_frame proto = {.id = fr->i};
    fr->h[fr->i] = co_spawn(&proto, sizeof proto, logger_poll, logger_drop, 0,
                            0, "logger", NULL);
  }
  for (fr->i = 0; fr->i < 4; fr->i++) {
    ac_join_init(&fr->join, fr->h[fr->i]);
    CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
    ac_join_finish(&fr->join);
  }
  CO_END(&fr->co);
}

/* The run queue is FIFO: tasks that keep yielding take turns in the order
 * they were spawned. */
TEST(task_run_queue_is_fifo) {
  struct root_frame fr;
  fair_len = 0;
  ASSERT_OK(run_root(fair_root_poll, &fr));
  ASSERT_EQ(fair_len, 16);
  for (int i = 0; i < 16; i++)
    ASSERT_EQ(fair_log[i], i % 4);
  ASSERT_LOOP_CLOSED();
}

/* ---- The frame arena in spawned tasks ---------------------------------------
 */

/* async int arena_user(void): allocates a dynamic frame, yields, frees. */
struct arena_user_frame {
  struct co co;
  int result;
  int *block;
  struct ac_yield_frame y;
};

static ac_poll arena_user_poll(void *frame, ac_cx *cx) {
  struct arena_user_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->block = ac_frame_alloc(cx, 64 * 1024);
  ASSERT_NOT_NULL(fr->block);
  fr->block[0] = 21;
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  fr->result = fr->block[0] * 2;
  ac_frame_free(fr->block);
  CO_END(&fr->co);
}

static void arena_user_drop(void *frame) {
  struct arena_user_frame *fr = frame;
  if (fr->co.line != -1)
    ac_frame_free(fr->block);
  co_drop(&fr->co);
}

static ac_poll arena_root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct arena_user_frame proto = {.result = 0};
    fr->h[0] = co_spawn(&proto, sizeof proto, arena_user_poll, arena_user_drop,
                        offsetof(struct arena_user_frame, result), sizeof(int),
                        "arena", NULL);
    fr->h[1] = co_spawn(&proto, sizeof proto, arena_user_poll, arena_user_drop,
                        offsetof(struct arena_user_frame, result), sizeof(int),
                        "arena", NULL);
  }
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[1]));
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  CO_END(&fr->co);
}

/* Each spawned task has its own frame arena, released when it ends. */
TEST(task_frame_arena_per_task) {
  struct root_frame fr;
  ASSERT_OK(run_root(arena_root_poll, &fr));
  ASSERT_EQ(fr.got[0], 42);
  ASSERT_EQ(fr.got[1], 0);
  ASSERT_LOOP_CLOSED();
}
