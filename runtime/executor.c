/* executor.c -- the run queue, wakers, the cooperative budget and
 * ac__block_on.
 *
 * A task is queued when woken and polled once per wake: waking a queued
 * task does nothing, and a task woken while it is being polled goes to the
 * back of the queue.  The executor works in passes: a pass polls the tasks
 * that were queued when it began, then the libuv loop gets a turn, without
 * blocking if tasks are still queued and blocking (UV_RUN_ONCE) if not.
 * So a task that keeps waking itself cannot starve timers and I/O, and a
 * task that keeps awaiting futures that are ready at once is sent back to
 * the queue by the budget (ac_budget_spend) every AC_TASK_BUDGET awaits. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static _Thread_local struct ac__exec exec;

struct ac__exec *ac__exec_current(void) {
  return &exec;
}

static void task_init(ac_task *t, struct ac__exec *ex, void *frame,
                      ac_poll_fn poll, ac_drop_fn drop) {
  *t = (ac_task){0};
  t->ex = ex;
  t->frame = frame;
  t->poll = poll;
  t->drop = drop;
  ac__arena_init(&t->arena);
  t->name = "block_on";
}

void ac_task_wake(ac_task *t) {
  if (t == NULL)
    return;
  struct ac__exec *ex = t->ex;
  /* Only the owner touches its run queue; other workers inject.  (Without
   * workers every task is the calling thread's.) */
  if (ex->rt != NULL && ex != &exec) {
    ac__wake_remote(t);
    return;
  }
  AC__TRACE(wake, t);
  if (t->queued || t->done)
    return;
  t->queued = 1;
  t->next = NULL;
  t->prev = ex->tail;
  if (ex->tail != NULL)
    ex->tail->next = t;
  else
    ex->head = t;
  ex->tail = t;
  /* A wake from a libuv callback happens inside the executor's uv_run,
   * which would otherwise go on to block for I/O (with UV_RUN_ONCE, after
   * running the due timers) while a task is runnable: stopping makes that
   * poll non-blocking and returns to the executor.  (Outside uv_run the
   * stop flag would make the next uv_run do nothing at all.) */
  if (ex->in_uv_run)
    uv_stop(&ex->loop);
}

static ac_task *queue_pop(struct ac__exec *ex) {
  ac_task *t = ex->head;
  if (t == NULL)
    return NULL;
  ex->head = t->next;
  if (ex->head != NULL)
    ex->head->prev = NULL;
  else
    ex->tail = NULL;
  t->queued = 0;
  return t;
}

/* Unlinks `t`, which is queued: a task that ends while queued (it woke
 * itself, then completed, or was cancelled) must leave the queue before
 * it is freed.  Linked both ways, so that cancelling many tasks queued
 * in any order (a scope's, in the threaded flavour) stays linear. */
static void queue_remove(struct ac__exec *ex, ac_task *t) {
  ac_task *prev = t->prev;
  if (prev != NULL)
    prev->next = t->next;
  else
    ex->head = t->next;
  if (t->next != NULL)
    t->next->prev = prev;
  else
    ex->tail = prev;
  /* A task cancelled at once (ac__task_cancel) may be the pass's last:
   * the pass then ends with the task queued before it, if any. */
  if (ex->pass_last == t)
    ex->pass_last = prev;
  t->queued = 0;
}

void ac__task_fail(ac_task *t, int err) {
  assert(err < 0);
  if (t->ex->rt != NULL && t->ex != &exec) {
    /* Another worker's task: its owner may be polling it.  done is
     * published under the task's lock (task.c). */
    int locked = ac__lock(t);
    int zero = 0;
    if (!t->done && atomic_compare_exchange_strong(&t->err, &zero, err))
      ac__wake_remote(t);
    ac__unlock(t, locked);
    return;
  }
  if (t->done)
    return;
  if (t->err == 0)
    t->err = err;
  /* A task failing inside its own poll is handled when the poll returns. */
  if (t != t->ex->current)
    ac_task_wake(t);
}

ac_poll ac_budget_spend(ac_cx *cx) {
  assert(cx != NULL && cx->task != NULL);
  if (cx->budget > 0) {
    cx->budget--;
    return AC_READY;
  }
  ac_task_wake(cx->task);
  return AC_PENDING;
}

/* Marks `t` done and tells task.c, which may free a spawned task (and
 * marks it done itself, under the lock that joiners on other workers
 * take). */
static void task_end(ac_task *t) {
  AC__TRACE(end, t);
  if (t->queued)
    queue_remove(t->ex, t);
  if (t->spawned)
    ac__task_ended(t);
  else
    t->done = 1;
}

/* Polls `t` once with a fresh budget, or drops its frame if it failed or
 * was aborted.  `t` may be freed when this returns. */
static void task_run(ac_task *t) {
  if (t->done)
    return;
  struct ac__exec *ex = t->ex;
  if (t->err == 0) {
    ac_cx cx = {t, AC_TASK_BUDGET};
    ex->current = t;
    AC__TRACE(poll, t);
    ac_poll r = t->poll(t->frame, &cx);
    AC__TRACE(polled, t, r);
    ex->current = NULL;
    if (r == AC_READY && t->err == 0) {
      task_end(t);
      return;
    }
  }
  /* Dropping a frame that has just completed does nothing (docs/abi.md),
   * so a task that failed or was aborted during its last poll is simply
   * marked as not finished. */
  if (t->err != 0) {
    AC__TRACE(drop, t);
    t->drop(t->frame);
    ac__cleanup_run_all(t);
    task_end(t);
  }
}

