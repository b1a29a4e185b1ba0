/* asyncc/sync.h -- channels, oneshot, mutex, semaphore, notify, events,
 * mailboxes and cancellation tokens: synchronisation between tasks.
 *
 *   ac_chan ch;                              a bounded queue of ints
 *   ac_chan_init(&ch, sizeof(int), 16);
 *   await(ac_chan_send(&ch, &v));            waits while the queue is full
 *   while (await(ac_chan_recv(&ch, &v)) == 0) ...   AC_EOF once closed
 *
 * Every waiting operation is an awaitable (a leaf future with a frame,
 * init, poll and drop) and every primitive is a plain struct the caller
 * owns, initialised by its _init function; it must not move while a future
 * waits on it.  Waiters are served in FIFO order.  Dropping a pending
 * operation (cancellation: ac_race, ac_task_abort) takes it off its wait
 * list, and if it had already been handed what it waited for (the lock, a
 * permit, a channel slot, a notification) passes that on to the next
 * waiter, so no wake-up is ever lost.  In the threaded flavour tasks on
 * different workers may share a primitive (docs/runtime.md, "The threaded
 * flavour", shared state); threads that are not the runtime's must not
 * use them.
 * Included by <asyncc.h>; described in docs/runtime.md, "Synchronisation". */
#ifndef ASYNCC_SYNC_H
#define ASYNCC_SYNC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Wait lists (private, embedded in the structs below) ---------------- */

enum {
  AC__W_IDLE,     /* not polled yet */
  AC__W_WAITING,  /* on the primitive's wait list */
  AC__W_NOTIFIED, /* taken off the list and woken */
  AC__W_DONE      /* completed or dropped */
};

struct ac__waiter {
  struct ac__waiter *prev, *next;
  ac_task *task;
  size_t n;  /* semaphore: permits wanted; notify: 1 if by notify_one */
  int state; /* AC__W_* */
};

struct ac__wait_list {
  struct ac__waiter *head, *tail;
};

/* ---- Bounded multi-producer channel ------------------------------------- */

/* A FIFO of at most `capacity` elements of `elem_size` bytes each, copied
 * in and out.  Any number of tasks may send and receive.  Closing it (from
 * either side) makes every send fail with AC_EPIPE, including sends that
 * are waiting; receivers still get the elements already queued, then
 * AC_EOF. */
typedef struct ac_chan {
  unsigned char *buf;
  size_t elem_size, cap;
  size_t head, len; /* ring buffer: first element, number of elements */
  size_t reserved;  /* slots granted to woken senders */
  int closed;
  struct ac__wait_list senders, receivers;
} ac_chan;

/* Returns 0, AC_EINVAL (NULL ch, elem_size or capacity 0) or AC_ENOMEM. */
int ac_chan_init(ac_chan *ch, size_t elem_size, size_t capacity);
/* Frees the buffer.  Returns 0, or AC_EBUSY (and does nothing) while a
 * future is waiting on the channel. */
int ac_chan_fini(ac_chan *ch);
/* No more sends; idempotent. */
void ac_chan_close(ac_chan *ch);
/* Elements queued now. */
size_t ac_chan_len(const ac_chan *ch);
/* 0 (sent), AC_EAGAIN (full) or AC_EPIPE (closed). */
int ac_chan_try_send(ac_chan *ch, const void *elem);
/* 0 (received into *elem), AC_EAGAIN (empty) or AC_EOF (closed and
 * drained). */
int ac_chan_try_recv(ac_chan *ch, void *elem);

/* await(ac_chan_send(&ch, &v)): copies *elem into the channel, waiting
 * while it is full (backpressure); 0, or AC_EPIPE if it is or gets
 * closed.  *elem is read when the send completes, so it must stay valid
 * until then. */
async int ac_chan_send(ac_chan *ch, const void *elem);
/* await(ac_chan_recv(&ch, &v)): the oldest element into *elem, waiting
 * while the channel is empty; 0, or AC_EOF once it is closed and
 * drained. */
async int ac_chan_recv(ac_chan *ch, void *elem);

struct ac_chan_send_frame {
  int result;
  ac_chan *ch;
  const void *elem;
  struct ac__waiter w;
};
void ac_chan_send_init(struct ac_chan_send_frame *fr, ac_chan *ch,
                       const void *elem);
