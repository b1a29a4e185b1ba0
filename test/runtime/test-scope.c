/* test-scope.c -- task scopes: joins, cancellation reaching nested scopes
 * before the cancelling call returns, failures, and the loop left with no
 * handle. */
#include <stddef.h>
#include <string.h>

#include "co.h"
#include "task.h"

/* async void nest(int depth): at depth 0, sleeps for an hour; above, opens
 * a scope with two nests of depth - 1, joins it, then sleeps.  The tests
 * cancel it long before. */
struct nest_frame {
  struct co co;
  int depth;
  ac_scope s;
  struct ac_scope_join_frame join;
  struct ac_sleep_frame sleep;
};

static int sleeping; /* nests in their sleep or join, not yet dropped */
static int drops;    /* nests dropped while pending */

static ac_task *spawn_nest(int depth);

static ac_poll nest_poll(void *frame, ac_cx *cx) {
  struct nest_frame *fr = frame;
  CO_BEGIN(&fr->co);
  if (fr->depth > 0) {
    ASSERT_OK(ac_scope_init(&fr->s));
    ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(fr->depth - 1)));
    ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(fr->depth - 1)));
    sleeping++;
    ac_scope_join_init(&fr->join, &fr->s);
    CO_AWAIT(&fr->co, &fr->join, ac_scope_join_poll, ac_scope_join_drop);
    sleeping--;
  }
  sleeping++;
  ac_sleep_init(&fr->sleep, 3600 * 1000);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  sleeping--;
  CO_END(&fr->co);
}

static void nest_drop(void *frame) {
  struct nest_frame *fr = frame;
  if (fr->co.line > 0) { /* suspended: started, not finished */
    drops++;
    sleeping--;
  }
  co_drop(&fr->co);
}

static ac_task *spawn_nest(int depth) {
  struct nest_frame proto = {.depth = depth};
  return co_spawn(&proto, sizeof proto, nest_poll, nest_drop, 0, 0, "nest",
                  NULL);
}

/* The root: a scope, a handle, and a join of each. */
struct root_frame {
  struct co co;
  ac_scope s;
  struct ac_scope_join_frame join;
  struct ac_join_frame task_join;
  struct ac_yield_frame y;
  ac_task *h;
  int i, err;
};

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

static void root_drop(void *frame) {
  struct root_frame *fr = frame;
  co_drop(&fr->co);
}

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.i = 0};
  sleeping = drops = 0;
  return ac__block_on(fr, poll, root_drop);
}

/* ---- Aborting a task cancels its scope's tasks, and theirs -------------- */

static ac_poll abort_nested_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h = spawn_nest(2); /* 1 + 2 + 4 nests */
  for (fr->i = 0; fr->i < 5; fr->i++)
    YIELD(fr);
  ASSERT_EQ(sleeping, 7);
  ASSERT_OK(ac_task_abort(fr->h));
  YIELD(fr); /* The executor reaches the aborted task. */
  ASSERT_EQ(sleeping, 0);
  ASSERT_EQ(drops, 7);
  ac_join_init(&fr->task_join, fr->h);
  CO_AWAIT(&fr->co, &fr->task_join, ac_join_poll, ac_join_drop);
  ASSERT_EQ(ac_task_error(fr->h), AC_ECANCELED);
  ac_join_finish(&fr->task_join);
  CO_END(&fr->co);
}

/* Every hour-long timer is stopped: otherwise block_on would not return,
 * and the loop would be left with handles. */
TEST(scope_abort_cancels_nested_scopes) {
  struct root_frame fr;
  ASSERT_OK(run_root(abort_nested_poll, &fr));
  ASSERT_EQ(drops, 7);
  ASSERT_LOOP_CLOSED();
}

/* ---- Aborted away from its join, the scope's hook cancels it ------------ */

/* async void opener(void): opens a scope with two nests of depth 1, then
 * sleeps before joining it. */
struct opener_frame {
  struct co co;
  ac_scope s;
  struct ac_sleep_frame sleep;
  struct ac_scope_join_frame join;
};

