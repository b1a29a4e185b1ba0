/* mutex.c -- the fair async mutex (asyncc/sync.h).
 *
 * Unlocking with waiters does not release the lock: it hands it to the
 * first waiter, which is woken already holding it.  So a task arriving
 * later cannot barge in, and a woken waiter that is dropped before it
 * runs unlocks again, handing the lock to the next one. */
#include <assert.h>

#include "internal.h"

void ac_mutex_init(ac_mutex *m) {
  assert(m != NULL);
  *m = (ac_mutex){0};
}

int ac_mutex_try_lock(ac_mutex *m) {
  if (m == NULL)
    return AC_EINVAL;
  if (m->locked)
    return AC_EBUSY;
  m->locked = 1;
  return 0;
}

int ac_mutex_unlock(ac_mutex *m) {
  if (m == NULL || !m->locked)
    return AC_EINVAL;
  if (ac__wait_wake_one(&m->waiters) == NULL)
    m->locked = 0;
  return 0;
}

void ac_mutex_lock_init(struct ac_mutex_lock_frame *fr, ac_mutex *m) {
  assert(fr != NULL);
  fr->m = m;
  fr->w = (struct ac__waiter){0};
}

ac_poll ac_mutex_lock_poll(void *frame, ac_cx *cx) {
  struct ac_mutex_lock_frame *fr = frame;
  assert(fr != NULL && fr->m != NULL && cx != NULL && cx->task != NULL);
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    fr->w.task = cx->task;
    return AC_PENDING;
  case AC__W_NOTIFIED: /* Woken holding the lock. */
    fr->w.state = AC__W_DONE;
    return AC_READY;
  }
  if (fr->m->locked) {
    ac__wait_push(&fr->m->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->m->locked = 1;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

void ac_mutex_lock_drop(void *frame) {
  struct ac_mutex_lock_frame *fr = frame;
  assert(fr != NULL);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->m->waiters, &fr->w);
  else if (fr->w.state == AC__W_NOTIFIED)
    ac_mutex_unlock(fr->m); /* Handed the lock: pass it on. */
  fr->w.state = AC__W_DONE;
}
