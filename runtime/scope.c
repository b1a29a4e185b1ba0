/* scope.c -- task scopes (asyncc/scope.h).
 *
 * A scope keeps its unfinished tasks on a list linked through the tasks
 * and holds each task's handle reference, so a task ends (task.c calls
 * ac__scope_task_ended) before the scope lets go of it.  The scope must
 * not outlive its frame while tasks remain, so every way the frame can go
 * away cancels them first: the join's drop, and a cleanup hook registered
 * with the owning task for when the task itself is cancelled.
 *
 * The threaded flavour.  A scope's tasks may be placed on other workers
 * than its owner's, and each worker alone may drop its tasks, while only
 * the owner's worker may free the scope (its frame).  So:
 *  - one mutex guards every scope's state and list and the tasks' scope
 *    links; a task's `scope` is written under its striped lock as well,
 *    so that ac__task_ended, which holds that lock, knows whether to come
 *    here.  The mutex is taken around striped and inject locks, never
 *    inside one, and never held while a frame is dropped;
 *  - a cancel drops at once the tasks on the owner's worker, when called
 *    there, and fails the others (ac__task_fail), which their workers
 *    drop at their next pass; the join waits for them all;
 *  - a scope abandoned (its frame going away) lets go of the tasks it
 *    could not drop: unlinked under the mutex, they end on their own
 *    worker without touching the scope.
 * Without workers the mutex is not taken and every task is dropped at
 * once. */
#include <assert.h>
#include <stdlib.h>

#include "internal.h"

enum { SCOPE_CLOSED, SCOPE_OPEN, SCOPE_CANCELLED };

/* ---- The scopes mutex (threaded flavour only) --------------------------- */

static uv_once_t scopes_once = UV_ONCE_INIT;
static uv_mutex_t scopes_mutex;

static void scopes_mutex_init(void) {
  if (uv_mutex_init(&scopes_mutex) != 0)
    abort(); /* Cannot fail on Linux for a default mutex. */
}

static int scopes_lock(void) {
  if (!ac__is_threaded())
    return 0;
  uv_once(&scopes_once, scopes_mutex_init);
  uv_mutex_lock(&scopes_mutex);
  return 1;
}

static void scopes_unlock(int locked) {
  if (locked)
    uv_mutex_unlock(&scopes_mutex);
}

/* ---- The list (under the scopes mutex) ---------------------------------- */

static void scope_close(ac_scope *s) {
  assert(s->pending == 0);
  ac_cleanup_pop(&s->hook, 0);
  s->state = SCOPE_CLOSED;
  s->joiner = NULL;
}

/* Appends, so that tasks are cancelled in spawn order.  The caller has
 * set t->ext->scope. */
static void scope_link(ac_scope *s, ac_task *t) {
  t->ext->scope_next = NULL;
  t->ext->scope_prev = s->last;
  if (s->last != NULL)
    s->last->ext->scope_next = t;
  else
    s->tasks = t;
  s->last = t;
}

static void scope_unchain(ac_scope *s, ac_task *t) {
  if (t->ext->scope_prev != NULL)
    t->ext->scope_prev->ext->scope_next = t->ext->scope_next;
  else
    s->tasks = t->ext->scope_next;
  if (t->ext->scope_next != NULL)
    t->ext->scope_next->ext->scope_prev = t->ext->scope_prev;
  else
    s->last = t->ext->scope_prev;
  t->ext->scope_prev = t->ext->scope_next = NULL;
}

static void scope_unlink(ac_scope *s, ac_task *t) {
  scope_unchain(s, t);
  int locked = ac__lock(t);
  t->ext->scope = NULL;
  ac__unlock(t, locked);
  s->pending--;
}

/* The worker of the calling thread if it is the owner's, where the scope
 * may drop tasks at once and stays valid between locks; else NULL. */
static struct ac__exec *owner_worker(const ac_scope *s) {
  struct ac__exec *ex = ac__exec_current();
  return s->owner != NULL && ac__task_exec(s->owner) == ex ? ex : NULL;
}

