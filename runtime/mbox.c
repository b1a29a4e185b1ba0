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

/* Stores v, which the mailbox has room for, and promises it to the first
 * waiting receiver, if any, waking it. */
static AC__HOT_INLINE void store(ac_mbox *m, intptr_t v) {
  struct ac_mbox_recv_frame *fr = m->waiting;
  m->value = v;
  if (fr == NULL) {
    m->full = 1;
    return;
  }
  m->full = 2;
  m->waiting = fr->next;
  fr->state = AC__W_NOTIFIED;
  ac__wake_task(fr->task);
}

static AC__OUT_OF_LINE int send_locked(ac_mbox *m, intptr_t v) {
  ac__lock_slow(m);
  int err = AC_EAGAIN;
  if (!m->full) {
    store(m, v);
    err = 0;
  }
  ac__unlock_slow(m);
  return err;
}

int ac_mbox_send(ac_mbox *m, intptr_t v) {
  if (m == NULL)
    return AC_EINVAL;
  if (ac__is_threaded())
    return send_locked(m, v);
  if (m->full)
    return AC_EAGAIN;
  store(m, v);
  return 0;
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

/* Appends fr to the receivers waiting on m. */
static AC__OUT_OF_LINE void recv_link(ac_mbox *m, struct ac_mbox_recv_frame *fr) {
  struct ac_mbox_recv_frame **link = &m->waiting;
  while (*link != NULL)
    link = &(*link)->next;
  *link = fr;
}

static void recv_unlink(ac_mbox *m, struct ac_mbox_recv_frame *fr) {
  struct ac_mbox_recv_frame **link = &m->waiting;
  while (*link != fr)
    link = &(*link)->next;
  *link = fr->next;
  fr->next = NULL;
}

/* A value there at the first poll is taken without waiting: that spends
 * budget. */
static AC__OUT_OF_LINE ac_poll recv_at_once(struct ac_mbox_recv_frame *fr,
                                     ac_mbox *m, ac_cx *cx) {
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  return ac__mbox_take(fr, m);
}

/* The first poll waits unless a value is there for anyone. */
static AC__HOT_INLINE ac_poll recv_first(struct ac_mbox_recv_frame *fr,
                                         ac_mbox *m, ac_cx *cx) {
  if (m->full == 1)
    return recv_at_once(fr, m, cx);
  if (m->waiting == NULL) {
    ac__mbox_wait(fr, m, cx->task); /* The common case: the only one. */
  } else {
    fr->task = cx->task;
    fr->state = AC__W_WAITING;
    recv_link(m, fr);
  }
  return AC_PENDING;
}

static AC__HOT_INLINE ac_poll recv_poll(struct ac_mbox_recv_frame *fr,
                                        ac_cx *cx) {
  ac_mbox *m = fr->m;
  if (fr->state == AC__W_NOTIFIED) /* The value was promised to it. */
    return ac__mbox_take(fr, m);
  if (fr->state == AC__W_IDLE)
    return recv_first(fr, m, cx);
  if (fr->state == AC__W_WAITING) { /* Woken for another reason. */
    fr->task = cx->task;
    return AC_PENDING;
  }
  return AC_READY;
}

static AC__OUT_OF_LINE ac_poll recv_poll_locked(struct ac_mbox_recv_frame *fr,
                                         ac_cx *cx) {
  ac__lock_slow(fr->m);
  ac_poll r = recv_poll(fr, cx);
  ac__unlock_slow(fr->m);
  return r;
}

/* No mailbox: the task fails, as it could never be woken. */
static AC__OUT_OF_LINE ac_poll recv_nothing(ac_cx *cx) {
  ac__task_fail(cx->task, AC_EINVAL);
  return AC_PENDING;
}

ac_poll ac__mbox_recv_poll(struct ac_mbox_recv_frame *fr, ac_cx *cx) {
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->m == NULL)
    return recv_nothing(cx);
  if (ac__is_threaded())
    return recv_poll_locked(fr, cx);
  return recv_poll(fr, cx);
}

/* The external definitions of the inline functions of asyncc/sync.h. */
extern inline ac_poll ac__mbox_take(struct ac_mbox_recv_frame *fr,
                                    ac_mbox *m);
extern inline void ac__mbox_wait(struct ac_mbox_recv_frame *fr, ac_mbox *m,
                                 ac_task *task);
extern inline ac_poll ac_mbox_recv_poll(void *frame, ac_cx *cx);

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
    m->full = 0; /* The promise passes on. */
    store(m, m->value);
  }
  fr->state = AC__W_DONE;
  ac__unlock(m, locked);
}
