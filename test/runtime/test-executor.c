/* test-executor.c -- ac__block_on, the run queue and wakers. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "futures.h"
#include "task.h"

/* A future that is ready at once with 42. */
struct answer_frame {
  int result;
  int polls;
};

static ac_poll answer_poll(void *frame, ac_cx *cx) {
  struct answer_frame *fr = frame;
  (void)cx;
  fr->polls++;
  fr->result = 42;
  return AC_READY;
}

TEST(executor_block_on_ready) {
  struct answer_frame fr = {0, 0};
  drops = 0;
  ASSERT_OK(ac__block_on(&fr, answer_poll, count_drop));
  ASSERT_EQ(fr.result, 42);
  ASSERT_EQ(fr.polls, 1);
  ASSERT_EQ(drops, 0);
  ASSERT_LOOP_CLOSED();
}

/* async int add(int a, int b) { await(ac_yield()); return a + b; }
 * as the transpiler would write it. */
enum add_state { ADD_START, ADD_AWAIT_1, ADD_DONE };

struct add_frame {
  enum add_state state;
  int result;
  int a, b;
  union {
    struct ac_yield_frame await_1;
  } sub;
};

static void add_init(struct add_frame *fr, int a, int b) {
  fr->state = ADD_START;
  fr->a = a;
  fr->b = b;
}