ac_poll ac_chan_send_poll(void *frame, ac_cx *cx);
void ac_chan_send_drop(void *frame);

struct ac_chan_recv_frame {
  int result;
  ac_chan *ch;
  void *elem;
  struct ac__waiter w;
};
void ac_chan_recv_init(struct ac_chan_recv_frame *fr, ac_chan *ch, void *elem);
ac_poll ac_chan_recv_poll(void *frame, ac_cx *cx);
void ac_chan_recv_drop(void *frame);

/* ---- Oneshot ------------------------------------------------------------ */

/* A single value of `elem_size` bytes, sent once (without waiting) and
 * received once.  Values up to AC_ONESHOT_INLINE bytes are stored in the
 * struct; bigger ones in a buffer from ac_oneshot_init. */
#define AC_ONESHOT_INLINE 32

typedef struct ac_oneshot {
  size_t elem_size;
  unsigned char *heap; /* the value's storage when it is not inline */
  int sent, received, closed;
  struct ac__wait_list waiters;
  union {
    max_align_t align;
    unsigned char bytes[AC_ONESHOT_INLINE];
  } inline_value;
} ac_oneshot;

/* Returns 0, AC_EINVAL (NULL os, elem_size 0) or AC_ENOMEM. */
int ac_oneshot_init(ac_oneshot *os, size_t elem_size);
/* Returns 0, or AC_EBUSY (and does nothing) while a receive waits. */
int ac_oneshot_fini(ac_oneshot *os);
/* Stores *value and wakes the receiver: 0, AC_EPIPE (closed) or AC_EINVAL
 * (already sent). */
int ac_oneshot_send(ac_oneshot *os, const void *value);
/* No value will be sent (sender side) or wanted (receiver side): a waiting
 * or later receive yields AC_EPIPE unless a value was already sent, a later
 * send fails with AC_EPIPE.  Idempotent. */
void ac_oneshot_close(ac_oneshot *os);
/* 0 (the value into *value), AC_EAGAIN (not sent yet) or AC_EPIPE (closed
 * without a value, or already received). */
int ac_oneshot_try_recv(ac_oneshot *os, void *value);

/* await(ac_oneshot_recv(&os, &v)): waits for the value; 0 or AC_EPIPE. */
async int ac_oneshot_recv(ac_oneshot *os, void *value);

struct ac_oneshot_recv_frame {
  int result;
  ac_oneshot *os;
  void *value;
  struct ac__waiter w;
};
void ac_oneshot_recv_init(struct ac_oneshot_recv_frame *fr, ac_oneshot *os,
                          void *value);
ac_poll ac_oneshot_recv_poll(void *frame, ac_cx *cx);
void ac_oneshot_recv_drop(void *frame);

/* ---- Mutex -------------------------------------------------------------- */

/* A fair async mutex: unlock hands the lock to the longest waiter.  Holding
 * it across awaits is the point; it is not recursive. */
typedef struct ac_mutex {
  int locked;
  struct ac__wait_list waiters;
} ac_mutex;

void ac_mutex_init(ac_mutex *m);
/* 0, or AC_EBUSY if it is locked (or waited for). */
int ac_mutex_try_lock(ac_mutex *m);
/* 0, or AC_EINVAL if it is not locked. */
int ac_mutex_unlock(ac_mutex *m);

/* await(ac_mutex_lock(&m)): waits until the task holds the lock. */
async void ac_mutex_lock(ac_mutex *m);

struct ac_mutex_lock_frame {
  ac_mutex *m;
  struct ac__waiter w;
};
void ac_mutex_lock_init(struct ac_mutex_lock_frame *fr, ac_mutex *m);
ac_poll ac_mutex_lock_poll(void *frame, ac_cx *cx);
void ac_mutex_lock_drop(void *frame);

/* ---- Semaphore ---------------------------------------------------------- */

/* A counting semaphore.  Acquirers are served in FIFO order: one waiting
 * for many permits holds back later ones waiting for fewer. */
typedef struct ac_sem {
  size_t permits;
  struct ac__wait_list waiters;
} ac_sem;

void ac_sem_init(ac_sem *s, size_t permits);
/* 0, or AC_EAGAIN if fewer than n permits are free or anyone waits. */
int ac_sem_try_acquire(ac_sem *s, size_t n);
/* Returns n permits (saturating at SIZE_MAX) and serves the waiters. */
void ac_sem_release(ac_sem *s, size_t n);
size_t ac_sem_available(const ac_sem *s);

