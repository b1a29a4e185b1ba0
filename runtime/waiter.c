/* waiter.c -- the intrusive FIFO wait lists of the sync primitives.
 *
 * A waiter lives in the frame of a pending operation (frames do not move
 * once polled), so queueing allocates nothing.  Waking takes the waiter
 * off the list before waking its task: a woken waiter is "notified", and
 * its drop function knows that it may hold something it must pass on. */
#include <assert.h>

#include "internal.h"

void ac__wait_push(struct ac__wait_list *l, struct ac__waiter *w,
                   ac_task *task) {
  assert(w->state != AC__W_WAITING);
  w->task = task;
  w->state = AC__W_WAITING;
  w->next = NULL;
  w->prev = l->tail;
  if (l->tail != NULL)
    l->tail->next = w;
  else
    l->head = w;
  l->tail = w;
}

void ac__wait_remove(struct ac__wait_list *l, struct ac__waiter *w) {
  assert(w->state == AC__W_WAITING);
  if (w->prev != NULL)
    w->prev->next = w->next;
  else
    l->head = w->next;
  if (w->next != NULL)
    w->next->prev = w->prev;
  else
    l->tail = w->prev;
  w->prev = w->next = NULL;
}

struct ac__waiter *ac__wait_wake_one(struct ac__wait_list *l) {
  struct ac__waiter *w = l->head;
  if (w == NULL)
    return NULL;
  ac__wait_remove(l, w);
  w->state = AC__W_NOTIFIED;
  ac_task_wake(w->task);
  return w;
}

int ac__wait_resume(struct ac__waiter *w, ac_cx *cx, ac_poll *r) {
  switch (w->state) {
  case AC__W_DONE:
    *r = AC_READY;
    return 1;
  case AC__W_WAITING: /* Woken for another reason: wait on. */
    w->task = cx->task;
    *r = AC_PENDING;
    return 1;
  case AC__W_NOTIFIED: /* Served: what was waited for is granted. */
    w->state = AC__W_DONE;
    *r = AC_READY;
    return 1;
  }
  return 0;
}

void ac__wait_wake_all(struct ac__wait_list *l, size_t n) {
  struct ac__waiter *w;
  while ((w = ac__wait_wake_one(l)) != NULL)
    w->n = n;
}
