/* mbox.c -- ac_mbox, a one-value handoff between tasks (asyncc/sync.h).
 *
 * The value stays in the mailbox until a receiver takes it.  A send that
 * finds a receiver waiting promises the value to it (full == 2) and
 * wakes it: no other receiver may take it meanwhile, and if the woken
 * receiver is dropped before it runs, the promise passes to the next
 * waiting receiver, so a value is never lost.  Receivers wait on a list
 * linked through their frames; in the common case of one receiver it has
 * one element, so a send and a receive are a handful of stores. */
#include <assert.h>

#include "internal.h"

void ac_mbox_init(ac_mbox *m) {
  assert(m != NULL);
  *m = (ac_mbox){0};
}

/* Promises the value to the first waiting receiver, if any, and wakes
 * it.  The mailbox holds a value. */
static void promise_first(ac_mbox *m) {
  struct ac_mbox_recv_frame *fr = m->waiting;
  if (fr == NULL)
    return;
  m->waiting = fr->next;
  fr->next = NULL;
  fr->state = AC__W_NOTIFIED;
  m->full = 2;
  ac_task_wake(fr->task);
}

int ac_mbox_send(ac_mbox *m, intptr_t v) {
  if (m == NULL)
    return AC_EINVAL;
  int locked = ac__lock(m);
  int err = AC_EAGAIN;
  if (!m->full) {
    m->value = v;
    m->full = 1;
    promise_first(m);
    err = 0;
  }
  ac__unlock(m, locked);
  return err;
}

int ac_mbox_try_recv(ac_mbox *m, intptr_t *v) {
  if (m == NULL || v == NULL)
    return AC_EINVAL;
  int locked = ac__lock(m);
  int err = AC_EAGAIN;
  if (m->full == 1) {
    *v = m->value;
    m->full = 0;
    err = 0;
  }
  ac__unlock(m, locked);
  return err;
}

void ac_mbox_recv_init(struct ac_mbox_recv_frame *fr, ac_mbox *m) {
  assert(fr != NULL);
  fr->m = m;
  fr->task = NULL;
  fr->next = NULL;
  fr->state = AC__W_IDLE;
}

/* Appends fr to the receivers waiting on m. */
static void recv_link(ac_mbox *m, struct ac_mbox_recv_frame *fr) {
  struct ac_mbox_recv_frame **link = &m->waiting;
  while (*link != NULL)
    link = &(*link)->next;
  *link = fr;
  fr->state = AC__W_WAITING;
}

static void recv_unlink(ac_mbox *m, struct ac_mbox_recv_frame *fr) {
  struct ac_mbox_recv_frame **link = &m->waiting;
  while (*link != fr)
    link = &(*link)->next;
  *link = fr->next;
  fr->next = NULL;
}

static AC__HOT_INLINE ac_poll recv_poll(struct ac_mbox_recv_frame *fr,
                                        ac_cx *cx) {
  ac_mbox *m = fr->m;
  switch (fr->state) {
  case AC__W_NOTIFIED: /* The value was promised to this receiver. */
    break;
  case AC__W_WAITING: /* Woken for another reason: wait on. */
    fr->task = cx->task;
    return AC_PENDING;
  case AC__W_DONE:
    return AC_READY;
  default:
    if (m->full != 1) {
      fr->task = cx->task;
      recv_link(m, fr);
      return AC_PENDING;
    }
    /* Taken at once, without waiting: that spends budget. */
    if (ac_budget_spend(cx) == AC_PENDING)
      return AC_PENDING;
  }
  fr->result = m->value;
  m->full = 0;
  fr->state = AC__W_DONE;
  return AC_READY;
}

ac_poll ac_mbox_recv_poll(void *frame, ac_cx *cx) {
  struct ac_mbox_recv_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->m == NULL) { /* No mailbox: the task fails, as it could never
                          be woken. */
    ac__task_fail(cx->task, AC_EINVAL);
    return AC_PENDING;
  }
  if (!ac__is_threaded())
    return recv_poll(fr, cx);
  ac__lock_slow(fr->m);
  ac_poll r = recv_poll(fr, cx);
  ac__unlock_slow(fr->m);
  return r;
}

void ac_mbox_recv_drop(void *frame) {
  struct ac_mbox_recv_frame *fr = frame;
  assert(fr != NULL);
  ac_mbox *m = fr->m;
  if (m == NULL)
    return;
  int locked = ac__lock(m);
  if (fr->state == AC__W_WAITING) {
    recv_unlink(m, fr);
  } else if (fr->state == AC__W_NOTIFIED) {
    m->full = 1; /* The promise passes on. */
    promise_first(m);
  }
  fr->state = AC__W_DONE;
  ac__unlock(m, locked);
}