static ac_poll opener_poll(void *frame, ac_cx *cx) {
  struct opener_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_scope_init(&fr->s));
  ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(1)));
  ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(1)));
  ac_sleep_init(&fr->sleep, 3600 * 1000);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  ac_scope_join_init(&fr->join, &fr->s);
  CO_AWAIT(&fr->co, &fr->join, ac_scope_join_poll, ac_scope_join_drop);
  CO_END(&fr->co);
}

static void opener_drop(void *frame) {
  co_drop(&((struct opener_frame *)frame)->co);
}

static ac_poll abort_away_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct opener_frame proto = {.co.line = 0};
    fr->h = co_spawn(&proto, sizeof proto, opener_poll, opener_drop, 0, 0,
                     "opener", NULL);
  }
  for (fr->i = 0; fr->i < 4; fr->i++)
    YIELD(fr);
  ASSERT_EQ(sleeping, 6);
  ASSERT_OK(ac_task_abort(fr->h));
  YIELD(fr);
  ASSERT_EQ(sleeping, 0);
  ASSERT_EQ(drops, 6);
  ac_task_detach(fr->h);
  CO_END(&fr->co);
}

TEST(scope_abort_away_from_join) {
  struct root_frame fr;
  ASSERT_OK(run_root(abort_away_poll, &fr));
  ASSERT_EQ(drops, 6);
  ASSERT_LOOP_CLOSED();
}

/* ---- A task cancelled while queued leaves the executor's pass sound ----- */

/* Parked: pending with nothing registered to wake it (a wake just polls it
 * again).  Spinning, once `spin` is set: wakes itself at every poll until
 * `stop`. */
struct parked_frame {
  int *spin, *stop;
};

static int pass_spin, pass_stop;
static ac_task *spinner;

static ac_poll parked_poll(void *frame, ac_cx *cx) {
  struct parked_frame *fr = frame;
  if (fr->stop != NULL && *fr->stop)
    return AC_READY;
  if (fr->spin != NULL && *fr->spin)
    ac_task_wake(cx->task);
  return AC_PENDING;
}

static void parked_drop(void *frame) { (void)frame; }

static ac_task *spawn_parked(int *spin, int *stop) {
  struct parked_frame proto = {spin, stop};
  return co_spawn(&proto, sizeof proto, parked_poll, parked_drop, 0, 0,
                  "parked", NULL);
}

/* async void owner(ac_task **child): a scope with one parked task, whose
 * address it leaves in *child; its drop starts the spinner. */
struct owner_frame {
  struct co co;
  ac_task **child;
  ac_scope s;
  struct ac_scope_join_frame join;
};

static ac_poll owner_poll(void *frame, ac_cx *cx) {
  struct owner_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_scope_init(&fr->s));
  *fr->child = spawn_parked(NULL, NULL);
  ASSERT_OK(ac_scope_add(&fr->s, *fr->child));
  ac_scope_join_init(&fr->join, &fr->s);
  CO_AWAIT(&fr->co, &fr->join, ac_scope_join_poll, ac_scope_join_drop);
  CO_END(&fr->co);
}

static void owner_drop(void *frame) {
  struct owner_frame *fr = frame;
  pass_spin = 1;
  ac_task_wake(spinner);
  co_drop(&fr->co);
}

struct pass_frame {
  struct root_frame r;
  ac_task *child;
  struct ac_sleep_frame sleep;
};

static ac_poll pass_poll(void *frame, ac_cx *cx) {
  struct pass_frame *pf = frame;
  struct root_frame *fr = &pf->r;
  CO_BEGIN(&fr->co);
  spinner = spawn_parked(&pass_spin, &pass_stop);
  {
    struct owner_frame proto = {.child = &pf->child};
    fr->h = co_spawn(&proto, sizeof proto, owner_poll, owner_drop, 0, 0,
                     "owner", NULL);
  }
  YIELD(fr);
  YIELD(fr);
  /* The next pass polls the owner, whose drop queues the spinner and
   * cancels the child, the last task of the pass, while it is queued. */
  ASSERT_OK(ac_task_abort(fr->h));
  ac_task_wake(pf->child);
  ac_sleep_init(&pf->sleep, 1);
  /* Only ends if the pass ends and the loop gets its turn. */
  CO_AWAIT(&fr->co, &pf->sleep, ac_sleep_poll, ac_sleep_drop);
  pass_stop = 1;
  ac_task_detach(fr->h);
  ac_task_detach(spinner);
  CO_END(&fr->co);
}

