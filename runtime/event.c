/* event.c -- ac_event, a broadcast flag (asyncc/sync.h).
 *
 * Waiters are linked through their frames in arrival order.  Setting the
 * event releases every waiter: it is unlinked, marked released (its links
 * point to itself, which no linked waiter's do) and its task is woken.  A
 * released wait completes even if the event is reset before it runs, so
 * a set followed by a reset still wakes every task that was waiting.  A
 * wait's frame is the event and three pointers, which is all that an idle
 * task waiting on an event costs beyond its own frame. */
#include <assert.h>

#include "internal.h"

void ac_event_init(ac_event *ev) {
  assert(ev != NULL);
  *ev = (ac_event){0};
}

static void waiter_release(struct ac__event_waiter *w) {
  w->next = w->prev = w;
}

static int waiter_released(const struct ac__event_waiter *w) {
  return w->next == w;
}

static void waiter_unlink(ac_event *ev, struct ac__event_waiter *w) {
  if (w->prev != NULL)
    w->prev->next = w->next;
  else
    ev->head = w->next;
  if (w->next != NULL)
    w->next->prev = w->prev;
  else
    ev->tail = w->prev;
}

void ac_event_set(ac_event *ev) {
  if (ev == NULL)
    return;
  int locked = ac__lock(ev);
  ev->set = 1;
  struct ac__event_waiter *w = ev->head;
  ev->head = ev->tail = NULL;
  while (w != NULL) {
    struct ac__event_waiter *next = w->next;
    waiter_release(w);
    ac_task_wake(w->task);
    w = next;
  }
  ac__unlock(ev, locked);
}

void ac_event_reset(ac_event *ev) {
  if (ev == NULL)
    return;
  int locked = ac__lock(ev);
  ev->set = 0;
  ac__unlock(ev, locked);
}

int ac_event_is_set(const ac_event *ev) {
  if (ev == NULL)
    return 0;
  int locked = ac__lock(ev);
  int set = ev->set;
  ac__unlock(ev, locked);
  return set;
}

void ac_event_wait_init(struct ac_event_wait_frame *fr, ac_event *ev) {
  assert(fr != NULL);
  fr->ev = ev;
  fr->w.next = fr->w.prev = NULL;
  fr->w.task = NULL;
}

static AC__HOT_INLINE ac_poll wait_poll(struct ac_event_wait_frame *fr,
                                        ac_cx *cx) {
  ac_event *ev = fr->ev;
  if (fr->w.task != NULL) {
    if (waiter_released(&fr->w))
      return AC_READY;
    fr->w.task = cx->task; /* Woken for another reason: wait on. */
    return AC_PENDING;
  }
  if (!ev->set) {
    fr->w.task = cx->task;
    fr->w.next = NULL;
    fr->w.prev = ev->tail;
    if (ev->tail != NULL)
      ev->tail->next = &fr->w;
    else
      ev->head = &fr->w;
    ev->tail = &fr->w;
    return AC_PENDING;
  }
  /* Set already: complete without waiting, which spends budget. */
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->w.task = cx->task;
  waiter_release(&fr->w);
  return AC_READY;
}

ac_poll ac_event_wait_poll(void *frame, ac_cx *cx) {
  struct ac_event_wait_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->ev == NULL) {
    /* No event to wait on: the task fails, as nothing could wake it. */
    ac__task_fail(cx->task, AC_EINVAL);
    return AC_PENDING;
  }
  if (!ac__is_threaded())
    return wait_poll(fr, cx);
  ac__lock_slow(fr->ev);
  ac_poll r = wait_poll(fr, cx);
  ac__unlock_slow(fr->ev);
  return r;
}

void ac_event_wait_drop(void *frame) {
  struct ac_event_wait_frame *fr = frame;
  assert(fr != NULL);
  ac_event *ev = fr->ev;
  if (ev == NULL || fr->w.task == NULL)
    return;
  int locked = ac__lock(ev);
  /* A set may have released the waiter meanwhile. */
  if (!waiter_released(&fr->w))
    waiter_unlink(ev, &fr->w);
  waiter_release(&fr->w);
  ac__unlock(ev, locked);
}
