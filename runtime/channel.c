/* channel.c -- the bounded multi-producer channel (asyncc/sync.h).
 *
 * Elements live in a ring buffer allocated by ac_chan_init.  Backpressure
 * uses reserved slots: when a receive frees a slot and a sender is waiting,
 * the slot is reserved for the first waiting sender before it is woken, so
 * no sender arriving later can take it, and a woken sender that is dropped
 * before it runs gives its reservation to the next waiting sender.  The
 * element is copied by the sender's own poll, so a send dropped before it
 * completed never delivered anything.  Receivers are not given elements:
 * a new element wakes the first waiting receiver, and a woken receiver
 * dropped while elements remain wakes the next one.  In the threaded
 * flavour every operation holds the channel's lock (workers.c). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

int ac_chan_init(ac_chan *ch, size_t elem_size, size_t capacity) {
  if (ch == NULL || elem_size == 0 || capacity == 0 ||
      capacity > SIZE_MAX / elem_size)
    return AC_EINVAL;
  *ch = (ac_chan){0};
  ch->buf = ac__malloc(elem_size * capacity);
  if (ch->buf == NULL)
    return AC_ENOMEM;
  ch->elem_size = elem_size;
  ch->cap = capacity;
  return 0;
}

int ac_chan_fini(ac_chan *ch) {
  if (ch == NULL)
    return AC_EINVAL;
  int locked = ac__lock(ch);
  int busy = ch->senders.head != NULL || ch->receivers.head != NULL;
  ac__unlock(ch, locked);
  if (busy)
    return AC_EBUSY;
  ac__free(ch->buf);
  ch->buf = NULL;
  return 0;
}

size_t ac_chan_len(const ac_chan *ch) {
  if (ch == NULL)
    return 0;
  int locked = ac__lock(ch);
  size_t len = ch->len;
  ac__unlock(ch, locked);
  return len;
}

/* Slots that neither hold an element nor are reserved. */
static size_t chan_free_slots(const ac_chan *ch) {
  return ch->cap - ch->len - ch->reserved;
}

static void chan_push(ac_chan *ch, const void *elem) {
  assert(ch->len < ch->cap);
  size_t tail = (ch->head + ch->len) % ch->cap;
  memcpy(ch->buf + tail * ch->elem_size, elem, ch->elem_size);
  ch->len++;
  ac__wait_wake_one(&ch->receivers);
}

/* Takes the oldest element and reserves the freed slot for the first
 * waiting sender, if any. */
static void chan_pop(ac_chan *ch, void *elem) {
  assert(ch->len > 0);
  memcpy(elem, ch->buf + ch->head * ch->elem_size, ch->elem_size);
  ch->head = (ch->head + 1) % ch->cap;
  ch->len--;
  if (ac__wait_wake_one(&ch->senders) != NULL)
    ch->reserved++;
}

void ac_chan_close(ac_chan *ch) {
  if (ch == NULL)
    return;
  int locked = ac__lock(ch);
  if (!ch->closed) {
    ch->closed = 1;
    /* Reserved slots die with the channel: woken senders see `closed`. */
    ch->reserved = 0;
    ac__wait_wake_all(&ch->senders, 0);
    ac__wait_wake_all(&ch->receivers, 0);
  }
  ac__unlock(ch, locked);
}

static int try_send(ac_chan *ch, const void *elem) {
  if (ch->closed)
    return AC_EPIPE;
  if (chan_free_slots(ch) == 0)
    return AC_EAGAIN;
  chan_push(ch, elem);
  return 0;
}

int ac_chan_try_send(ac_chan *ch, const void *elem) {
  if (ch == NULL || elem == NULL)
    return AC_EINVAL;
  int locked = ac__lock(ch);
  int err = try_send(ch, elem);
  ac__unlock(ch, locked);
  return err;
}

static int try_recv(ac_chan *ch, void *elem) {
  if (ch->len > 0) {
    chan_pop(ch, elem);
    return 0;
  }
  return ch->closed ? AC_EOF : AC_EAGAIN;
}

int ac_chan_try_recv(ac_chan *ch, void *elem) {
  if (ch == NULL || elem == NULL)
    return AC_EINVAL;
  int locked = ac__lock(ch);
  int err = try_recv(ch, elem);
  ac__unlock(ch, locked);
  return err;
}

/* ---- Send --------------------------------------------------------------- */

void ac_chan_send_init(struct ac_chan_send_frame *fr, ac_chan *ch,
                       const void *elem) {
  assert(fr != NULL);
  fr->result = 0;
  fr->ch = ch;
  fr->elem = elem;
  fr->w = (struct ac__waiter){0};
}

