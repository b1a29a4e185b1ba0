/* test-scope-threads.c -- task scopes in the threaded flavour (2 to 4
 * workers): joins of many tasks spread over the workers, cancels reaching
 * tasks running or sleeping elsewhere, owners aborted or dropped before
 * their join while their tasks run on other workers, nested scopes, a
 * failing task and a task cancelling its own scope from another worker,
 * and the task dump taken while tasks of a scope end everywhere. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "co.h"
#include "task.h"

#define MAX_KIDS 64
#define HOUR_MS (3600 * 1000)

/* What a kid does once started, then it finishes (unless dropped). */
enum kid_mode {
  KID_SHORT,  /* sleeps 0 to 2 ms */
  KID_HOUR,   /* sleeps for an hour: the tests cancel it long before */
  KID_SPIN,   /* wakes itself at every poll until `stop` */
  KID_FAIL,   /* sleeps 2 ms, then fails with AC_ENOMEM */
  KID_CANCEL, /* sleeps 2 ms, then cancels its own scope */
};

/* Shared by every kid of a test, reset by run_threaded. */
static struct {
  ac_scope *scope; /* the scope KID_CANCEL cancels */
  int dump;        /* kids with an index multiple of 8 dump the tasks */
  int expect;      /* KID_FAIL and KID_CANCEL wait until as many started */
  atomic_int started, finished, drops, stop;
  atomic_int home[MAX_KIDS];    /* each kid's worker, -1 before it ran */
  atomic_int dropped[MAX_KIDS]; /* each kid's frame dropped while pending */
} env;

struct kid {
  struct co co;
  int idx, mode, home;
  struct ac_sleep_frame sleep;
};

static void dump_to_tmpfile(void) {
  FILE *out = tmpfile();
  ASSERT_NOT_NULL(out);
  ac_dump_tasks(out);
  rewind(out);
  char line[128];
  ASSERT_NOT_NULL(fgets(line, sizeof line, out));
  ASSERT_EQ(strncmp(line, "asyncc: ", 8), 0);
  fclose(out);
}

static ac_poll kid_poll(void *frame, ac_cx *cx) {
  struct kid *fr = frame;
  CO_BEGIN(&fr->co);
  fr->home = ac__test_worker_index();
  ASSERT_GE(fr->home, 0);
  atomic_store(&env.home[fr->idx], fr->home);
  atomic_fetch_add(&env.started, 1);
  if (fr->mode == KID_SPIN) {
    while (!atomic_load(&env.stop)) {
      CO_YIELD(&fr->co);
      ASSERT_EQ(ac__test_worker_index(), fr->home);
    }
  } else {
    while (fr->mode >= KID_FAIL && atomic_load(&env.started) < env.expect) {
      ac_sleep_init(&fr->sleep, 1);
      CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
    }
    ac_sleep_init(&fr->sleep, fr->mode == KID_HOUR    ? HOUR_MS
                              : fr->mode == KID_SHORT ? (uint64_t)fr->idx % 3
                                                      : 2);
    CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
    ASSERT_EQ(ac__test_worker_index(), fr->home);
  }
  if (env.dump && fr->idx % 8 == 0)
    dump_to_tmpfile();
  if (fr->mode == KID_FAIL) {
    fr->co.line = -1; /* failed, not dropped while pending */
    return ac__frame_oom(cx);
  }
  if (fr->mode == KID_CANCEL) {
    ac_scope_cancel(env.scope);
    /* It belongs to the scope: failed, and dropped when this returns. */
    ASSERT(ac_task_aborted(cx->task));
  }
  atomic_fetch_add(&env.finished, 1);
  CO_END(&fr->co);
}

static void kid_drop(void *frame) {
  struct kid *fr = frame;
  if (fr->co.line > 0) { /* started, not finished */
    atomic_fetch_add(&env.drops, 1);
    atomic_store(&env.dropped[fr->idx], 1);
  }
  co_drop(&fr->co);
}

static ac_task *spawn_kid(int idx, int mode) {
  ASSERT_LT(idx, MAX_KIDS);
  struct kid proto = {.idx = idx, .mode = mode};
  ac_task *t =
      co_spawn(&proto, sizeof proto, kid_poll, kid_drop, 0, 0, "kid", NULL);
  ASSERT_NOT_NULL(t);
  return t;
}

/* The root of every test, or an owner task it spawns. */
struct owner {
  struct co co;
  int n, i, err, round, home, param;
  ac_scope s;
  struct ac_scope_join_frame join;
  struct ac_join_frame task_join;
  struct ac_sleep_frame sleep;
  ac_task *h;
};

