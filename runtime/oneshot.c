/* oneshot.c -- a single value sent once, received once (asyncc/sync.h).
 *
 * Sending never waits: the value is copied into the oneshot (inline when
 * it fits, else into the buffer ac_oneshot_init allocated) and the
 * receiver, if waiting, is woken.  Only the receive is a future.  In the
 * threaded flavour every operation holds the oneshot's lock (workers.c). */
#include <assert.h>
#include <string.h>

#include "internal.h"

static unsigned char *value_storage(ac_oneshot *os) {
  return os->heap != NULL ? os->heap : os->inline_value.bytes;
}

int ac_oneshot_init(ac_oneshot *os, size_t elem_size) {
  if (os == NULL || elem_size == 0)
    return AC_EINVAL;
  *os = (ac_oneshot){0};
  if (elem_size > sizeof os->inline_value.bytes) {
    os->heap = ac__malloc(elem_size);
    if (os->heap == NULL)
      return AC_ENOMEM;
  }
  os->elem_size = elem_size;
  return 0;
}

int ac_oneshot_fini(ac_oneshot *os) {
  if (os == NULL)
    return AC_EINVAL;
  int locked = ac__lock(os);
  int busy = os->waiters.head != NULL;
  ac__unlock(os, locked);
  if (busy)
    return AC_EBUSY;
  ac__free(os->heap);
  os->heap = NULL;
  return 0;
}

static int oneshot_send(ac_oneshot *os, const void *value) {
  if (os->closed)
    return AC_EPIPE;
  if (os->sent)
    return AC_EINVAL;
  memcpy(value_storage(os), value, os->elem_size);
  os->sent = 1;
  ac__wait_wake_all(&os->waiters, 0);
  return 0;
}

int ac_oneshot_send(ac_oneshot *os, const void *value) {
  if (os == NULL || value == NULL)
    return AC_EINVAL;
  int locked = ac__lock(os);
  int err = oneshot_send(os, value);
  ac__unlock(os, locked);
  return err;
}

void ac_oneshot_close(ac_oneshot *os) {
  if (os == NULL)
    return;
  int locked = ac__lock(os);
  if (!os->closed) {
    os->closed = 1;
    ac__wait_wake_all(&os->waiters, 0);
  }
  ac__unlock(os, locked);
}

static int try_recv(ac_oneshot *os, void *value) {
  if (os->sent && !os->received) {
    memcpy(value, value_storage(os), os->elem_size);
    os->received = 1;
    return 0;
  }
  return os->closed || os->received ? AC_EPIPE : AC_EAGAIN;
}

int ac_oneshot_try_recv(ac_oneshot *os, void *value) {
  if (os == NULL || value == NULL)
    return AC_EINVAL;
  int locked = ac__lock(os);
  int err = try_recv(os, value);
  ac__unlock(os, locked);
  return err;
}

void ac_oneshot_recv_init(struct ac_oneshot_recv_frame *fr, ac_oneshot *os,
                          void *value) {
  assert(fr != NULL);
  fr->result = 0;
  fr->os = os;
  fr->value = value;
  fr->w = (struct ac__waiter){0};
}

static AC__HOT_INLINE ac_poll recv_poll(struct ac_oneshot_recv_frame *fr,
                                        ac_cx *cx) {
  ac_oneshot *os = fr->os;
  if (fr->w.state == AC__W_DONE)
    return AC_READY;
  if (os == NULL || fr->value == NULL) {
    fr->result = AC_EINVAL;
    fr->w.state = AC__W_DONE;
    return AC_READY;
  }
  if (!os->sent && !os->closed) {
    if (fr->w.state == AC__W_WAITING)
      fr->w.task = cx->task;
    else
      ac__wait_push(&os->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  /* Ready without having waited: spend budget before taking the value. */
  if (fr->w.state == AC__W_IDLE && ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  if (fr->w.state == AC__W_WAITING) /* Defensive: sends wake waiters. */
    ac__wait_remove(&os->waiters, &fr->w);
  fr->result = try_recv(os, fr->value);
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

ac_poll ac_oneshot_recv_poll(void *frame, ac_cx *cx) {
  struct ac_oneshot_recv_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return recv_poll(fr, cx);
  ac__lock_slow(fr->os);
  ac_poll r = recv_poll(fr, cx);
  ac__unlock_slow(fr->os);
  return r;
}

void ac_oneshot_recv_drop(void *frame) {
  struct ac_oneshot_recv_frame *fr = frame;
  assert(fr != NULL);
  int locked = ac__lock(fr->os);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->os->waiters, &fr->w);
  fr->w.state = AC__W_DONE;
  ac__unlock(fr->os, locked);
}