/* await(ac_sem_acquire(&s, n)): waits until n permits are taken. */
async void ac_sem_acquire(ac_sem *s, size_t n);

struct ac_sem_acquire_frame {
  ac_sem *s;
  struct ac__waiter w; /* w.n is the number of permits */
};
void ac_sem_acquire_init(struct ac_sem_acquire_frame *fr, ac_sem *s, size_t n);
ac_poll ac_sem_acquire_poll(void *frame, ac_cx *cx);
void ac_sem_acquire_drop(void *frame);

/* ---- Notify ------------------------------------------------------------- */

/* Wakes waiting tasks, like tokio's Notify.  ac_notify_one wakes the
 * longest waiter or, if none waits, stores one permit that the next wait
 * consumes at once (permits do not accumulate); ac_notify_all wakes every
 * current waiter and stores nothing. */
typedef struct ac_notify {
  int permit;
  struct ac__wait_list waiters;
} ac_notify;

void ac_notify_init(ac_notify *n);
void ac_notify_one(ac_notify *n);
void ac_notify_all(ac_notify *n);

/* await(ac_notify_wait(&n)): waits for a notification. */
async void ac_notify_wait(ac_notify *n);

struct ac_notify_wait_frame {
  ac_notify *n;
  struct ac__waiter w;
};
void ac_notify_wait_init(struct ac_notify_wait_frame *fr, ac_notify *n);
ac_poll ac_notify_wait_poll(void *frame, ac_cx *cx);
void ac_notify_wait_drop(void *frame);

/* ---- Event -------------------------------------------------------------- */

/* A broadcast flag: ac_event_set sets it and wakes every waiting task;
 * while it is set, a wait completes at once.  ac_event_reset clears it,
 * for the next round (waiters already woken are not held back).  Waiters
 * are linked through their frames, so waiting allocates nothing and a
 * pending wait costs its frame only. */
struct ac__event_waiter {
  struct ac__event_waiter *next, *prev;
  ac_task *task; /* NULL until the wait is registered */
};

typedef struct ac_event {
  struct ac__event_waiter *head, *tail; /* waiting, in arrival order */
  int set;
} ac_event;

void ac_event_init(ac_event *ev);
/* Sets the event and wakes every task waiting on it; idempotent. */
void ac_event_set(ac_event *ev);
void ac_event_reset(ac_event *ev);
int ac_event_is_set(const ac_event *ev);

/* await(ac_event_wait(&ev)): waits until the event is set. */
async void ac_event_wait(ac_event *ev);

struct ac_event_wait_frame {
  ac_event *ev; /* NULL once released by ac_event_set */
  struct ac__event_waiter w;
};
void ac_event_wait_init(struct ac_event_wait_frame *fr, ac_event *ev);
ac_poll ac_event_wait_poll(void *frame, ac_cx *cx);
void ac_event_wait_drop(void *frame);

/* ---- Mailbox ------------------------------------------------------------ */

/* A one-value handoff between tasks: ac_mbox_send stores a value (an
 * integer or a pointer) and wakes the receiver; a receive takes the value
 * or waits for it.  The mailbox is meant for one receiver at a time;
 * receivers that wait together are served in arrival order. */
struct ac_mbox_recv_frame;

typedef struct ac_mbox {
  intptr_t value;
  /* 0: empty; 1: holds a value; 2: holds a value promised to the woken
   * receiver (the first waiting one when it was sent). */
  int full;
  struct ac_mbox_recv_frame *waiting; /* first waiting receiver, or NULL */
} ac_mbox;

void ac_mbox_init(ac_mbox *m);
/* Stores v and wakes the first waiting receiver: 0, AC_EAGAIN if the
 * mailbox is full (v is not stored), AC_EINVAL for NULL. */
int ac_mbox_send(ac_mbox *m, intptr_t v);
/* 0 and the value in *v, AC_EAGAIN if the mailbox is empty, AC_EINVAL. */
int ac_mbox_try_recv(ac_mbox *m, intptr_t *v);

/* await(ac_mbox_recv(&m)): the value, once one is sent. */
async intptr_t ac_mbox_recv(ac_mbox *m);