TEST(scope_cancel_of_queued_task_ends_pass) {
  struct pass_frame pf = {0};
  pass_spin = pass_stop = 0;
  ASSERT_OK(ac__block_on(&pf, pass_poll, root_drop));
  ASSERT_EQ(pass_stop, 1);
  ASSERT_LOOP_CLOSED();
}

/* ---- ac_scope_cancel drops the tasks before it returns ------------------ */

static ac_poll cancel_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_scope_init(&fr->s));
  for (fr->i = 0; fr->i < 3; fr->i++)
    ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(1)));
  YIELD(fr);
  YIELD(fr);
  ASSERT_EQ(sleeping, 9);
  ASSERT_EQ(ac_scope_pending(&fr->s), 3);
  ac_scope_cancel(&fr->s);
  ASSERT_EQ(sleeping, 0);
  ASSERT_EQ(drops, 9);
  ASSERT_EQ(ac_scope_pending(&fr->s), 0);
  /* A task added to a cancelled scope is aborted at once. */
  ASSERT_EQ(ac_scope_add(&fr->s, spawn_nest(0)), AC_ECANCELED);
  YIELD(fr);
  ASSERT_EQ(sleeping, 0); /* It never ran. */
  JOIN_SCOPE(fr);
  ASSERT_EQ(fr->err, AC_ECANCELED);
  /* Joined: the scope is closed. */
  ASSERT_EQ(ac_scope_add(&fr->s, spawn_nest(0)), AC_EINVAL);
  JOIN_SCOPE(fr);
  ASSERT_EQ(fr->err, AC_EINVAL);
  CO_END(&fr->co);
}

TEST(scope_cancel_drops_tasks_at_once) {
  struct root_frame fr;
  ASSERT_OK(run_root(cancel_poll, &fr));
  ASSERT_LOOP_CLOSED();
}

/* ---- A spawn out of memory fails the scope ------------------------------ */

static ac_poll oom_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_scope_init(&fr->s));
  ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(0)));
  YIELD(fr);
  ac__test_fail_alloc(0);
  fr->h = spawn_nest(0);
  ASSERT_NULL(fr->h);
  ASSERT_EQ(ac_scope_add(&fr->s, fr->h), AC_ENOMEM);
  ASSERT_EQ(drops, 1); /* The sibling went with it. */
  JOIN_SCOPE(fr);
  ASSERT_EQ(fr->err, AC_ENOMEM);
  CO_END(&fr->co);
}

TEST(scope_spawn_out_of_memory_fails_scope) {
  struct root_frame fr;
  ASSERT_OK(run_root(oom_poll, &fr));
  ASSERT_LOOP_CLOSED();
}

/* ---- The end of block_on drops a scope left pending --------------------- */

static ac_poll teardown_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_task_detach(spawn_nest(2));
  YIELD(fr);
  YIELD(fr);
  YIELD(fr);
  ASSERT_EQ(sleeping, 7);
  CO_END(&fr->co);
}

TEST(scope_block_on_end_drops_nested_scopes) {
  struct root_frame fr;
  ASSERT_OK(run_root(teardown_poll, &fr));
  ASSERT_EQ(sleeping, 0);
  ASSERT_EQ(drops, 7);
  ASSERT_LOOP_CLOSED();
}

/* ---- Opening a scope outside a poll ------------------------------------- */

TEST(scope_init_outside_poll) {
  ac_scope s;
  ASSERT_EQ(ac_scope_init(&s), AC_EINVAL);
  ASSERT_EQ(ac_scope_init(NULL), AC_EINVAL);
  ASSERT_EQ(ac_scope_pending(&s), 0);
  ac_scope_cancel(&s); /* Not open: nothing to do. */
  ac_scope_cancel(NULL);
  struct ac_scope_join_frame join;
  ac_scope_join_init(&join, &s);
  ASSERT_OK(ac__block_on(&join, ac_scope_join_poll, ac_scope_join_drop));
  ASSERT_EQ(join.result, AC_EINVAL);
  ASSERT_LOOP_CLOSED();
}
