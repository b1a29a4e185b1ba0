/* sync_view_sync.c -- asyncc/sync.h and asyncc/time.h in the sync view
 * (libasyncc_sync): the same structs, with plain functions.
 *
 * With one thread of control nothing else can run while an operation
 * waits, so no operation ever queues: one that can complete at once does,
 * exactly as it would in the runtime, and one that would have to wait
 * would wait forever.  That is a deadlock, reported like a stalled
 * ac_block_on: a message and exit status 70.  (Separate from sync_view.c
 * for the reason given in sync_view_task.c.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <asyncc.h>

#include "cancel_tree.h"

static void would_wait_forever(const char *what) {
  fprintf(stderr,
          "asyncc: %s would wait forever (sync view: nothing else runs)\n",
          what);
  exit(70); /* EX_SOFTWARE, as ac_block_on */
}

/* ---- Channel ------------------------------------------------------------ */

int ac_chan_init(ac_chan *ch, size_t elem_size, size_t capacity) {
  if (ch == NULL || elem_size == 0 || capacity == 0 ||
      capacity > SIZE_MAX / elem_size)
    return AC_EINVAL;
  *ch = (ac_chan){0};
  ch->buf = malloc(elem_size * capacity);
  if (ch->buf == NULL)
    return AC_ENOMEM;
  ch->elem_size = elem_size;
  ch->cap = capacity;
  return 0;
}

int ac_chan_fini(ac_chan *ch) {
  if (ch == NULL)
    return AC_EINVAL;
  free(ch->buf);
  ch->buf = NULL;
  return 0;
}

void ac_chan_close(ac_chan *ch) {
  if (ch != NULL)
    ch->closed = 1;
}

size_t ac_chan_len(const ac_chan *ch) { return ch != NULL ? ch->len : 0; }

int ac_chan_try_send(ac_chan *ch, const void *elem) {
  if (ch == NULL || elem == NULL)
    return AC_EINVAL;
  if (ch->closed)
    return AC_EPIPE;
  if (ch->len == ch->cap)
    return AC_EAGAIN;
  size_t tail = (ch->head + ch->len) % ch->cap;
  memcpy(ch->buf + tail * ch->elem_size, elem, ch->elem_size);
  ch->len++;
  return 0;
}

int ac_chan_try_recv(ac_chan *ch, void *elem) {
  if (ch == NULL || elem == NULL)
    return AC_EINVAL;
  if (ch->len == 0)
    return ch->closed ? AC_EOF : AC_EAGAIN;
  memcpy(elem, ch->buf + ch->head * ch->elem_size, ch->elem_size);
  ch->head = (ch->head + 1) % ch->cap;
  ch->len--;
  return 0;
}

int ac_chan_send(ac_chan *ch, const void *elem) {
  int r = ac_chan_try_send(ch, elem);
  if (r == AC_EAGAIN)
    would_wait_forever("ac_chan_send on a full channel");
  return r;
}

int ac_chan_recv(ac_chan *ch, void *elem) {
  int r = ac_chan_try_recv(ch, elem);
  if (r == AC_EAGAIN)
    would_wait_forever("ac_chan_recv on an empty channel");
  return r;
}

/* ---- Oneshot ------------------------------------------------------------ */

static unsigned char *value_storage(ac_oneshot *os) {
  return os->heap != NULL ? os->heap : os->inline_value.bytes;
}

int ac_oneshot_init(ac_oneshot *os, size_t elem_size) {
  if (os == NULL || elem_size == 0)
    return AC_EINVAL;
  *os = (ac_oneshot){0};
  if (elem_size > sizeof os->inline_value.bytes) {
    os->heap = malloc(elem_size);
    if (os->heap == NULL)
      return AC_ENOMEM;
  }
  os->elem_size = elem_size;
  return 0;
}

int ac_oneshot_fini(ac_oneshot *os) {
  if (os == NULL)
    return AC_EINVAL;
  free(os->heap);
  os->heap = NULL;
  return 0;
}

int ac_oneshot_send(ac_oneshot *os, const void *value) {
  if (os == NULL || value == NULL)
    return AC_EINVAL;
  if (os->closed)
    return AC_EPIPE;
  if (os->sent)
    return AC_EINVAL;
  memcpy(value_storage(os), value, os->elem_size);
  os->sent = 1;
  return 0;
}

void ac_oneshot_close(ac_oneshot *os) {
  if (os != NULL)
    os->closed = 1;
}

int ac_oneshot_try_recv(ac_oneshot *os, void *value) {
  if (os == NULL || value == NULL)
    return AC_EINVAL;
  if (os->sent && !os->received) {
    memcpy(value, value_storage(os), os->elem_size);
    os->received = 1;
    return 0;
  }
  return os->closed || os->received ? AC_EPIPE : AC_EAGAIN;
}

int ac_oneshot_recv(ac_oneshot *os, void *value) {
  int r = ac_oneshot_try_recv(os, value);
  if (r == AC_EAGAIN)
    would_wait_forever("ac_oneshot_recv before the send");
  return r;
}

/* ---- Mutex, semaphore, notify ------------------------------------------- */

void ac_mutex_init(ac_mutex *m) { *m = (ac_mutex){0}; }

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
  m->locked = 0;
  return 0;
}