static ac_poll add_poll(void *frame, ac_cx *cx) {
  struct add_frame *fr = frame;
  switch (fr->state) {
  case ADD_START:
    break;
  case ADD_AWAIT_1:
    goto resume_1;
  case ADD_DONE:
    return AC_READY;
  }
  ac_yield_init(&fr->sub.await_1);
  fr->state = ADD_AWAIT_1;
resume_1:
  if (ac_yield_poll(&fr->sub.await_1, cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = fr->a + fr->b;
  fr->state = ADD_DONE;
  return AC_READY;
}

static void add_drop(void *frame) {
  struct add_frame *fr = frame;
  if (fr->state == ADD_AWAIT_1)
    ac_yield_drop(&fr->sub.await_1);
  fr->state = ADD_DONE;
}

TEST(executor_block_on_returns_through_frame) {
  struct add_frame fr;
  add_init(&fr, 40, 2);
  ASSERT_OK(ac__block_on(&fr, add_poll, add_drop));
  ASSERT_EQ(fr.result, 42);
  ASSERT_LOOP_CLOSED();
}

/* Wakes its own task three times on the first poll, then sleeps: a task
 * queued once is polled once, so there is no spurious third poll before
 * the timer fires. */
struct wake3_frame {
  int polls;
  struct ac_sleep_frame sleep;
};

static ac_poll wake3_poll(void *frame, ac_cx *cx) {
  struct wake3_frame *fr = frame;
  if (fr->polls++ > 0)
    return ac_sleep_poll(&fr->sleep, cx);
  ac_task_wake(cx->task);
  ac_task_wake(cx->task);
  ac_task_wake(cx->task);
  ac_sleep_init(&fr->sleep, 1);
  return AC_PENDING;
}

static void wake3_drop(void *frame) {
  struct wake3_frame *fr = frame;
  if (fr->polls > 0)
    ac_sleep_drop(&fr->sleep);
}

TEST(executor_wake_queued_task_is_noop) {
  struct wake3_frame fr = {.polls = 0};
  ASSERT_OK(ac__block_on(&fr, wake3_poll, wake3_drop));
  ASSERT_EQ(fr.polls, 3);
  ASSERT_LOOP_CLOSED();
}

TEST(executor_invalid_arguments) {
  struct answer_frame fr = {0, 0};
  drops = 0;
  ac_task_wake(NULL);
  ASSERT_EQ(ac__block_on(&fr, NULL, count_drop), AC_EINVAL);
  ASSERT_EQ(ac__block_on(&fr, answer_poll, NULL), AC_EINVAL);
  ASSERT_EQ(fr.polls, 0);
  ASSERT_EQ(drops, 0);
  ASSERT_LOOP_CLOSED();
}

/* Pending, but arranges no wake-up: it can never complete. */
static ac_poll stuck_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  return AC_PENDING;
}

TEST(executor_stalled_future_fails) {
  drops = 0;
  ASSERT_EQ(ac__block_on(NULL, stuck_poll, count_drop), AC_EDEADLK);
  ASSERT_EQ(drops, 1);
  ASSERT_LOOP_CLOSED();
}

/* Calls ac__block_on from inside a poll, which must be refused. */
struct nested_frame {
  int inner_err;
};

static ac_poll nested_poll(void *frame, ac_cx *cx) {
  struct nested_frame *fr = frame;
  struct answer_frame inner = {0, 0};
  (void)cx;
  fr->inner_err = ac__block_on(&inner, answer_poll, count_drop);
  ASSERT_EQ(inner.polls, 0);
  return AC_READY;
}

TEST(executor_nested_block_on_refused) {
  struct nested_frame fr = {0};
  drops = 0;
  ASSERT_OK(ac__block_on(&fr, nested_poll, count_drop));
  ASSERT_EQ(fr.inner_err, AC_EBUSY);
  ASSERT_EQ(drops, 1); /* The refused inner frame was dropped. */
  ASSERT_LOOP_CLOSED();
}

TEST(executor_block_on_repeatedly) {
  for (int i = 0; i < 3; i++) {
    struct ac_sleep_frame fr;
    ac_sleep_init(&fr, 1);
    ASSERT_OK(ac__block_on(&fr, ac_sleep_poll, ac_sleep_drop));
    ASSERT_LOOP_CLOSED();
  }
}

/* async void spin(int *stop) { while (!*stop) await(ac_yield()); } */
enum spin_state { SPIN_START, SPIN_AWAIT_1, SPIN_DONE };

struct spin_frame {
  enum spin_state state;
  const int *stop;
  int yields;
  union {
    struct ac_yield_frame await_1;
  } sub;
};

static ac_poll spin_poll(void *frame, ac_cx *cx) {
  struct spin_frame *fr = frame;
  switch (fr->state) {
  case SPIN_START:
    break;
  case SPIN_AWAIT_1:
    goto resume_1;
  case SPIN_DONE:
    return AC_READY;
  }
  while (!*fr->stop) {
    ac_yield_init(&fr->sub.await_1);
    fr->state = SPIN_AWAIT_1;
  resume_1:
    if (ac_yield_poll(&fr->sub.await_1, cx) == AC_PENDING)
      return AC_PENDING;
    fr->yields++;
  }
  fr->state = SPIN_DONE;
  return AC_READY;
}

/* A sleep that sets *stop when it completes. */
struct stopper_frame {
  struct ac_sleep_frame sleep;
  int *stop;
};

static ac_poll stopper_poll(void *frame, ac_cx *cx) {
  struct stopper_frame *fr = frame;
  if (ac_sleep_poll(&fr->sleep, cx) == AC_PENDING)
    return AC_PENDING;
  *fr->stop = 1;
  return AC_READY;
}

static void stopper_drop(void *frame) {
  struct stopper_frame *fr = frame;
  ac_sleep_drop(&fr->sleep);
}

/* A task that keeps yielding must not keep the loop from firing timers:
 * the spin stops only when the sleep completes. */
TEST(executor_yield_loop_does_not_starve_timers) {
  int stop = 0;
  struct spin_frame spin = {SPIN_START, &stop, 0, {{0}}};
  struct stopper_frame stopper = {.stop = &stop};
  ac_sleep_init(&stopper.sleep, 5);
  struct join_frame join;
  join_init(&join);
  join_add(&join, &spin, spin_poll, ac_yield_drop);
  join_add(&join, &stopper, stopper_poll, stopper_drop);
  ASSERT_OK(ac__block_on(&join, join_poll, join_drop));
  ASSERT_EQ(stop, 1);
  ASSERT_EQ(join.order[0], 1);
  ASSERT_LOOP_CLOSED();
}

TEST(executor_block_on_or_exit_returns) {
  struct answer_frame fr = {0, 0};
  ac__block_on_or_exit(&fr, answer_poll, count_drop);
  ASSERT_EQ(fr.result, 42);
  ASSERT_LOOP_CLOSED();
}

/* Generated ac_block_on() calls cannot return an error: the process exits
 * with status 70 (EX_SOFTWARE) after printing it. */
TEST(executor_block_on_or_exit_exits) {
  pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    freopen("/dev/null", "w", stderr); /* The expected error message. */
    ac__block_on_or_exit(NULL, stuck_poll, count_drop);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 70);
  ASSERT_LOOP_CLOSED();
}