static ac_poll send_done(struct ac_chan_send_frame *fr, int result) {
  fr->result = result;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

static AC__HOT_INLINE ac_poll send_poll(struct ac_chan_send_frame *fr,
                                        ac_cx *cx) {
  ac_chan *ch = fr->ch;
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    if (ch->closed) /* Defensive: close wakes every waiting sender. */
      ac__wait_remove(&ch->senders, &fr->w);
    else {
      fr->w.task = cx->task;
      return AC_PENDING;
    }
    return send_done(fr, AC_EPIPE);
  case AC__W_NOTIFIED:
    if (ch->closed)
      return send_done(fr, AC_EPIPE);
    assert(ch->reserved > 0);
    ch->reserved--; /* The slot reserved for this sender. */
    chan_push(ch, fr->elem);
    return send_done(fr, 0);
  }
  if (ch == NULL || fr->elem == NULL)
    return send_done(fr, AC_EINVAL);
  if (ch->closed)
    return send_done(fr, AC_EPIPE);
  if (chan_free_slots(ch) == 0) {
    ac__wait_push(&ch->senders, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  chan_push(ch, fr->elem);
  return send_done(fr, 0);
}

ac_poll ac_chan_send_poll(void *frame, ac_cx *cx) {
  struct ac_chan_send_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return send_poll(fr, cx);
  ac__lock_slow(fr->ch);
  ac_poll r = send_poll(fr, cx);
  ac__unlock_slow(fr->ch);
  return r;
}

void ac_chan_send_drop(void *frame) {
  struct ac_chan_send_frame *fr = frame;
  assert(fr != NULL);
  ac_chan *ch = fr->ch;
  int locked = ac__lock(ch);
  if (fr->w.state == AC__W_WAITING) {
    ac__wait_remove(&ch->senders, &fr->w);
  } else if (fr->w.state == AC__W_NOTIFIED && !ch->closed) {
    /* Woken with a reserved slot: pass it on, or free it. */
    if (ac__wait_wake_one(&ch->senders) == NULL)
      ch->reserved--;
  }
  fr->w.state = AC__W_DONE;
  ac__unlock(ch, locked);
}

/* ---- Receive ------------------------------------------------------------ */

void ac_chan_recv_init(struct ac_chan_recv_frame *fr, ac_chan *ch, void *elem) {
  assert(fr != NULL);
  fr->result = 0;
  fr->ch = ch;
  fr->elem = elem;
  fr->w = (struct ac__waiter){0};
}

static ac_poll recv_done(struct ac_chan_recv_frame *fr, int result) {
  fr->result = result;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

static AC__HOT_INLINE ac_poll recv_poll(struct ac_chan_recv_frame *fr,
                                        ac_cx *cx) {
  ac_chan *ch = fr->ch;
  int waited = fr->w.state != AC__W_IDLE;
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    if (ch->len == 0 && !ch->closed) {
      fr->w.task = cx->task;
      return AC_PENDING;
    }
    ac__wait_remove(&ch->receivers, &fr->w);
    break;
  case AC__W_IDLE:
    if (ch == NULL || fr->elem == NULL)
      return recv_done(fr, AC_EINVAL);
    break;
  }
  if (ch->len > 0) {
    if (!waited && ac_budget_spend(cx) == AC_PENDING)
      return AC_PENDING;
    chan_pop(ch, fr->elem);
    /* Another receiver may be waiting for the elements left. */
    if (ch->len > 0)
      ac__wait_wake_one(&ch->receivers);
    return recv_done(fr, 0);
  }
  if (ch->closed)
    return recv_done(fr, AC_EOF);
  /* Empty: wait (again, if an earlier wake-up found the element taken). */
  ac__wait_push(&ch->receivers, &fr->w, cx->task);
  return AC_PENDING;
}

ac_poll ac_chan_recv_poll(void *frame, ac_cx *cx) {
  struct ac_chan_recv_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return recv_poll(fr, cx);
  ac__lock_slow(fr->ch);
  ac_poll r = recv_poll(fr, cx);
  ac__unlock_slow(fr->ch);
  return r;
}

void ac_chan_recv_drop(void *frame) {
  struct ac_chan_recv_frame *fr = frame;
  assert(fr != NULL);
  ac_chan *ch = fr->ch;
  int locked = ac__lock(ch);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&ch->receivers, &fr->w);
  else if (fr->w.state == AC__W_NOTIFIED && ch->len > 0)
    ac__wait_wake_one(&ch->receivers); /* Pass the wake-up on. */
  fr->w.state = AC__W_DONE;
  ac__unlock(ch, locked);
}