void ac_mutex_lock(ac_mutex *m) {
  if (ac_mutex_try_lock(m) != 0)
    would_wait_forever("ac_mutex_lock of a locked mutex");
}

void ac_sem_init(ac_sem *s, size_t permits) {
  *s = (ac_sem){0};
  s->permits = permits;
}

int ac_sem_try_acquire(ac_sem *s, size_t n) {
  if (s == NULL)
    return AC_EINVAL;
  if (s->permits < n)
    return AC_EAGAIN;
  s->permits -= n;
  return 0;
}

void ac_sem_release(ac_sem *s, size_t n) {
  if (s != NULL)
    s->permits = n > SIZE_MAX - s->permits ? SIZE_MAX : s->permits + n;
}

size_t ac_sem_available(const ac_sem *s) { return s != NULL ? s->permits : 0; }

void ac_sem_acquire(ac_sem *s, size_t n) {
  if (ac_sem_try_acquire(s, n) != 0)
    would_wait_forever("ac_sem_acquire of more permits than are free");
}

void ac_notify_init(ac_notify *n) { *n = (ac_notify){0}; }

void ac_notify_one(ac_notify *n) {
  if (n != NULL)
    n->permit = 1;
}

/* Nobody can be waiting. */
void ac_notify_all(ac_notify *n) { (void)n; }

void ac_notify_wait(ac_notify *n) {
  if (n == NULL || !n->permit)
    would_wait_forever("ac_notify_wait without a stored notification");
  n->permit = 0;
}

/* ---- Event and mailbox -------------------------------------------------- */

void ac_event_init(ac_event *ev) { *ev = (ac_event){0}; }

void ac_event_set(ac_event *ev) {
  if (ev != NULL)
    ev->set = 1;
}

void ac_event_reset(ac_event *ev) {
  if (ev != NULL)
    ev->set = 0;
}

int ac_event_is_set(const ac_event *ev) { return ev != NULL && ev->set; }

void ac_event_wait(ac_event *ev) {
  if (!ac_event_is_set(ev))
    would_wait_forever("ac_event_wait of an event that is not set");
}

void ac_mbox_init(ac_mbox *m) { *m = (ac_mbox){0}; }

int ac_mbox_send(ac_mbox *m, intptr_t v) {
  if (m == NULL)
    return AC_EINVAL;
  if (m->full)
    return AC_EAGAIN;
  m->value = v;
  m->full = 1;
  return 0;
}

int ac_mbox_try_recv(ac_mbox *m, intptr_t *v) {
  if (m == NULL || v == NULL)
    return AC_EINVAL;
  if (!m->full)
    return AC_EAGAIN;
  *v = m->value;
  m->full = 0;
  return 0;
}

intptr_t ac_mbox_recv(ac_mbox *m) {
  intptr_t v;
  if (ac_mbox_try_recv(m, &v) != 0)
    would_wait_forever("ac_mbox_recv of an empty mailbox");
  return v;
}

/* ---- Cancellation token ------------------------------------------------- */

void ac_cancel_token_init(ac_cancel_token *t) { *t = (ac_cancel_token){0}; }

int ac_cancel_token_init_child(ac_cancel_token *child,
                               ac_cancel_token *parent) {
  if (child == NULL || parent == NULL || child == parent)
    return AC_EINVAL;
  ac_cancel_token_init(child);
  ac__cancel_tree_link(child, parent);
  return 0;
}

int ac_cancel_token_fini(ac_cancel_token *t) {
  if (t == NULL)
    return AC_EINVAL;
  ac__cancel_tree_unlink(t);
  return 0;
}

void ac_cancel_token_cancel(ac_cancel_token *t) {
  for (ac_cancel_token *c = t; c != NULL; c = ac__cancel_tree_next(c, t))
    c->cancelled = 1;
}

int ac_cancel_token_is_cancelled(const ac_cancel_token *t) {
  return t != NULL && t->cancelled;
}

void ac_cancel_token_cancelled(ac_cancel_token *t) {
  if (!ac_cancel_token_is_cancelled(t))
    would_wait_forever("ac_cancel_token_cancelled of a live token");
}

/* ---- Time --------------------------------------------------------------- */

uint64_t ac_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ac_interval_init(ac_interval *iv, uint64_t period_ms) {
  if (iv == NULL || period_ms == 0)
    return AC_EINVAL;
  *iv = (ac_interval){0};
  iv->period = period_ms;
  return 0;
}

void ac_interval_reset(ac_interval *iv) {
  if (iv == NULL)
    return;
  iv->start = ac_now();
  iv->next = 1;
  iv->started = 1;
}

/* The same schedule as the runtime's (time.c), sleeping with ac_sleep. */
uint64_t ac_interval_tick(ac_interval *iv) {
  uint64_t now = ac_now();
  if (!iv->started) {
    iv->started = 1;
    iv->start = now;
    iv->next = 0;
  }
  uint64_t due = iv->start + iv->next * iv->period;
  if (now < due) {
    ac_sleep(due - now);
    now = ac_now();
    if (now < due)
      now = due;
  }
  uint64_t latest = (now - iv->start) / iv->period;
  uint64_t tick = latest > iv->next ? latest : iv->next;
  iv->next = tick + 1;
  return tick;
}
