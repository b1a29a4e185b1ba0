/* scope.c -- task scopes (asyncc/scope.h).
 *
 * A scope keeps its unfinished tasks on a list linked through the tasks
 * and holds each task's handle reference, so a task ends (task.c calls
 * ac__scope_task_ended) before the scope lets go of it.  The scope must
 * not outlive its frame while tasks remain, so every way the frame can go
 * away cancels them first: the join's drop, and a cleanup hook registered
 * with the owning task for when the task itself is cancelled. */
#include <assert.h>

#include "internal.h"

enum { SCOPE_CLOSED, SCOPE_OPEN, SCOPE_CANCELLED };

static void scope_close(ac_scope *s) {
  assert(s->pending == 0);
  ac_cleanup_pop(&s->hook, 0);
  s->state = SCOPE_CLOSED;
  s->joiner = NULL;
}

/* Appends: cancelling in spawn order finds each task near the front of
 * the run queue, which tasks also join in spawn order. */
static void scope_link(ac_scope *s, ac_task *t) {
  t->scope = s;
  t->scope_next = NULL;
  t->scope_prev = s->last;
  if (s->last != NULL)
    s->last->scope_next = t;
  else
    s->tasks = t;
  s->last = t;
  s->pending++;
}

static void scope_unlink(ac_scope *s, ac_task *t) {
  if (t->scope_prev != NULL)
    t->scope_prev->scope_next = t->scope_next;
  else
    s->tasks = t->scope_next;
  if (t->scope_next != NULL)
    t->scope_next->scope_prev = t->scope_prev;
  else
    s->last = t->scope_prev;
  t->scope = NULL;
  t->scope_prev = t->scope_next = NULL;
  s->pending--;
}

/* Cancels every task of `s` but the one being polled.  A cancelled task
 * leaves the list as it ends, and its drop may end others (its cleanup
 * hooks run user code), so the walk starts over after each. */
static void cancel_tasks(ac_scope *s) {
  ac_task *t = s->tasks;
  while (t != NULL) {
    if (t->done || t == t->ex->current) {
      t = t->scope_next;
      continue;
    }
    ac__task_cancel(t, AC_ECANCELED);
    t = s->tasks;
  }
}

/* The frame holding `s` is going away: cancels its tasks and closes it.
 * A task of the scope being polled (it cancelled its own scope's owner)
 * cannot be dropped yet; it is let go, failed, and ends on its own. */
static void scope_abandon(ac_scope *s) {
  ac_scope_cancel(s);
  while (s->tasks != NULL) {
    ac_task *t = s->tasks;
    scope_unlink(s, t);
    ac_task_detach(t);
  }
  scope_close(s);
}

/* The owning task was cancelled. */
static void scope_hook(void *arg) { scope_abandon(arg); }

int ac_scope_init(ac_scope *s) {
  if (s == NULL)
    return AC_EINVAL;
  *s = (ac_scope){0};
  if (ac_cleanup_push(&s->hook, scope_hook, s) != 0)
    return AC_EINVAL;
  s->state = SCOPE_OPEN;
  return 0;
}

int ac_scope_add(ac_scope *s, void *h) {
  ac_task *t = h;
  if (s == NULL || s->state != SCOPE_OPEN) {
    if (t != NULL) {
      ac_task_abort(t);
      ac_task_detach(t);
    }
    return s != NULL && s->state == SCOPE_CANCELLED ? AC_ECANCELED : AC_EINVAL;
  }
  if (t == NULL) {
    if (s->err == 0)
      s->err = AC_ENOMEM;
    ac_scope_cancel(s);
    return AC_ENOMEM;
  }
  assert(t->spawned && t->scope == NULL);
  if (t->done) { /* It ended before it was handed over. */
    if (t->err != 0 && s->err == 0) {
      s->err = t->err;
      ac_scope_cancel(s);
    }
    ac_task_detach(t);
    return 0;
  }
  scope_link(s, t);
  return 0;
}

void ac_scope_cancel(ac_scope *s) {
  if (s == NULL || s->state != SCOPE_OPEN)
    return;
  s->state = SCOPE_CANCELLED;
  if (s->err == 0)
    s->err = AC_ECANCELED;
  cancel_tasks(s);
}

size_t ac_scope_pending(const ac_scope *s) {
  return s != NULL ? s->pending : 0;
}

void ac__scope_task_ended(ac_task *t) {
  ac_scope *s = t->scope;
  assert(s != NULL && t->done);
  scope_unlink(s, t);
  int err = t->err;
  ac_task_detach(t);
  /* The first task to fail takes the others down with it. */
  if (err != 0 && s->state == SCOPE_OPEN) {
    s->err = err;
    ac_scope_cancel(s);
  }
  if (s->pending == 0)
    ac_task_wake(s->joiner);
}

/* ---- The join future ---------------------------------------------------- */

void ac_scope_join_init(struct ac_scope_join_frame *fr, ac_scope *s) {
  assert(fr != NULL);
  *fr = (struct ac_scope_join_frame){0};
  fr->s = s;
}

ac_poll ac_scope_join_poll(void *frame, ac_cx *cx) {
  struct ac_scope_join_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->done)
    return AC_READY;
  ac_scope *s = fr->s;
  if (s == NULL || s->state == SCOPE_CLOSED) {
    fr->result = AC_EINVAL;
    fr->done = 1;
    return AC_READY;
  }
  if (s->pending != 0) {
    s->joiner = cx->task;
    fr->waited = 1;
    return AC_PENDING;
  }
  /* A join that never waited completes at once: it spends budget. */
  if (!fr->waited && ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = s->err;
  fr->done = 1;
  scope_close(s);
  return AC_READY;
}

void ac_scope_join_drop(void *frame) {
  struct ac_scope_join_frame *fr = frame;
  assert(fr != NULL);
  ac_scope *s = fr->s;
  if (fr->done || s == NULL || s->state == SCOPE_CLOSED)
    return;
  fr->done = 1;
  scope_abandon(s);
}