static void owner_drop(void *frame) { co_drop(&((struct owner *)frame)->co); }

static int run_threaded(unsigned workers, ac_poll_fn poll, struct owner *fr,
                        int param) {
  *fr = (struct owner){.param = param};
  env.scope = NULL;
  env.dump = 0;
  env.expect = 0;
  atomic_store(&env.started, 0);
  atomic_store(&env.finished, 0);
  atomic_store(&env.drops, 0);
  atomic_store(&env.stop, 0);
  for (int i = 0; i < MAX_KIDS; i++) {
    atomic_store(&env.home[i], -1);
    atomic_store(&env.dropped[i], 0);
  }
  ASSERT_OK(ac_runtime_set_workers(workers));
  ac__test_place_round_robin(1); /* tasks of every worker meet */
  int err = ac__block_on(fr, poll, owner_drop);
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  return err;
}

/* Sleeps 1 ms at a time until `cond` holds (for at most 10 s). */
#define WAIT_UNTIL(fr, cond)                                                   \
  for ((fr)->i = 0; !(cond); (fr)->i++) {                                      \
    ASSERT_LT((fr)->i, 10000);                                                 \
    ac_sleep_init(&(fr)->sleep, 1);                                            \
    CO_AWAIT(&(fr)->co, &(fr)->sleep, ac_sleep_poll, ac_sleep_drop);           \
  }

/* How many different workers the kids 0..n-1 ran on. */
static int workers_used(int n) {
  unsigned seen = 0;
  for (int i = 0; i < n; i++)
    if (atomic_load(&env.home[i]) >= 0)
      seen |= 1u << atomic_load(&env.home[i]);
  return __builtin_popcount(seen);
}

/* ---- A join waits for every task, wherever it runs ---------------------- */

#define ROUNDS 20
#define JOIN_KIDS 32

static ac_poll join_many_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  env.dump = 1;
  for (fr->round = 0; fr->round < ROUNDS; fr->round++) {
    atomic_store(&env.finished, 0);
    ASSERT_OK(ac_scope_init(&fr->s)); /* reused: opened again */
    for (int i = 0; i < JOIN_KIDS; i++)
      ASSERT_OK(ac_scope_add(&fr->s, spawn_kid(i, KID_SHORT)));
    JOIN_SCOPE(fr);
    ASSERT_OK(fr->err);
    ASSERT_EQ(atomic_load(&env.finished), JOIN_KIDS);
    ASSERT_EQ(ac_scope_pending(&fr->s), 0);
  }
  ASSERT_EQ(workers_used(JOIN_KIDS), fr->param);
  ASSERT_EQ(atomic_load(&env.drops), 0);
  CO_END(&fr->co);
}

TEST(scope_threads_join_many_2) {
  struct owner fr;
  ASSERT_OK(run_threaded(2, join_many_poll, &fr, 2));
  ASSERT_LOOP_CLOSED();
}

TEST(scope_threads_join_many_4) {
  struct owner fr;
  ASSERT_OK(run_threaded(4, join_many_poll, &fr, 4));
  ASSERT_LOOP_CLOSED();
}

/* ---- ac_scope_cancel: at once here, soon elsewhere ---------------------- */

#define CANCEL_KIDS 30

static ac_poll cancel_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  fr->home = ac__test_worker_index();
  ASSERT_OK(ac_scope_init(&fr->s));
  for (int i = 0; i < CANCEL_KIDS; i++)
    ASSERT_OK(
        ac_scope_add(&fr->s, spawn_kid(i, i % 2 != 0 ? KID_HOUR : KID_SPIN)));
  WAIT_UNTIL(fr, atomic_load(&env.started) == CANCEL_KIDS);
  ASSERT_EQ(workers_used(CANCEL_KIDS), 3);
  ac_scope_cancel(&fr->s);
  /* The kids on this worker are dropped before the cancel returns. */
  for (int i = 0; i < CANCEL_KIDS; i++)
    if (atomic_load(&env.home[i]) == fr->home)
      ASSERT_EQ(atomic_load(&env.dropped[i]), 1);
  ASSERT_EQ(ac_scope_add(&fr->s, NULL), AC_ECANCELED);
  JOIN_SCOPE(fr);
  ASSERT_EQ(fr->err, AC_ECANCELED);
  /* The join waited until every kid had ended. */
  ASSERT_EQ(atomic_load(&env.drops), CANCEL_KIDS);
  ASSERT_EQ(ac_scope_pending(&fr->s), 0);
  ASSERT_EQ(atomic_load(&env.finished), 0);
  CO_END(&fr->co);
}

