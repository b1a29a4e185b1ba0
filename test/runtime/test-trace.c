/* test-trace.c -- ac_trace_enable and ASYNCC_TRACE: the story of a run.
 * The futures here are written in the transpiler's shape for a pretend
 * source file trace-demo.c, with the ac_future_info tables it would emit;
 * each test compares the whole trace with the text it must be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "co.h"
#include "task.h"

/* ---- async void step(void) { await(ac_yield()); } ---------------------- */

enum step_state { STEP_START, STEP_L5, STEP_DONE };

struct step_frame {
  enum step_state state;
  union {
    struct ac_yield_frame await_5;
  } sub;
};

static ac_poll step_poll(void *frame, ac_cx *cx) {
  struct step_frame *fr = frame;
  switch (fr->state) {
  case STEP_START:
    break;
  case STEP_L5:
    goto resume_5;
  case STEP_DONE:
    return AC_READY;
  }
  fr->state = STEP_L5;
  ac_yield_init(&fr->sub.await_5);
resume_5:
  if (ac_yield_poll(&fr->sub.await_5, cx) == AC_PENDING)
    return AC_PENDING;
  fr->state = STEP_DONE;
  return AC_READY;
}

static void step_drop(void *frame) {
  struct step_frame *fr = frame;
  fr->state = STEP_DONE;
}