/* Moves an open scope to cancelled with `err` (unless it has an error
 * already).  Returns whether it was open. */
static int cancel_locked(ac_scope *s, int err) {
  if (s->state != SCOPE_OPEN)
    return 0;
  s->state = SCOPE_CANCELLED;
  if (s->err == 0)
    s->err = err;
  return 1;
}

/* Fails every task of `s` that is not on `here` (the owner's worker, or
 * NULL), so that its own worker drops it, and moves those tasks behind
 * the others: the tasks left for drop_own come first, in spawn order. */
static void fail_others(ac_scope *s, struct ac__exec *here) {
  if (!ac__is_threaded())
    return; /* One executor: every task is the owner's. */
  /* Each such task is moved to the end as it is met; the walk stops at
   * the task that was last when it began, so it meets each task once. */
  ac_task *t = s->tasks, *last = s->last;
  while (t != NULL) {
    ac_task *next = t == last ? NULL : t->ext->scope_next;
    if (ac__task_exec(t) != here) {
      ac__task_fail(t, AC_ECANCELED);
      scope_unchain(s, t);
      scope_link(s, t);
    }
    t = next;
  }
}

/* ---- Cancelling --------------------------------------------------------- */

/* Drops at once the tasks of `s` on `here`, the owner's worker (nothing
 * for NULL), which fail_others put first; the one being polled is failed
 * instead and dropped when its poll returns.  A dropped task leaves the
 * list as it ends, and its drop may end others (its cleanup hooks run
 * user code), so the walk starts over after each.  Called without the
 * mutex, which the drops take. */
static void drop_own(ac_scope *s, struct ac__exec *here) {
  if (here == NULL)
    return;
  for (;;) {
    int locked = scopes_lock();
    ac_task *t = s->tasks;
    while (t != NULL && ac__task_exec(t) == here &&
           ((ac__task_state(t) & AC__T_DONE) || t == here->current)) {
      if (!(ac__task_state(t) & AC__T_DONE))
        ac__task_fail(t, AC_ECANCELED);
      t = t->ext->scope_next;
    }
    if (t != NULL && ac__task_exec(t) != here)
      t = NULL; /* The rest are on other workers: they may end any time. */
    scopes_unlock(locked);
    if (t == NULL)
      return;
    ac__task_cancel(t, AC_ECANCELED);
  }
}

/* The frame holding `s` is going away (on the owner's worker): cancels
 * its tasks, lets go of those it cannot drop now (on other workers, or
 * being polled), which are failed and end on their own, and closes it. */
static void scope_abandon(ac_scope *s) {
  struct ac__exec *here = owner_worker(s);
  int locked = scopes_lock();
  cancel_locked(s, AC_ECANCELED);
  fail_others(s, here);
  scopes_unlock(locked);
  drop_own(s, here);
  locked = scopes_lock();
  ac_task *let_go = NULL;
  while (s->tasks != NULL) {
    ac_task *t = s->tasks;
    scope_unlink(s, t);
    t->ext->scope_next = let_go;
    let_go = t;
  }
  scope_close(s);
  scopes_unlock(locked);
  /* Released outside the mutex: a task that ended meanwhile is freed. */
  while (let_go != NULL) {
    ac_task *t = let_go;
    let_go = t->ext->scope_next;
    t->ext->scope_next = NULL;
    ac_task_detach(t);
  }
}

/* The owning task was cancelled. */
static void scope_hook(void *arg) { scope_abandon(arg); }

int ac_scope_init(ac_scope *s) {
  if (s == NULL)
    return AC_EINVAL;
  *s = (ac_scope){0};
  int err = ac_cleanup_push(&s->hook, scope_hook, s);
  if (err != 0)
    return err;
  s->owner = s->hook.task;
  s->state = SCOPE_OPEN;
  return 0;
}

