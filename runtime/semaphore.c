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

size_t ac_sem_available(const ac_sem *s) { return s != NULL ? s->permits : 0; }

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
  if (s->waiters.head != NULL || s->permits < n)
    return AC_EAGAIN;
  s->permits -= n;
  return 0;
}

void ac_sem_release(ac_sem *s, size_t n) {
  if (s == NULL)
    return;
  s->permits = n > SIZE_MAX - s->permits ? SIZE_MAX : s->permits + n;
  sem_serve(s);
}

void ac_sem_acquire_init(struct ac_sem_acquire_frame *fr, ac_sem *s, size_t n) {
  assert(fr != NULL);
  fr->s = s;
  fr->w = (struct ac__waiter){0};
  fr->w.n = n;
}

ac_poll ac_sem_acquire_poll(void *frame, ac_cx *cx) {
  struct ac_sem_acquire_frame *fr = frame;
  assert(fr != NULL && fr->s != NULL && cx != NULL && cx->task != NULL);
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    fr->w.task = cx->task;
    return AC_PENDING;
  case AC__W_NOTIFIED: /* Woken with the permits taken. */
    fr->w.state = AC__W_DONE;
    return AC_READY;
  }
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

void ac_sem_acquire_drop(void *frame) {
  struct ac_sem_acquire_frame *fr = frame;
  assert(fr != NULL);
  if (fr->w.state == AC__W_WAITING) {
    ac__wait_remove(&fr->s->waiters, &fr->w);
    sem_serve(fr->s);
  } else if (fr->w.state == AC__W_NOTIFIED) {
    ac_sem_release(fr->s, fr->w.n);
  }
  fr->w.state = AC__W_DONE;
}