static const struct ac_await_info step_awaits_5[] = {
    {offsetof(struct step_frame, sub.await_5), ac_yield_poll, 0},
};
static const struct ac_state_info step_states[] = {
    [STEP_START] = {"STEP_START", 4, NULL, NULL, 0},
    [STEP_L5] = {"STEP_L5", 5, "await(ac_yield())", step_awaits_5, 1},
    [STEP_DONE] = {"STEP_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info step_info = {
    step_poll, "step", "trace-demo.c", step_states, 3, NULL};

/* ---- async void walk(uint64_t ms) {
 *        await(step());
 *        await(ac_sleep(ms));
 *      }  ------------------------------------------------------------------ */

enum walk_state { WALK_START, WALK_L10, WALK_L11, WALK_DONE };

struct walk_frame {
  enum walk_state state;
  uint64_t ms;
  union {
    struct step_frame await_10;
    struct ac_sleep_frame await_11;
  } sub;
};

static ac_poll walk_poll(void *frame, ac_cx *cx) {
  struct walk_frame *fr = frame;
  switch (fr->state) {
  case WALK_START:
    break;
  case WALK_L10:
    goto resume_10;
  case WALK_L11:
    goto resume_11;
  case WALK_DONE:
    return AC_READY;
  }
  fr->state = WALK_L10;
  fr->sub.await_10.state = STEP_START;
resume_10:
  if (step_poll(&fr->sub.await_10, cx) == AC_PENDING)
    return AC_PENDING;
  fr->state = WALK_L11;
  ac_sleep_init(&fr->sub.await_11, fr->ms);
resume_11:
  if (ac_sleep_poll(&fr->sub.await_11, cx) == AC_PENDING)
    return AC_PENDING;
  fr->state = WALK_DONE;
  return AC_READY;
}

static void walk_drop(void *frame) {
  struct walk_frame *fr = frame;
  if (fr->state == WALK_L10)
    step_drop(&fr->sub.await_10);
  else if (fr->state == WALK_L11)
    ac_sleep_drop(&fr->sub.await_11);
  fr->state = WALK_DONE;
}

static const struct ac_await_info walk_awaits_10[] = {
    {offsetof(struct walk_frame, sub.await_10), step_poll, 0},
};
static const struct ac_await_info walk_awaits_11[] = {
    {offsetof(struct walk_frame, sub.await_11), ac_sleep_poll, 0},
};
static const struct ac_state_info walk_states[] = {
    [WALK_START] = {"WALK_START", 9, NULL, NULL, 0},
    [WALK_L10] = {"WALK_L10", 10, "await(step())", walk_awaits_10, 1},
    [WALK_L11] = {"WALK_L11", 11, "await(ac_sleep(ms))", walk_awaits_11, 1},
    [WALK_DONE] = {"WALK_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info walk_info = {
    walk_poll, "walk", "trace-demo.c", walk_states, 4, NULL};

/* ---- async void pair(void) {
 *        await(ac_all(step(), ac_yield()));
 *      }  a combinator state: one await per branch. ------------------------ */

enum pair_state { PAIR_START, PAIR_L20, PAIR_DONE };

struct pair_frame {
  enum pair_state state;
  union {
    struct {
      struct step_frame b0;
      struct ac_yield_frame b1;
      unsigned pending;
    } await_20;
  } sub;
};

static ac_poll pair_poll(void *frame, ac_cx *cx) {
  struct pair_frame *fr = frame;
  switch (fr->state) {
  case PAIR_START:
    break;
  case PAIR_L20:
    goto resume_20;
  case PAIR_DONE:
    return AC_READY;
  }
  fr->state = PAIR_L20;
  fr->sub.await_20.b0.state = STEP_START;
  ac_yield_init(&fr->sub.await_20.b1);
  fr->sub.await_20.pending = 3;
resume_20:
  if ((fr->sub.await_20.pending & 1) &&
      step_poll(&fr->sub.await_20.b0, cx) == AC_READY)
    fr->sub.await_20.pending &= ~1u;
  if ((fr->sub.await_20.pending & 2) &&
      ac_yield_poll(&fr->sub.await_20.b1, cx) == AC_READY)
    fr->sub.await_20.pending &= ~2u;
  if (fr->sub.await_20.pending)
    return AC_PENDING;
  fr->state = PAIR_DONE;
  return AC_READY;
}

static void pair_drop(void *frame) {
  struct pair_frame *fr = frame;
  fr->state = PAIR_DONE;
}

static const struct ac_await_info pair_awaits_20[] = {
    {offsetof(struct pair_frame, sub.await_20.b0), step_poll, 0},
    {offsetof(struct pair_frame, sub.await_20.b1), ac_yield_poll, 0},
};
static const struct ac_state_info pair_states[] = {
    [PAIR_START] = {"PAIR_START", 19, NULL, NULL, 0},
    [PAIR_L20] = {"PAIR_L20", 20, "await(ac_all(step(), ac_yield()))",
                  pair_awaits_20, 2},
    [PAIR_DONE] = {"PAIR_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info pair_info = {
    pair_poll, "pair", "trace-demo.c", pair_states, 3, NULL};

static void register_all(void) {
  ASSERT_OK(ac__future_info_register(&step_info));
  ASSERT_OK(ac__future_info_register(&walk_info));
  ASSERT_OK(ac__future_info_register(&pair_info));
}

/* ---- Helpers ------------------------------------------------------------ */

/* Traces into a temporary file; trace_text stops tracing and returns what
 * was written (static buffer). */
static FILE *trace_file;

static void trace_start(void) {
  trace_file = tmpfile();
  ASSERT_NOT_NULL(trace_file);
  ac_trace_enable(trace_file);
}

static const char *trace_text(void) {
  static char buf[65536];
  ac_trace_enable(NULL);
  rewind(trace_file);
  size_t n = fread(buf, 1, sizeof buf - 1, trace_file);
  ASSERT(n < sizeof buf - 1); /* read whole */
  buf[n] = '\0';
  fclose(trace_file);
  trace_file = NULL;
  return buf;
}

#define ASSERT_TEXT(actual, expected)                                          \
  do {                                                                         \
    const char *a_ = (actual), *e_ = (expected);                               \
    if (strcmp(a_, e_) != 0)                                                   \
      test_fail(__FILE__, __LINE__,                                            \
                "trace differs; expected:\n%s\nactual:\n%s", e_, a_);          \
  } while (0)

#define ASSERT_HAS(actual, part)                                               \
  do {                                                                         \
    const char *a_ = (actual), *p_ = (part);                                   \
    if (strstr(a_, p_) == NULL)                                                \
      test_fail(__FILE__, __LINE__, "trace lacks:\n%s\nactual:\n%s", p_, a_);  \
  } while (0)

/* ---- Tests -------------------------------------------------------------- */

/* Each poll shows every level of the await chain going from one state to
 * the next, by source line; wakes say who woke the task and where it
 * waits; a turn of the loop with no task queued says that it may
 * block. */
TEST(trace_polls_wakes_and_turns) {
  register_all();
  struct walk_frame fr = {.state = WALK_START, .ms = 1};
  trace_start();
  ASSERT_OK(ac__block_on(&fr, walk_poll, walk_drop));
  ASSERT_TEXT(
      trace_text(),
      "block_on: task 0 walk starts\n"
      "poll task 0 walk\n"
      "wake task 0 by itself (waiting in ac_yield at step line 5)\n"
      "  walk: WALK_START -> WALK_L10 (line 10: await(step()))\n"
      "    step: STEP_START -> STEP_L5 (line 5: await(ac_yield()))\n"
      "      ac_yield: started\n"
      "  -> pending\n"
      "poll task 0 walk\n"
      "  walk: WALK_L10 (line 10: await(step())) -> WALK_L11 (line 11: "
      "await(ac_sleep(ms)))\n"
      "    step: STEP_L5 (line 5: await(ac_yield())) -> finished\n"
      "      ac_yield: finished\n"
      "    ac_sleep: started\n"
      "  -> pending\n"
      "reactor turn 1: no task is queued, so wait for a timer or I/O\n"
      "wake task 0 from the reactor (waiting in ac_sleep at walk line 11)\n"
      "poll task 0 walk\n"
      "  walk: WALK_L11 (line 11: await(ac_sleep(ms))) -> WALK_DONE\n"
      "    ac_sleep: finished\n"
      "  -> ready\n"
      "task 0 walk finished\n");
  ASSERT_LOOP_CLOSED();
}

/* A combinator's branches are numbered; a poll that leaves the state
 * cannot tell the branches that finished from those dropped. */
TEST(trace_combinator_branches) {
  register_all();
  struct pair_frame fr = {.state = PAIR_START};
  trace_start();
  ASSERT_OK(ac__block_on(&fr, pair_poll, pair_drop));
  ASSERT_TEXT(
      trace_text(),
      "block_on: task 0 pair starts\n"
      "poll task 0 pair\n"
      "wake task 0 by itself (waiting in pair line 20)\n"
      "wake task 0 by itself (waiting in pair line 20), already queued\n"
      "  pair: PAIR_START -> PAIR_L20 (line 20: await(ac_all(step(), "
      "ac_yield())))\n"
      "    [0] step: STEP_START -> STEP_L5 (line 5: await(ac_yield()))\n"
      "      ac_yield: started\n"
      "    [1] ac_yield: started\n"
      "  -> pending\n"
      "poll task 0 pair\n"
      "  pair: PAIR_L20 (line 20: await(ac_all(step(), ac_yield()))) -> "
      "PAIR_DONE\n"
      "    [0] step: STEP_L5 (line 5: await(ac_yield())) -> finished or "
      "dropped\n"
      "      ac_yield: finished or dropped\n"
      "    [1] ac_yield: finished or dropped\n"
      "  -> ready\n"
      "task 0 pair finished\n");
  ASSERT_LOOP_CLOSED();
}

struct root_frame {
  struct co co;
  ac_task *h[2];
  struct ac_yield_frame y;
};

static void root_drop(void *frame) { co_drop(frame); }

static ac_poll spawner_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  static const struct walk_frame forever = {.state = WALK_START, .ms = 3600000};
  CO_BEGIN(&fr->co);
  fr->h[0] = co_spawn(&forever, sizeof forever, walk_poll, walk_drop, 0, 0,
                      "doomed", NULL);
  fr->h[1] = co_spawn(&forever, sizeof forever, walk_poll, walk_drop, 0, 0,
                      "left", NULL);
  ASSERT_NOT_NULL(fr->h[0]);
  ASSERT_NOT_NULL(fr->h[1]);
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  ASSERT_OK(ac_task_abort(fr->h[0]));
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  ac_task_detach(fr->h[0]);
  ac_task_detach(fr->h[1]);
  CO_END(&fr->co);
}

/* Tasks are numbered in spawn order; a future without ac_future_info is
 * named as such; an aborted task and the tasks still pending when
 * block_on ends are dropped, each level of their chains with them. */
TEST(trace_spawn_abort_and_teardown) {
  register_all();
  struct root_frame fr = {0};
  trace_start();
  ASSERT_OK(ac__block_on(&fr, spawner_poll, root_drop));
  ASSERT_TEXT(trace_text(),
              "block_on: task 0 block_on starts\n"
              "poll task 0 block_on\n"
              "spawn task 1 walk by task 0\n"
              "spawn task 2 walk by task 0\n"
              "wake task 0 by itself\n"
              "  <future without ac_future_info>\n"
              "  -> pending\n"
              "poll task 1 walk\n"
              "wake task 1 by itself (waiting in ac_yield at step line 5)\n"
              "  walk: WALK_START -> WALK_L10 (line 10: await(step()))\n"
              "    step: STEP_START -> STEP_L5 (line 5: await(ac_yield()))\n"
              "      ac_yield: started\n"
              "  -> pending\n"
              "poll task 2 walk\n"
              "wake task 2 by itself (waiting in ac_yield at step line 5)\n"
              "  walk: WALK_START -> WALK_L10 (line 10: await(step()))\n"
              "    step: STEP_START -> STEP_L5 (line 5: await(ac_yield()))\n"
              "      ac_yield: started\n"
              "  -> pending\n"
              "poll task 0 block_on\n"
              "wake task 1 by task 0 (waiting in ac_yield at step line 5), "
              "already queued\n"
              "wake task 0 by itself\n"
              "  <future without ac_future_info>\n"
              "  -> pending\n"
              "drop task 1 walk (aborted)\n"
              "  walk: WALK_L10 (line 10: await(step())) -> dropped\n"
              "    step: STEP_L5 (line 5: await(ac_yield())) -> dropped\n"
              "      ac_yield: dropped\n"
              "poll task 2 walk\n"
              "  walk: WALK_L10 (line 10: await(step())) -> WALK_L11 (line 11: "
              "await(ac_sleep(ms)))\n"
              "    step: STEP_L5 (line 5: await(ac_yield())) -> finished\n"
              "      ac_yield: finished\n"
              "    ac_sleep: started\n"
              "  -> pending\n"
              "poll task 0 block_on\n"
              "  <future without ac_future_info>\n"
              "  -> ready\n"
              "task 0 block_on finished\n"
              "drop task 2 walk (block_on is ending)\n"
              "  walk: WALK_L11 (line 11: await(ac_sleep(ms))) -> dropped\n"
              "    ac_sleep: dropped\n");
  ASSERT_LOOP_CLOSED();
}

/* A leaf that never wakes its task: nothing is left to wake the root. */
static ac_poll never_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  return AC_PENDING;
}

static void never_drop(void *frame) { (void)frame; }

TEST(trace_deadlock_drops_root) {
  char frame = 0;
  trace_start();
  ASSERT_EQ(ac__block_on(&frame, never_poll, never_drop), AC_EDEADLK);
  ASSERT_TEXT(trace_text(),
              "block_on: task 0 block_on starts\n"
              "poll task 0 block_on\n"
              "  <future without ac_future_info>\n"
              "  -> pending\n"
              "drop task 0 block_on (nothing is left that could wake it)\n"
              "  <future without ac_future_info>: dropped\n");
  ASSERT_LOOP_CLOSED();
}

/* A root that sleeps once, so that the loop is open, then yields many
 * times in a row. */
struct busy_frame {
  struct co co;
  struct ac_sleep_frame sleep;
  int i;
};

static ac_poll busy_poll(void *frame, ac_cx *cx) {
  struct busy_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sleep_init(&fr->sleep, 1);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  for (fr->i = 0; fr->i < 200; fr->i++)
    CO_YIELD(&fr->co);
  CO_END(&fr->co);
}

/* While tasks keep the queue busy, the loop still gets a turn now and
 * then, which does not wait, and says so. */
TEST(trace_busy_queue_turns_without_waiting) {
  struct busy_frame fr = {0};
  trace_start();
  ASSERT_OK(ac__block_on(&fr, busy_poll, root_drop));
  const char *text = trace_text();
  const char *blocking = strstr(
      text, "reactor turn 1: no task is queued, so wait for a timer or I/O\n"
            "wake task 0 from the reactor\n");
  const char *busy = strstr(text, "  -> pending\n"
                                  "reactor turn 2: tasks are queued, so check "
                                  "for events without waiting\n"
                                  "poll task 0 block_on\n");
  ASSERT_NOT_NULL(blocking);
  ASSERT_NOT_NULL(busy);
  ASSERT(blocking < busy);
  ASSERT_LOOP_CLOSED();
}

/* A root that wakes itself in its first poll, during which it turns the
 * trace on: the trace starts there, without reading the root's frame,
 * which block_on has not stored yet. */
static ac_poll enabling_poll(void *frame, ac_cx *cx) {
  struct co *co = frame;
  CO_BEGIN(co);
  trace_start();
  CO_YIELD(co);
  CO_END(co);
}

TEST(trace_enabled_during_first_poll) {
  struct co co = {0};
  ASSERT_OK(ac__block_on(&co, enabling_poll, root_drop));
  ASSERT_TEXT(trace_text(), "wake task 0 by itself\n"
                            "poll task 0 block_on\n"
                            "  <future without ac_future_info>\n"
                            "  -> ready\n"
                            "task 0 block_on finished\n");
  ASSERT_LOOP_CLOSED();
}

/* A wake of another worker's task is told on the waker's thread, with
 * the task's worker in place of its await chain: that worker may be
 * changing its frames.  The listener, on worker 1, waits for the bell,
 * which the root rings once it sees it waiting, so that nothing else can
 * have woken it or ended it. */
static ac_notify bell;

struct listener_frame {
  struct co co;
  struct ac_notify_wait_frame wait;
};

static ac_poll listener_poll(void *frame, ac_cx *cx) {
  struct listener_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_notify_wait_init(&fr->wait, &bell);
  CO_AWAIT(&fr->co, &fr->wait, ac_notify_wait_poll, ac_notify_wait_drop);
  CO_END(&fr->co);
}

struct ringer_frame {
  struct co co;
  ac_task *h[2];
  struct ac_sleep_frame sleep;
  struct ac_join_frame join;
};

static int bell_waited(void) {
  int locked = ac__lock(&bell);
  int waited = bell.waiters.head != NULL;
  ac__unlock(&bell, locked);
  return waited;
}

static ac_poll ringer_poll(void *frame, ac_cx *cx) {
  struct ringer_frame *fr = frame;
  static const struct listener_frame proto; /* zeroed: not started */
  CO_BEGIN(&fr->co);
  /* Placed round-robin: the first on worker 0, the second on worker 1. */
  fr->h[0] = co_spawn(&proto, sizeof proto, never_poll, never_drop, 0, 0,
                      "here", NULL);
  fr->h[1] = co_spawn(&proto, sizeof proto, listener_poll, root_drop, 0, 0,
                      "there", NULL);
  ASSERT_NOT_NULL(fr->h[0]);
  ASSERT_NOT_NULL(fr->h[1]);
  while (!bell_waited()) {
    ac_sleep_init(&fr->sleep, 1);
    CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  }
  ac_notify_one(&bell);
  ac_join_init(&fr->join, fr->h[1]);
  CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
  ac_join_finish(&fr->join);
  ac_task_detach(fr->h[0]);
  CO_END(&fr->co);
}

TEST(trace_wake_on_another_worker) {
  ac_notify_init(&bell);
  ASSERT_OK(ac_runtime_set_workers(2));
  ac__test_place_round_robin(1);
  struct ringer_frame fr = {0};
  trace_start();
  ASSERT_OK(ac__block_on(&fr, ringer_poll, root_drop));
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  const char *text = trace_text();
  ASSERT_HAS(text, "spawn task 2 there by task 0\n");
  ASSERT_HAS(text, "wake task 2 by task 0 (on worker 1)\n");
  ASSERT_HAS(text, "task 2 there finished\n");
  ASSERT_LOOP_CLOSED();
}

/* ac_trace_enable(NULL) stops the trace: nothing more is written. */
TEST(trace_disabled_writes_nothing) {
  register_all();
  struct walk_frame fr = {.state = WALK_START, .ms = 1};
  trace_start();
  ac_trace_enable(NULL);
  ASSERT_OK(ac__block_on(&fr, walk_poll, walk_drop));
  ASSERT_TEXT(trace_text(), "");
  ASSERT_LOOP_CLOSED();
}

/* ASYNCC_TRACE=1 traces to stderr, with the program's own output before
 * each event flushed so that the two read in order.  The variable is read
 * as the program starts, by a constructor that calls
 * ac__trace_from_environment, called again here after setting it (the
 * docs tests run programs with the variable set). */
TEST(trace_from_environment) {
  ASSERT_OK(setenv("ASYNCC_TRACE", "0", 1));
  ac__trace_from_environment();
  ASSERT_EQ(atomic_load(&ac__trace_on), 0);
  ASSERT_OK(setenv("ASYNCC_TRACE", "1", 1));
  ac__trace_from_environment();
  ASSERT_EQ(atomic_load(&ac__trace_on), 1);
  FILE *f = tmpfile();
  ASSERT_NOT_NULL(f);
  int saved_out = dup(1), saved_err = dup(2);
  ASSERT(saved_out >= 0 && saved_err >= 0);
  ASSERT_EQ(dup2(fileno(f), 1), 1);
  ASSERT_EQ(dup2(fileno(f), 2), 2);
  register_all();
  struct walk_frame fr = {.state = WALK_START, .ms = 1};
  printf("before\n");
  ASSERT_OK(ac__block_on(&fr, walk_poll, walk_drop));
  printf("after\n");
  fflush(stdout);
  ASSERT_EQ(dup2(saved_out, 1), 1);
  ASSERT_EQ(dup2(saved_err, 2), 2);
  close(saved_out);
  close(saved_err);
  char buf[4096];
  rewind(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  ASSERT(strncmp(buf, "before\nblock_on: task 0 walk starts\n", 36) == 0);
  ASSERT(strstr(buf, "task 0 walk finished\nafter\n") != NULL);
  ac_trace_enable(NULL);
  ASSERT_LOOP_CLOSED();
}
