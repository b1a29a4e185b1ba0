/* notify.c -- ac_notify, waking waiting tasks (asyncc/sync.h).
 *
 * A waiter woken by ac_notify_one carries that notification (w.n = 1): if
 * it is dropped before it runs, it notifies again, so the wake-up reaches
 * another waiter or becomes the stored permit.  Waiters woken by
 * ac_notify_all carry nothing to pass on. */
#include <assert.h>

#include "internal.h"

void ac_notify_init(ac_notify *n) {
  assert(n != NULL);
  *n = (ac_notify){0};
}

void ac_notify_one(ac_notify *n) {
  if (n == NULL)
    return;
  struct ac__waiter *w = ac__wait_wake_one(&n->waiters);
  if (w != NULL)
    w->n = 1;
  else
    n->permit = 1;
}

void ac_notify_all(ac_notify *n) {
  if (n != NULL)
    ac__wait_wake_all(&n->waiters, 0);
}

void ac_notify_wait_init(struct ac_notify_wait_frame *fr, ac_notify *n) {
  assert(fr != NULL);
  fr->n = n;
  fr->w = (struct ac__waiter){0};
}

ac_poll ac_notify_wait_poll(void *frame, ac_cx *cx) {
  struct ac_notify_wait_frame *fr = frame;
  assert(fr != NULL && fr->n != NULL && cx != NULL && cx->task != NULL);
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    fr->w.task = cx->task;
    return AC_PENDING;
  case AC__W_NOTIFIED:
    fr->w.state = AC__W_DONE;
    return AC_READY;
  }
  if (!fr->n->permit) {
    ac__wait_push(&fr->n->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->n->permit = 0;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

void ac_notify_wait_drop(void *frame) {
  struct ac_notify_wait_frame *fr = frame;
  assert(fr != NULL);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->n->waiters, &fr->w);
  else if (fr->w.state == AC__W_NOTIFIED && fr->w.n == 1)
    ac_notify_one(fr->n); /* Pass the notification on. */
  fr->w.state = AC__W_DONE;
}
