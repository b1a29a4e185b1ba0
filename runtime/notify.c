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

static void notify_one(ac_notify *n) {
  struct ac__waiter *w = ac__wait_wake_one(&n->waiters);
  if (w != NULL)
    w->n = 1;
  else
    n->permit = 1;
}

void ac_notify_one(ac_notify *n) {
  if (n == NULL)
    return;
  int locked = ac__lock(n);
  notify_one(n);
  ac__unlock(n, locked);
}

void ac_notify_all(ac_notify *n) {
  if (n == NULL)
    return;
  int locked = ac__lock(n);
  ac__wait_wake_all(&n->waiters, 0);
  ac__unlock(n, locked);
}

void ac_notify_wait_init(struct ac_notify_wait_frame *fr, ac_notify *n) {
  assert(fr != NULL);
  fr->n = n;
  fr->w = (struct ac__waiter){0};
}

static AC__HOT_INLINE ac_poll wait_poll(struct ac_notify_wait_frame *fr,
                                        ac_cx *cx) {
  ac_poll r;
  if (ac__wait_resume(&fr->w, cx, &r))
    return r;
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

ac_poll ac_notify_wait_poll(void *frame, ac_cx *cx) {
  struct ac_notify_wait_frame *fr = frame;
  assert(fr != NULL && fr->n != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return wait_poll(fr, cx);
  ac__lock_slow(fr->n);
  ac_poll r = wait_poll(fr, cx);
  ac__unlock_slow(fr->n);
  return r;
}

void ac_notify_wait_drop(void *frame) {
  struct ac_notify_wait_frame *fr = frame;
  assert(fr != NULL);
  int locked = ac__lock(fr->n);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->n->waiters, &fr->w);
  else if (fr->w.state == AC__W_NOTIFIED && fr->w.n == 1)
    notify_one(fr->n); /* Pass the notification on. */
  fr->w.state = AC__W_DONE;
  ac__unlock(fr->n, locked);
}
