/* cleanup.c -- hooks that run when a task is cancelled (asyncc/task.h).
 *
 * A hook is registered with the task being polled and kept in a list in
 * the task's extension, most recent first; the executor runs them after
 * dropping a cancelled task's frames.  A finished async function pops its
 * own hooks, so a task that completes never runs any. */
#include "internal.h"

int ac_cleanup_push(struct ac_cleanup *c, void (*fn)(void *arg), void *arg) {
  struct ac__exec *ex = ac__exec_current();
  if (c == NULL || fn == NULL || ex->current == NULL)
    return AC_EINVAL;
  struct ac__task_ext *e = ac__task_ext(ex->current);
  if (e == NULL)
    return AC_ENOMEM;
  c->fn = fn;
  c->arg = arg;
  c->task = ex->current;
  c->next = e->cleanups;
  e->cleanups = c;
  return 0;
}

void ac_cleanup_pop(struct ac_cleanup *c, int run) {
  if (c == NULL || c->task == NULL)
    return;
  for (struct ac_cleanup **link = &c->task->ext->cleanups; *link != NULL;
       link = &(*link)->next) {
    if (*link == c) {
      *link = c->next;
      break;
    }
  }
  c->task = NULL;
  if (run)
    c->fn(c->arg);
}

void ac__cleanup_run_all(ac_task *task) {
  if (task->ext == NULL)
    return;
  while (task->ext->cleanups != NULL) {
    struct ac_cleanup *c = task->ext->cleanups;
    task->ext->cleanups = c->next;
    c->task = NULL;
    c->fn(c->arg);
  }
}