int ac_scope_add(ac_scope *s, void *h) {
  ac_task *t = h;
  /* The task's scope links; allocated before the scopes mutex is taken,
   * as a dump takes it inside the registry lock. */
  if (t != NULL && ac__task_ext(t) == NULL) {
    ac_task_abort(t);
    ac_task_detach(t);
    t = NULL; /* Out of memory, as if the spawn had been. */
  }
  int locked = scopes_lock();
  if (s == NULL || s->state != SCOPE_OPEN) {
    int err =
        s != NULL && s->state == SCOPE_CANCELLED ? AC_ECANCELED : AC_EINVAL;
    scopes_unlock(locked);
    if (t != NULL) {
      ac_task_abort(t);
      ac_task_detach(t);
    }
    return err;
  }
  /* A handle that was NULL, or has become NULL above. */
  struct ac__exec *here = owner_worker(s);
  int cancelled = 0, err = 0;
  if (t == NULL) {
    cancelled = cancel_locked(s, AC_ENOMEM);
    err = AC_ENOMEM;
  } else {
    /* Read done and link under the task's lock, which its worker takes
     * to mark it done (ac__task_ended): either it sees the link, or the
     * task ended before it was handed over. */
    int tlocked = ac__lock(t);
    assert(!(t->flags & AC__T_ROOT) && t->ext->scope == NULL);
    int done = ac__task_state(t) & AC__T_DONE;
    if (!done)
      t->ext->scope = s;
    ac__unlock(t, tlocked);
    if (!done) {
      scope_link(s, t);
      s->pending++;
      scopes_unlock(locked);
      return 0;
    }
    if (t->err != 0)
      cancelled = cancel_locked(s, t->err);
  }
  if (cancelled)
    fail_others(s, here);
  scopes_unlock(locked);
  ac_task_detach(t);
  if (cancelled)
    drop_own(s, here);
  return err;
}

void ac_scope_cancel(ac_scope *s) {
  if (s == NULL)
    return;
  struct ac__exec *here = owner_worker(s);
  int locked = scopes_lock();
  int cancelled = cancel_locked(s, AC_ECANCELED);
  if (cancelled)
    fail_others(s, here);
  scopes_unlock(locked);
  if (cancelled)
    drop_own(s, here);
}

size_t ac_scope_pending(const ac_scope *s) {
  if (s == NULL)
    return 0;
  int locked = scopes_lock();
  size_t n = s->pending;
  scopes_unlock(locked);
  return n;
}

void ac__scope_task_ended(ac_task *t) {
  assert(ac__task_state(t) & AC__T_DONE);
  int locked = scopes_lock();
  ac_scope *s = t->ext->scope;
  if (s == NULL) { /* Let go by its abandoned scope, which released it. */
    scopes_unlock(locked);
    return;
  }
  scope_unlink(s, t);
  struct ac__exec *here = NULL;
  /* The first task to fail takes the others down with it. */
  int err = t->err;
  if (err != 0 && cancel_locked(s, err)) {
    here = owner_worker(s);
    fail_others(s, here);
  }
  /* Woken under the mutex: once it is released, the scope's frame (and
   * the joiner) may go away. */
  if (s->pending == 0)
    ac_task_wake(s->joiner);
  scopes_unlock(locked);
  ac_task_detach(t);
  drop_own(s, here);
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
  int locked = scopes_lock();
  ac_poll r = AC_READY;
  if (s == NULL || s->state == SCOPE_CLOSED) {
    fr->result = AC_EINVAL;
    fr->done = 1;
  } else if (s->pending != 0) {
    s->joiner = cx->task;
    fr->waited = 1;
    r = AC_PENDING;
  } else if (!fr->waited && ac_budget_spend(cx) == AC_PENDING) {
    r = AC_PENDING; /* A join that never waited spends budget. */
  } else {
    fr->result = s->err;
    fr->done = 1;
    scope_close(s);
  }
  scopes_unlock(locked);
  return r;
}

void ac_scope_join_drop(void *frame) {
  struct ac_scope_join_frame *fr = frame;
  assert(fr != NULL);
  ac_scope *s = fr->s;
  if (fr->done || s == NULL)
    return;
  int locked = scopes_lock();
  int closed = s->state == SCOPE_CLOSED;
  scopes_unlock(locked);
  if (closed)
    return;
  fr->done = 1;
  scope_abandon(s);
}