TEST(scope_threads_cancel_running_and_sleeping) {
  struct owner fr;
  ASSERT_OK(run_threaded(3, cancel_poll, &fr, 0));
  ASSERT_LOOP_CLOSED();
}

/* ---- The owner goes away before its join -------------------------------- */

#define OWNED_KIDS 24

/* async void holder(int at_join): opens a scope of kids, half sleeping,
 * half spinning, then waits in the join or (at_join 0) in an hour-long
 * sleep.  Aborted by the root. */
static ac_poll holder_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_scope_init(&fr->s));
  for (int i = 0; i < OWNED_KIDS; i++)
    ASSERT_OK(
        ac_scope_add(&fr->s, spawn_kid(i, i % 2 != 0 ? KID_HOUR : KID_SPIN)));
  if (fr->param) {
    JOIN_SCOPE(fr);
  } else {
    ac_sleep_init(&fr->sleep, HOUR_MS);
    CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  }
  ASSERT(0); /* aborted before */
  CO_END(&fr->co);
}

static ac_task *spawn_holder(int at_join) {
  struct owner proto = {.param = at_join};
  ac_task *t = co_spawn(&proto, sizeof proto, holder_poll, owner_drop, 0, 0,
                        "holder", NULL);
  ASSERT_NOT_NULL(t);
  return t;
}

/* The holder's frame, which holds the scope, is freed as soon as the
 * holder is joined; its kids on other workers are dropped later and must
 * not touch it (ASan checks). */
static ac_poll owner_aborted_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h = spawn_holder(fr->param);
  WAIT_UNTIL(fr, atomic_load(&env.started) == OWNED_KIDS);
  ASSERT_OK(ac_task_abort(fr->h));
  ac_join_init(&fr->task_join, fr->h);
  CO_AWAIT(&fr->co, &fr->task_join, ac_join_poll, ac_join_drop);
  ASSERT_EQ(ac_task_error(fr->h), AC_ECANCELED);
  ac_join_finish(&fr->task_join);
  WAIT_UNTIL(fr, atomic_load(&env.drops) == OWNED_KIDS);
  for (int i = 0; i < OWNED_KIDS; i++)
    ASSERT_EQ(atomic_load(&env.dropped[i]), 1);
  CO_END(&fr->co);
}

TEST(scope_threads_owner_aborted_in_join) {
  struct owner fr;
  ASSERT_OK(run_threaded(2, owner_aborted_poll, &fr, 1));
  ASSERT_LOOP_CLOSED();
}

TEST(scope_threads_owner_aborted_away_from_join) {
  struct owner fr;
  ASSERT_OK(run_threaded(4, owner_aborted_poll, &fr, 0));
  ASSERT_LOOP_CLOSED();
}

/* The root returns while holders wait: block_on's teardown drops them and
 * their kids on every worker. */
static ac_poll owner_teardown_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  ac_task_detach(spawn_holder(fr->param));
  WAIT_UNTIL(fr, atomic_load(&env.started) == OWNED_KIDS);
  CO_END(&fr->co);
}

TEST(scope_threads_owner_dropped_by_teardown) {
  struct owner fr;
  for (int at_join = 0; at_join < 2; at_join++) {
    ASSERT_OK(run_threaded(3, owner_teardown_poll, &fr, at_join));
    ASSERT_EQ(atomic_load(&env.drops), OWNED_KIDS);
    ASSERT_EQ(atomic_load(&env.finished), 0);
    ASSERT_LOOP_CLOSED();
  }
}

/* ---- Nested scopes across workers --------------------------------------- */

/* async void nest(int depth, int hour): at depth 0, sleeps 1 ms (or an
 * hour); above, opens a scope with two nests of depth - 1 and joins it. */
static atomic_int nests_waiting, nests_done, nests_dropped;

static ac_task *spawn_nest(int depth, int hour);

static ac_poll nest_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame; /* param: depth; round: hour */
  CO_BEGIN(&fr->co);
  atomic_fetch_add(&nests_waiting, 1);
  if (fr->param > 0) {
    ASSERT_OK(ac_scope_init(&fr->s));
    ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(fr->param - 1, fr->round)));
    ASSERT_OK(ac_scope_add(&fr->s, spawn_nest(fr->param - 1, fr->round)));
    JOIN_SCOPE(fr);
    ASSERT_OK(fr->err);
  } else {
    ac_sleep_init(&fr->sleep, fr->round ? HOUR_MS : 1);
    CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  }
  atomic_fetch_sub(&nests_waiting, 1);
  atomic_fetch_add(&nests_done, 1);
  CO_END(&fr->co);
}

