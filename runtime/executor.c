/* executor.c -- the run queue, wakers and ac__block_on.
 *
 * A task is queued when woken and polled once per wake: waking a queued
 * task does nothing, and a task woken while it is being polled goes to the
 * back of the queue.  The executor works in passes: a pass polls the tasks
 * that were queued when it began, then the libuv loop gets a turn, without
 * blocking if tasks are still queued and blocking (UV_RUN_ONCE) if not.
 * So a task that keeps waking itself cannot starve timers and I/O. */
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
  t->next = NULL;
  t->ex = ex;
  t->frame = frame;
  t->poll = poll;
  t->drop = drop;
  ac__arena_init(&t->arena);
  t->err = 0;
  t->queued = 0;
  t->done = 0;
}

void ac_task_wake(ac_task *t) {
  if (t == NULL || t->queued || t->done)
    return;
  struct ac__exec *ex = t->ex;
  t->queued = 1;
  t->next = NULL;
  if (ex->tail != NULL)
    ex->tail->next = t;
  else
    ex->head = t;
  ex->tail = t;
}

static ac_task *queue_pop(struct ac__exec *ex) {
  ac_task *t = ex->head;
  if (t == NULL)
    return NULL;
  ex->head = t->next;
  if (ex->head == NULL)
    ex->tail = NULL;
  t->queued = 0;
  return t;
}

/* Unlinks `t` if it is queued; a pass never needs this, teardown does. */
static void queue_remove(struct ac__exec *ex, ac_task *t) {
  ac_task **link = &ex->head, *prev = NULL;
  while (*link != NULL && *link != t) {
    prev = *link;
    link = &(*link)->next;
  }
  if (*link == NULL)
    return;
  *link = t->next;
  if (ex->tail == t)
    ex->tail = prev;
  t->queued = 0;
}

void ac__task_fail(ac_task *t, int err) {
  assert(err < 0);
  if (t->err == 0)
    t->err = err;
  /* A task failing inside its own poll is handled when the poll returns. */
  if (t != t->ex->current)
    ac_task_wake(t);
}

/* Cancels `t`: drops its frame, which releases whatever the frame's live
 * futures hold (timers, arena frames, libuv handles). */
static void task_drop(ac_task *t) {
  t->drop(t->frame);
  t->done = 1;
}

static void task_run(ac_task *t) {
  if (t->done)
    return;
  if (t->err == 0) {
    ac_cx cx = {t};
    t->ex->current = t;
    ac_poll r = t->poll(t->frame, &cx);
    t->ex->current = NULL;
    if (r == AC_READY && t->err == 0)
      t->done = 1;
  }
  if (t->err != 0)
    task_drop(t);
}

/* Polls, once each, the tasks queued when the pass begins. */
static void run_pass(struct ac__exec *ex) {
  ac_task *last = ex->tail, *t;
  while (last != NULL && (t = queue_pop(ex)) != NULL) {
    task_run(t);
    if (t == last)
      break;
  }
}

/* Runs tasks and the loop until `root` is done.  Returns root's error, or
 * AC_EDEADLK (after dropping root) when root is pending but no task is
 * queued and the loop has nothing left that could wake it. */
static int run_until_done(struct ac__exec *ex, ac_task *root) {
  for (;;) {
    run_pass(ex);
    if (root->done)
      return root->err;
    uv_run_mode mode = ex->head != NULL ? UV_RUN_NOWAIT : UV_RUN_ONCE;
    int alive = uv_run(&ex->loop, mode);
    if (!alive && ex->head == NULL) {
      root->err = AC_EDEADLK;
      task_drop(root);
      return root->err;
    }
  }
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
  ac_task_wake(&root);
  err = run_until_done(ex, &root);
  queue_remove(ex, &root);
  ac__arena_fini(&root.arena);
  ac__loop_close(ex);
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
