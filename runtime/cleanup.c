/* cleanup.c -- hooks that run when a task is cancelled (asyncc/task.h).
 *
 * A hook is registered with the task being polled and kept in a list, most
 * recent first; the executor runs them after dropping a cancelled task's
 * frames.  A finished async function pops its own hooks, so a task that
 * completes never runs any. */
#include "internal.h"

int ac_cleanup_push(struct ac_cleanup *c, void (*fn)(void *arg), void *arg) {
  struct ac__exec *ex = ac__exec_current();
  if (c == NULL || fn == NULL || ex == NULL || ex->current == NULL)
    return AC_EINVAL;
  c->fn = fn;
  c->arg = arg;
  c->task = ex->current;
  c->next = c->task->cleanups;
  c->task->cleanups = c;
  return 0;
}

void ac_cleanup_pop(struct ac_cleanup *c, int run) {
  if (c == NULL || c->task == NULL)
    return;
  for (struct ac_cleanup **link = &c->task->cleanups; *link != NULL;
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
  while (task->cleanups != NULL) {
    struct ac_cleanup *c = task->cleanups;
    task->cleanups = c->next;
    c->task = NULL;
    c->fn(c->arg);
  }
}