void ac__task_cancel(ac_task *t, int err) {
  assert(err < 0);
  if (t->done)
    return;
  if (t == t->ex->current) {
    ac__task_fail(t, err);
    return;
  }
  if (t->err == 0)
    t->err = err;
  /* Done from here on: wakes from the drop are ignored, and a hook that
   * cancels the task again finds nothing to do. */
  t->done = 1;
  AC__TRACE(drop, t);
  t->drop(t->frame);
  ac__cleanup_run_all(t);
  task_end(t);
}

/* Polls, once each, the tasks queued when the pass begins. */
static void run_pass(struct ac__exec *ex) {
  ac_task *t;
  ex->pass_last = ex->tail;
  while (ex->pass_last != NULL && (t = queue_pop(ex)) != NULL) {
    if (t == ex->pass_last) /* t may be freed by task_run */
      ex->pass_last = NULL;
    task_run(t);
  }
}

/* Runs ex's loop once, blocking if no task is queued; returns whether the
 * loop, or in the threaded flavour the runtime, may still wake a task. */
static int run_uv(struct ac__exec *ex) {
  AC__TRACE(turn, ex);
  uv_run_mode mode = ex->head != NULL ? UV_RUN_NOWAIT : UV_RUN_ONCE;
  /* A worker's inject handle keeps its loop alive, so a stalled runtime
   * is detected across the workers instead (workers.c). */
  int idle = mode == UV_RUN_ONCE && ex->rt != NULL && ac__rt_idle_enter(ex);
  ex->in_uv_run = 1;
  int alive = uv_run(&ex->loop, mode);
  ex->in_uv_run = 0;
  if (idle)
    ac__rt_idle_leave(ex);
  if (ex->rt != NULL)
    return !ac__rt_deadlocked(ex);
  return alive || ex->head != NULL;
}

/* Runs tasks and the loop until `root` is done, or with root NULL (a
 * worker thread) until the runtime stops.  Returns root's error, or
 * AC_EDEADLK (after dropping root) when root is pending but no task is
 * queued and nothing is left that could wake one.  One loop serves both
 * so that run_pass is inlined into it. */
static int run_loop(struct ac__exec *ex, ac_task *root) {
  for (;;) {
    run_pass(ex);
    if (root != NULL ? root->done : ac__rt_stopping(ex))
      return root != NULL ? root->err : 0;
    if (!run_uv(ex) && root != NULL) {
      root->err = AC_EDEADLK;
      AC__TRACE(drop, root);
      root->drop(root->frame);
      ac__cleanup_run_all(root);
      AC__TRACE(end, root);
      root->done = 1;
      return root->err;
    }
  }
}

int ac__exec_run_until_done(struct ac__exec *ex, ac_task *root) {
  assert(root != NULL);
  return run_loop(ex, root);
}

void ac__exec_run_worker(struct ac__exec *ex) { run_loop(ex, NULL); }

/* Drops every task of ex that is not done yet.  With tearing_down set,
 * task.c frees no task, so the list stays intact; tasks spawned by drop
 * functions are appended to it and dropped in turn. */
static void drop_pending(struct ac__exec *ex) {
  for (ac_task *t = ex->live_head; t != NULL; t = t->live_next) {
    if (t->done)
      continue;
    if (t->err == 0)
      t->err = AC_ECANCELED;
    AC__TRACE(drop, t);
    t->drop(t->frame);
    ac__cleanup_run_all(t);
    task_end(t);
  }
}

/* Ends a block_on: every task still pending is dropped, blocking work
 * still running is waited for, then every task is freed and the loop
 * closed.  Drops happen before any task is freed because a frame being
 * dropped may hold another task's handle (a pending join).  Callbacks
 * that run while blocking work is waited for could spawn tasks, which are
 * dropped too. */
static void teardown(struct ac__exec *ex, ac_task *root) {
  ac__exec_drop_all(ex);
  ac__exec_close(ex, root);
}

void ac__exec_drop_all(struct ac__exec *ex) {
  ex->tearing_down = 1;
  for (;;) {
    drop_pending(ex);
    if (ex->blocking_inflight == 0)
      break;
    ac__blocking_wait(ex);
  }
}

void ac__exec_close(struct ac__exec *ex, ac_task *root) {
  while (queue_pop(ex) != NULL)
    continue;
  if (root != NULL)
    ac__task_unlink(ex, root);
  ac__tasks_free_all(ex);
  ex->tearing_down = 0;
  if (root != NULL)
    ac__arena_fini(&root->arena);
  ac__dump_signal_close(ex);
  ac__loop_close(ex);
}

int ac__block_on(void *frame, ac_poll_fn poll, ac_drop_fn drop) {
  if (poll == NULL || drop == NULL)
    return AC_EINVAL;
  struct ac__exec *ex = ac__exec_current();
  int err = ex->running ? AC_EBUSY : ac__loop_open(ex);
  if (err != 0) {
    drop(frame);
    return err;
  }
  ac_task root;
  task_init(&root, ex, frame, poll, drop);
  ex->running = 1;
  ac__task_link(ex, &root);
  ac__dump_signal_start(ex);
  ac_task_wake(&root);
  unsigned workers = ac_runtime_workers();
  if (workers > 1) {
    err = ac__block_on_threaded(ex, &root, workers);
  } else {
    err = ac__exec_run_until_done(ex, &root);
    teardown(ex, &root);
  }
  ex->running = 0;
  return err;
}

void ac__block_on_or_exit(void *frame, ac_poll_fn poll, ac_drop_fn drop) {
  int err = ac__block_on(frame, poll, drop);
  if (err == 0)
    return;
  fprintf(stderr, "asyncc: ac_block_on failed: %s\n", ac_strerror(err));
  exit(70); /* EX_SOFTWARE */
}
