/* semaphore.c -- the counting semaphore (asyncc/sync.h).
 *
 * Waiters are served strictly in FIFO order: permits go to the first
 * waiter as soon as there are enough for it, and are taken off the count
 * before it is woken.  A woken waiter that is dropped releases its permits
 * again; a waiting one that is dropped may unblock the waiters behind it,
 * so both serve the queue again. */
#include <assert.h>
#include <stdint.h>

#include "internal.h"

void ac_sem_init(ac_sem *s, size_t permits) {
  assert(s != NULL);
  *s = (ac_sem){0};
  s->permits = permits;
}

size_t ac_sem_available(const ac_sem *s) {
  if (s == NULL)
    return 0;
  int locked = ac__lock(s);
  size_t n = s->permits;
  ac__unlock(s, locked);
  return n;
}

/* Hands permits to the waiters at the head of the queue while they fit. */
static void sem_serve(ac_sem *s) {
  while (s->waiters.head != NULL && s->waiters.head->n <= s->permits) {
    s->permits -= s->waiters.head->n;
    ac__wait_wake_one(&s->waiters);
  }
}

int ac_sem_try_acquire(ac_sem *s, size_t n) {
  if (s == NULL)
    return AC_EINVAL;
  int locked = ac__lock(s);
  int err = 0;
  if (s->waiters.head != NULL || s->permits < n)
    err = AC_EAGAIN;
  else
    s->permits -= n;
  ac__unlock(s, locked);
  return err;
}

static void sem_release(ac_sem *s, size_t n) {
  s->permits = n > SIZE_MAX - s->permits ? SIZE_MAX : s->permits + n;
  sem_serve(s);
}

void ac_sem_release(ac_sem *s, size_t n) {
  if (s == NULL)
    return;
  int locked = ac__lock(s);
  sem_release(s, n);
  ac__unlock(s, locked);
}

void ac_sem_acquire_init(struct ac_sem_acquire_frame *fr, ac_sem *s, size_t n) {
  assert(fr != NULL);
  fr->s = s;
  fr->w = (struct ac__waiter){0};
  fr->w.n = n;
}

static AC__HOT_INLINE ac_poll acquire_poll(struct ac_sem_acquire_frame *fr,
                                           ac_cx *cx) {
  ac_poll r;
  if (ac__wait_resume(&fr->w, cx, &r))
    return r;
  if (fr->s->waiters.head != NULL || fr->s->permits < fr->w.n) {
    ac__wait_push(&fr->s->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->s->permits -= fr->w.n;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

ac_poll ac_sem_acquire_poll(void *frame, ac_cx *cx) {
  struct ac_sem_acquire_frame *fr = frame;
  assert(fr != NULL && fr->s != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return acquire_poll(fr, cx);
  ac__lock_slow(fr->s);
  ac_poll r = acquire_poll(fr, cx);
  ac__unlock_slow(fr->s);
  return r;
}

void ac_sem_acquire_drop(void *frame) {
  struct ac_sem_acquire_frame *fr = frame;
  assert(fr != NULL);
  int locked = ac__lock(fr->s);
  if (fr->w.state == AC__W_WAITING) {
    ac__wait_remove(&fr->s->waiters, &fr->w);
    sem_serve(fr->s);
  } else if (fr->w.state == AC__W_NOTIFIED) {
    sem_release(fr->s, fr->w.n);
  }
  fr->w.state = AC__W_DONE;
  ac__unlock(fr->s, locked);
}