static void nest_drop(void *frame) {
  struct owner *fr = frame;
  if (fr->co.line > 0) {
    atomic_fetch_sub(&nests_waiting, 1);
    atomic_fetch_add(&nests_dropped, 1);
  }
  co_drop(&fr->co);
}

static ac_task *spawn_nest(int depth, int hour) {
  struct owner proto = {.param = depth, .round = hour};
  ac_task *t =
      co_spawn(&proto, sizeof proto, nest_poll, nest_drop, 0, 0, "nest", NULL);
  ASSERT_NOT_NULL(t);
  return t;
}

#define NESTS 31 /* depth 4: 1 + 2 + 4 + 8 + 16 */

static ac_poll nested_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  /* Joined: every nest completes. */
  fr->h = spawn_nest(4, 0);
  ac_join_init(&fr->task_join, fr->h);
  CO_AWAIT(&fr->co, &fr->task_join, ac_join_poll, ac_join_drop);
  ASSERT_OK(ac_task_error(fr->h));
  ac_join_finish(&fr->task_join);
  ASSERT_EQ(atomic_load(&nests_done), NESTS);
  /* Aborted: every nest is dropped, innermost first on each worker. */
  atomic_store(&nests_done, 0);
  fr->h = spawn_nest(4, 1);
  WAIT_UNTIL(fr, atomic_load(&nests_waiting) == NESTS);
  ASSERT_OK(ac_task_abort(fr->h));
  ac_join_init(&fr->task_join, fr->h);
  CO_AWAIT(&fr->co, &fr->task_join, ac_join_poll, ac_join_drop);
  ASSERT_EQ(ac_task_error(fr->h), AC_ECANCELED);
  ac_join_finish(&fr->task_join);
  WAIT_UNTIL(fr, atomic_load(&nests_dropped) == NESTS);
  ASSERT_EQ(atomic_load(&nests_waiting), 0);
  ASSERT_EQ(atomic_load(&nests_done), 0);
  CO_END(&fr->co);
}

TEST(scope_threads_nested_scopes) {
  struct owner fr;
  atomic_store(&nests_waiting, 0);
  atomic_store(&nests_done, 0);
  atomic_store(&nests_dropped, 0);
  ASSERT_OK(run_threaded(4, nested_poll, &fr, 0));
  ASSERT_LOOP_CLOSED();
}

/* ---- A task fails or cancels its scope from another worker -------------- */

#define SIBLINGS 12

/* For each kid index in turn (so that the failing kid runs on each worker
 * in some round), a scope of hour-long and spinning kids plus one kid of
 * mode `param` that fails or cancels the scope. */
static ac_poll sibling_poll(void *frame, ac_cx *cx) {
  struct owner *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->round = 0; fr->round < 3; fr->round++) {
    atomic_store(&env.started, 0);
    atomic_store(&env.drops, 0);
    atomic_store(&env.finished, 0);
    ASSERT_OK(ac_scope_init(&fr->s));
    env.scope = &fr->s;
    env.expect = SIBLINGS;
    for (int i = 0; i < SIBLINGS; i++)
      ASSERT_OK(ac_scope_add(&fr->s, spawn_kid(i, i == fr->round ? fr->param
                                                  : i % 2 != 0   ? KID_HOUR
                                                                 : KID_SPIN)));
    JOIN_SCOPE(fr);
    ASSERT_EQ(fr->err, fr->param == KID_FAIL ? AC_ENOMEM : AC_ECANCELED);
    ASSERT_EQ(atomic_load(&env.drops), SIBLINGS - 1);
    ASSERT_EQ(atomic_load(&env.finished), fr->param == KID_CANCEL);
    ASSERT_EQ(ac_scope_pending(&fr->s), 0);
  }
  CO_END(&fr->co);
}

TEST(scope_threads_failing_task_cancels_siblings) {
  struct owner fr;
  ASSERT_OK(run_threaded(3, sibling_poll, &fr, KID_FAIL));
  ASSERT_LOOP_CLOSED();
}

TEST(scope_threads_task_cancels_own_scope) {
  struct owner fr;
  ASSERT_OK(run_threaded(3, sibling_poll, &fr, KID_CANCEL));
  ASSERT_LOOP_CLOSED();
}