struct ac_mbox_recv_frame {
  intptr_t result;
  ac_mbox *m;
  ac_task *task;                   /* to wake; set while linked */
  struct ac_mbox_recv_frame *next; /* the next waiting receiver */
  int state;                       /* AC__W_IDLE, _WAITING, _NOTIFIED */
};
/* Inline: a receive's init is two stores, which a call would double. */
static inline void ac_mbox_recv_init(struct ac_mbox_recv_frame *fr,
                                     ac_mbox *m) {
  fr->m = m;
  fr->state = AC__W_IDLE;
}

/* Nonzero while a threaded runtime runs (runtime/workers.c); then the
 * mailbox's operations take a lock. */
extern int ac__threaded;

/* What a receive does with one worker: takes the value promised to it or
 * free for anyone, or registers as the only waiting receiver (else 0). */
inline ac_poll ac__mbox_take(struct ac_mbox_recv_frame *fr,
                                    ac_mbox *m) {
  fr->result = m->value;
  m->full = 0;
  fr->state = AC__W_DONE;
  return AC_READY;
}
inline void ac__mbox_wait(struct ac_mbox_recv_frame *fr, ac_mbox *m,
                                 ac_task *task) {
  fr->task = task;
  fr->next = NULL;
  fr->state = AC__W_WAITING;
  m->waiting = fr;
}

/* Every case of a receive's poll (runtime/mbox.c). */
ac_poll ac__mbox_recv_poll(struct ac_mbox_recv_frame *fr, ac_cx *cx);

/* A receive's poll, inline for what a handoff between two tasks meets
 * (one worker; the value promised, or nothing there and nobody else
 * waiting), so that it costs no call; the rest is ac__mbox_recv_poll.
 * The external definitions of these inline functions are in
 * runtime/mbox.c, so the poll has one address (task dumps look futures
 * up by poll function). */
inline ac_poll ac_mbox_recv_poll(void *frame, ac_cx *cx) {
  struct ac_mbox_recv_frame *fr = (struct ac_mbox_recv_frame *)frame;
  ac_mbox *m = fr->m;
  if (m != NULL && !__atomic_load_n(&ac__threaded, __ATOMIC_RELAXED)) {
    if (fr->state == AC__W_NOTIFIED)
      return ac__mbox_take(fr, m);
    if (fr->state == AC__W_IDLE && m->full != 1 && m->waiting == NULL) {
      ac__mbox_wait(fr, m, cx->task);
      return AC_PENDING;
    }
  }
  return ac__mbox_recv_poll(fr, cx);
}
void ac_mbox_recv_drop(void *frame);

/* ---- Cancellation token ------------------------------------------------- */

/* A flag that goes from "not cancelled" to "cancelled" once, with a future
 * that waits for it.  Tokens form a tree: cancelling a token cancels its
 * children (recursively), never its parent. */
typedef struct ac_cancel_token {
  int cancelled;
  struct ac_cancel_token *parent, *first_child, *prev_sibling, *next_sibling;
  struct ac__wait_list waiters;
} ac_cancel_token;

void ac_cancel_token_init(ac_cancel_token *t);
/* A child of `parent` (cancelled at once if the parent is); AC_EINVAL if
 * either is NULL or they are the same. */
int ac_cancel_token_init_child(ac_cancel_token *child, ac_cancel_token *parent);
/* Unlinks the token from its parent; its children become roots.  Returns 0,
 * or AC_EBUSY (and does nothing) while a future waits on it. */
int ac_cancel_token_fini(ac_cancel_token *t);
/* Cancels the token and its descendants, waking their waiters;
 * idempotent. */
void ac_cancel_token_cancel(ac_cancel_token *t);
int ac_cancel_token_is_cancelled(const ac_cancel_token *t);

/* await(ac_cancel_token_cancelled(&t)): waits until t is cancelled. */
async void ac_cancel_token_cancelled(ac_cancel_token *t);

struct ac_cancel_token_cancelled_frame {
  ac_cancel_token *t;
  struct ac__waiter w;
};
void ac_cancel_token_cancelled_init(struct ac_cancel_token_cancelled_frame *fr,
                                    ac_cancel_token *t);
ac_poll ac_cancel_token_cancelled_poll(void *frame, ac_cx *cx);
void ac_cancel_token_cancelled_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_SYNC_H */
