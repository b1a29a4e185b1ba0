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
  int locked = ac__lock(m);
  int err = m->locked ? AC_EBUSY : 0;
  m->locked = 1;
  ac__unlock(m, locked);
  return err;
}

static int mutex_unlock(ac_mutex *m) {
  if (!m->locked)
    return AC_EINVAL;
  if (ac__wait_wake_one(&m->waiters) == NULL)
    m->locked = 0;
  return 0;
}

int ac_mutex_unlock(ac_mutex *m) {
  if (m == NULL)
    return AC_EINVAL;
  int locked = ac__lock(m);
  int err = mutex_unlock(m);
  ac__unlock(m, locked);
  return err;
}

void ac_mutex_lock_init(struct ac_mutex_lock_frame *fr, ac_mutex *m) {
  assert(fr != NULL);
  fr->m = m;
  fr->w = (struct ac__waiter){0};
}

static AC__HOT_INLINE ac_poll lock_poll(struct ac_mutex_lock_frame *fr,
                                        ac_cx *cx) {
  ac_poll r;
  if (ac__wait_resume(&fr->w, cx, &r))
    return r;
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

ac_poll ac_mutex_lock_poll(void *frame, ac_cx *cx) {
  struct ac_mutex_lock_frame *fr = frame;
  assert(fr != NULL && fr->m != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return lock_poll(fr, cx);
  ac__lock_slow(fr->m);
  ac_poll r = lock_poll(fr, cx);
  ac__unlock_slow(fr->m);
  return r;
}

void ac_mutex_lock_drop(void *frame) {
  struct ac_mutex_lock_frame *fr = frame;
  assert(fr != NULL);
  int locked = ac__lock(fr->m);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->m->waiters, &fr->w);
  else if (fr->w.state == AC__W_NOTIFIED)
    mutex_unlock(fr->m); /* Handed the lock: pass it on. */
  fr->w.state = AC__W_DONE;
  ac__unlock(fr->m, locked);
}
