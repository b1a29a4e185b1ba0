/* asyncc/scope.h -- task scopes: structured concurrency.
 *
 *   ac_scope s;
 *   ac_scope_init(&s);                     opened by the running task
 *   for (int i = 0; i < n; i++)
 *     ac_scope_add(&s, ac_spawn(fetch(i, &out[i])));   owned by s
 *   int err = await(ac_scope_join(&s));    every task has ended
 *
 * A scope lives in the frame of the async function that opens it (a
 * local) and owns the tasks spawned into it: they may borrow the
 * function's locals, because none of them outlives the join.  If the
 * function is cancelled instead (its task aborted or dropped by block_on,
 * or the join itself dropped, e.g. by losing an ac_race), every task of
 * the scope is cancelled and its frames dropped before that drop returns;
 * a cancelled task's own scopes cancel theirs in turn.
 *
 * A task that fails (AC_ENOMEM) cancels the rest of its scope, and the
 * join yields its error; ac_scope_cancel yields AC_ECANCELED.  Results of
 * the tasks are discarded: they leave theirs where the caller can see
 * them (pointer arguments, channels).
 *
 * Rules: open a scope inside an async function, join it before the
 * function returns (after a cancel too), and open it again with
 * ac_scope_init to reuse it.  In the sync view every task has run by the
 * time it is spawned, and the join yields the same code.
 *
 * Threaded flavour: the tasks run on any worker.  Those on the owner's
 * worker are dropped at once as above; the others are failed and dropped
 * by their own worker, the join still waiting for them.  If the owner is
 * dropped before its join, the scope lets go of those and they may end
 * after its frame is gone: then they must not borrow its locals
 * (docs/runtime.md, "Task scopes").
 * Included by <asyncc.h>. */
#ifndef ASYNCC_SCOPE_H
#define ASYNCC_SCOPE_H

#include <stddef.h>

typedef struct ac_scope {
  ac_task *tasks, *last;  /* unfinished tasks in spawn order, linked
                             through each task */
  size_t pending;         /* tasks spawned into the scope, not ended */
  ac_task *joiner;        /* the task awaiting ac_scope_join, or NULL */
  int err;                /* the join's result: 0 or the first error */
  int state;              /* closed (0), open or cancelled; private */
  struct ac_cleanup hook; /* cancels the scope if its task is cancelled */
  ac_task *owner;         /* the task that opened it; private */
} ac_scope;

/* Opens `s` in the task being polled.  Returns 0, AC_EINVAL outside an
 * async function's poll (or for NULL), or AC_ENOMEM; the scope then
 * refuses tasks. */
int ac_scope_init(ac_scope *s);

/* Hands the task `h` (a handle from ac_spawn or ac_spawn_void) to the
 * scope, which owns it from then on: do not join, detach or abort `h`.
 * Returns 0; AC_ENOMEM for a NULL handle (the spawn ran out of memory) or
 * when the task's record of scope links cannot be allocated, which also
 * fails the scope, as a task failing would; AC_ECANCELED or
 * AC_EINVAL when the scope is cancelled or not open, in which case the
 * task is aborted at once. */
int ac_scope_add(ac_scope *s, void *h);

/* Cancels every task of the scope that has not ended: each is dropped
 * (frames, handles, cleanup hooks) before this returns, except the task
 * calling it if it belongs to the scope, which is dropped as soon as its
 * poll returns, and in the threaded flavour the tasks on other workers
 * than the owner's (or all, if called elsewhere), dropped by theirs.
 * Later tasks added are aborted at once.  The join then yields
 * AC_ECANCELED (or the error of a task that failed earlier).
 * Cancelling twice, or a scope that is not open, does nothing. */
void ac_scope_cancel(ac_scope *s);

/* The number of tasks of the scope that have not ended. */
size_t ac_scope_pending(const ac_scope *s);

/* await(ac_scope_join(&s)): waits until every task of the scope has
 * ended, closes the scope and yields 0, the first failed task's error, or
 * AC_ECANCELED.  Dropping a pending join cancels the scope's tasks.
 * AC_EINVAL for a scope that is not open. */
async int ac_scope_join(ac_scope *s);

struct ac_scope_join_frame {
  int result;
  ac_scope *s;
  int waited; /* suspended at least once */
  int done;
};
void ac_scope_join_init(struct ac_scope_join_frame *fr, ac_scope *s);
ac_poll ac_scope_join_poll(void *frame, ac_cx *cx);
void ac_scope_join_drop(void *frame);

#endif /* ASYNCC_SCOPE_H */
