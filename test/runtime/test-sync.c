/* test-sync.c -- mutex, semaphore, notify, oneshot and cancellation
 * tokens: FIFO service, and cancellation of waiters that never loses a
 * wake-up. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "co.h"
#include "task.h"

/* ---- A task that waits on one primitive ---------------------------------- */

enum op_kind { OP_LOCK, OP_ACQUIRE, OP_NOTIFY, OP_ONESHOT, OP_CANCELLED };

/* async int op(kind, obj, n, hold): awaits the operation, logs its id,
 * and for a mutex or semaphore holds it over `hold` yields, then releases
 * it.  Returns the operation's result (oneshot: 0 or AC_EPIPE). */
struct op_frame {
  struct co co;
  int result;
  int kind, id, hold, i;
  void *obj;
  size_t n;
  int value; /* oneshot: the received value */
  void *sub;
  ac_poll_fn sub_poll;
  ac_drop_fn sub_drop;
  union {
    struct ac_mutex_lock_frame lock;
    struct ac_sem_acquire_frame acquire;
    struct ac_notify_wait_frame wait;
    struct ac_oneshot_recv_frame recv;
    struct ac_cancel_token_cancelled_frame cancelled;
  } u;
  struct ac_yield_frame y;
};

static int order[16], order_len;
static int op_values[16]; /* oneshot: the value each op received */

static void op_start(struct op_frame *fr) {
  fr->sub = &fr->u;
  if (fr->kind == OP_LOCK) {
    ac_mutex_lock_init(&fr->u.lock, fr->obj);
    fr->sub_poll = ac_mutex_lock_poll;
    fr->sub_drop = ac_mutex_lock_drop;
  } else if (fr->kind == OP_ACQUIRE) {
    ac_sem_acquire_init(&fr->u.acquire, fr->obj, fr->n);
    fr->sub_poll = ac_sem_acquire_poll;
    fr->sub_drop = ac_sem_acquire_drop;
  } else if (fr->kind == OP_NOTIFY) {
    ac_notify_wait_init(&fr->u.wait, fr->obj);
    fr->sub_poll = ac_notify_wait_poll;
    fr->sub_drop = ac_notify_wait_drop;
  } else if (fr->kind == OP_ONESHOT) {
    ac_oneshot_recv_init(&fr->u.recv, fr->obj, &fr->value);
    fr->sub_poll = ac_oneshot_recv_poll;
    fr->sub_drop = ac_oneshot_recv_drop;
  } else {
    ac_cancel_token_cancelled_init(&fr->u.cancelled, fr->obj);
    fr->sub_poll = ac_cancel_token_cancelled_poll;
    fr->sub_drop = ac_cancel_token_cancelled_drop;
  }
}

static ac_poll op_poll(void *frame, ac_cx *cx) {
  struct op_frame *fr = frame;
  CO_BEGIN(&fr->co);
  op_start(fr);
  CO_AWAIT(&fr->co, fr->sub, fr->sub_poll, fr->sub_drop);
  order[order_len++] = fr->id;
  if (fr->kind == OP_ONESHOT) {
    fr->result = fr->u.recv.result;
    op_values[fr->id] = fr->value;
  }
  for (fr->i = 0; fr->i < fr->hold; fr->i++) {
    ac_yield_init(&fr->y);
    CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  }
  if (fr->kind == OP_LOCK)
    ASSERT_OK(ac_mutex_unlock(fr->obj));
  else if (fr->kind == OP_ACQUIRE)
    ac_sem_release(fr->obj, fr->n);
  CO_END(&fr->co);
}

static void co_frame_drop(void *frame) { co_drop(frame); }

static ac_task *spawn_op(int kind, void *obj, size_t n, int id, int hold,
                         struct op_frame **frame) {
  struct op_frame proto = {
      .kind = kind, .obj = obj, .n = n, .id = id, .hold = hold};
  return co_spawn(&proto, sizeof proto, op_poll, co_frame_drop,
                  offsetof(struct op_frame, result), sizeof(int), "op",
                  (void **)frame);
}

/* The root futures' frame. */
struct root_frame {
  struct co co;
  ac_mutex m;
  ac_sem s;
  ac_notify n;
  ac_oneshot os;
  ac_cancel_token tok[4];
  ac_task *h[4];
  struct op_frame *op[4];
  struct ac_join_frame join;
  struct ac_yield_frame y;
  struct ac_mutex_lock_frame lock;
  struct ac_sem_acquire_frame acquire;
  struct ac_notify_wait_frame wait;
  struct ac_oneshot_recv_frame recv;
  struct ac_cancel_token_cancelled_frame cancelled;
  int i, v, res[4];
};

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

#define JOIN_INT(fr, task, k)                                                  \
  do {                                                                         \
    ac_join_init(&(fr)->join, (task));                                         \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    (fr)->res[k] = *(int *)ac_join_result(&(fr)->join);                        \
    ac_join_finish(&(fr)->join);                                               \
  } while (0)

#define LOCK(fr)                                                               \
  do {                                                                         \
    ac_mutex_lock_init(&(fr)->lock, &(fr)->m);                                 \
    CO_AWAIT(&(fr)->co, &(fr)->lock, ac_mutex_lock_poll, ac_mutex_lock_drop);  \
  } while (0)

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  *fr = (struct root_frame){.i = 0};
  ac_mutex_init(&fr->m);
  ac_notify_init(&fr->n);
  order_len = 0;
  return ac__block_on(fr, poll, co_frame_drop);
}

TEST(sync_error_codes_mirror_libuv) {
  ASSERT_EQ(AC_EAGAIN, UV_EAGAIN);
  ASSERT_EQ(AC_EPIPE, UV_EPIPE);
  ASSERT_EQ(AC_ECANCELED, UV_ECANCELED);
  ASSERT_EQ(AC_EOF, UV_EOF);
  ASSERT_EQ(strcmp(ac_strerror(AC_ECANCELED), uv_strerror(UV_ECANCELED)), 0);
  ASSERT_EQ(strcmp(ac_strerror(AC_EOF), uv_strerror(UV_EOF)), 0);
  ASSERT_LOOP_CLOSED();
}

/* ---- Mutex ----------------------------------------------------------------
 */

static ac_poll mutex_basic_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  LOCK(fr);
  ASSERT_EQ(ac_mutex_try_lock(&fr->m), AC_EBUSY);
  ASSERT_OK(ac_mutex_unlock(&fr->m));
  ASSERT_EQ(ac_mutex_unlock(&fr->m), AC_EINVAL);
  ASSERT_OK(ac_mutex_try_lock(&fr->m));
  ASSERT_OK(ac_mutex_unlock(&fr->m));
  ASSERT_EQ(ac_mutex_try_lock(NULL), AC_EINVAL);
  ASSERT_EQ(ac_mutex_unlock(NULL), AC_EINVAL);
  CO_END(&fr->co);
}

TEST(mutex_lock_unlock) {
  struct root_frame fr;
  ASSERT_OK(run_root(mutex_basic_poll, &fr));
  ASSERT_EQ(fr.m.locked, 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll mutex_fifo_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  LOCK(fr);
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_op(OP_LOCK, &fr->m, 0, fr->i, 2, NULL);
  YIELD(fr); /* All three wait. */
  ASSERT_EQ(order_len, 0);
  ASSERT_OK(ac_mutex_unlock(&fr->m));
  /* Handed to the first waiter: still locked, nobody can barge in. */
  ASSERT_EQ(ac_mutex_try_lock(&fr->m), AC_EBUSY);
  LOCK(fr); /* Queues behind the three. */
  ASSERT_EQ(order_len, 3);
  ASSERT_OK(ac_mutex_unlock(&fr->m));
  for (fr->i = 0; fr->i < 3; fr->i++)
    JOIN_INT(fr, fr->h[fr->i], fr->i);
  CO_END(&fr->co);
}

/* Unlock hands the lock to the waiters in the order they came. */
TEST(mutex_fifo_handoff) {
  struct root_frame fr;
  ASSERT_OK(run_root(mutex_fifo_poll, &fr));
  ASSERT_EQ(order_len, 3);
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(order[i], i);
  ASSERT_EQ(fr.m.locked, 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll mutex_drop_waiting_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  LOCK(fr);
  fr->h[0] = spawn_op(OP_LOCK, &fr->m, 0, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_LOCK, &fr->m, 0, 1, 0, NULL);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[0]));
  YIELD(fr); /* h[0] is dropped: off the wait list. */
  ASSERT_EQ(fr->m.waiters.head->next, NULL);
  ASSERT_OK(ac_mutex_unlock(&fr->m));
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  CO_END(&fr->co);
}

TEST(mutex_dropped_waiter_leaves_queue) {
  struct root_frame fr;
  ASSERT_OK(run_root(mutex_drop_waiting_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 1);
  ASSERT_EQ(fr.m.locked, 0);
  ASSERT_LOOP_CLOSED();
}

static ac_poll mutex_drop_granted_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  LOCK(fr);
  fr->h[0] = spawn_op(OP_LOCK, &fr->m, 0, 0, 0, &fr->op[0]);
  fr->h[1] = spawn_op(OP_LOCK, &fr->m, 0, 1, 0, NULL);
  YIELD(fr);
  ASSERT_OK(ac_mutex_unlock(&fr->m)); /* h[0] is woken holding it... */
  ASSERT_EQ(fr->op[0]->u.lock.w.state, AC__W_NOTIFIED);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...and dropped before it runs. */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  CO_END(&fr->co);
}

/* A waiter that was handed the lock and dropped passes it on. */
TEST(mutex_dropped_owner_passes_lock) {
  struct root_frame fr;
  ASSERT_OK(run_root(mutex_drop_granted_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 1);
  ASSERT_EQ(fr.m.locked, 0);
  ASSERT_LOOP_CLOSED();
}

/* ---- Semaphore ------------------------------------------------------------
 */

static ac_poll sem_basic_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sem_init(&fr->s, 2);
  ac_sem_acquire_init(&fr->acquire, &fr->s, 2);
  CO_AWAIT(&fr->co, &fr->acquire, ac_sem_acquire_poll, ac_sem_acquire_drop);
  ASSERT_EQ(ac_sem_available(&fr->s), 0);
  ASSERT_EQ(ac_sem_try_acquire(&fr->s, 1), AC_EAGAIN);
  ac_sem_acquire_init(&fr->acquire, &fr->s, 0); /* Nothing to wait for. */
  CO_AWAIT(&fr->co, &fr->acquire, ac_sem_acquire_poll, ac_sem_acquire_drop);
  ac_sem_release(&fr->s, 1);
  ASSERT_OK(ac_sem_try_acquire(&fr->s, 1));
  ac_sem_release(&fr->s, 3);
  ac_sem_release(&fr->s, SIZE_MAX);
  ASSERT_EQ(ac_sem_available(&fr->s), SIZE_MAX);
  ASSERT_EQ(ac_sem_try_acquire(NULL, 1), AC_EINVAL);
  ASSERT_EQ(ac_sem_available(NULL), 0);
  CO_END(&fr->co);
}

TEST(sem_acquire_release) {
  struct root_frame fr;
  ASSERT_OK(run_root(sem_basic_poll, &fr));
  ASSERT_LOOP_CLOSED();
}

static ac_poll sem_fifo_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sem_init(&fr->s, 0);
  fr->h[0] = spawn_op(OP_ACQUIRE, &fr->s, 3, 0, 1, NULL);
  fr->h[1] = spawn_op(OP_ACQUIRE, &fr->s, 1, 1, 0, NULL);
  YIELD(fr);
  ac_sem_release(&fr->s, 1);
  /* The head wants 3: the one behind it, which wants 1, waits too. */
  YIELD(fr);
  ASSERT_EQ(order_len, 0);
  ASSERT_EQ(ac_sem_available(&fr->s), 1);
  ASSERT_EQ(ac_sem_try_acquire(&fr->s, 1), AC_EAGAIN); /* No barging. */
  ac_sem_release(&fr->s, 2);
  ASSERT_EQ(ac_sem_available(&fr->s), 0); /* Given to the head. */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  ASSERT_EQ(ac_sem_available(&fr->s), 3);
  CO_END(&fr->co);
}

/* Acquirers are served strictly in order, whatever they ask for. */
TEST(sem_fifo_order) {
  struct root_frame fr;
  ASSERT_OK(run_root(sem_fifo_poll, &fr));
  ASSERT_EQ(order_len, 2);
  ASSERT_EQ(order[0], 0);
  ASSERT_EQ(order[1], 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll sem_drop_head_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sem_init(&fr->s, 1);
  fr->h[0] = spawn_op(OP_ACQUIRE, &fr->s, 3, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_ACQUIRE, &fr->s, 1, 1, 0, NULL);
  YIELD(fr);
  ASSERT_EQ(order_len, 0);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* The head leaves... */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1); /* ...so the next one fits. */
  CO_END(&fr->co);
}

TEST(sem_dropped_head_serves_next) {
  struct root_frame fr;
  ASSERT_OK(run_root(sem_drop_head_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 1);
  ASSERT_EQ(fr.s.permits, 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll sem_drop_granted_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_sem_init(&fr->s, 0);
  fr->h[0] = spawn_op(OP_ACQUIRE, &fr->s, 2, 0, 0, &fr->op[0]);
  fr->h[1] = spawn_op(OP_ACQUIRE, &fr->s, 2, 1, 0, NULL);
  YIELD(fr);
  ac_sem_release(&fr->s, 2);
  ASSERT_EQ(fr->op[0]->u.acquire.w.state, AC__W_NOTIFIED);
  ASSERT_OK(ac_task_abort(fr->h[0])); /* Its permits go to h[1]. */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  CO_END(&fr->co);
}

TEST(sem_dropped_grantee_releases) {
  struct root_frame fr;
  ASSERT_OK(run_root(sem_drop_granted_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 1);
  ASSERT_EQ(fr.s.permits, 2);
  ASSERT_LOOP_CLOSED();
}

/* ---- Notify -----------------------------------------------------------------
 */

static ac_poll notify_one_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_op(OP_NOTIFY, &fr->n, 0, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_NOTIFY, &fr->n, 0, 1, 0, NULL);
  YIELD(fr);
  ac_notify_one(&fr->n);
  YIELD(fr);
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 0);
  ASSERT_EQ(fr->n.permit, 0);
  ac_notify_one(&fr->n);
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  CO_END(&fr->co);
}

/* notify_one wakes the longest waiter, one per call. */
TEST(notify_one_wakes_in_order) {
  struct root_frame fr;
  ASSERT_OK(run_root(notify_one_poll, &fr));
  ASSERT_EQ(order_len, 2);
  ASSERT_EQ(order[1], 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll notify_permit_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_notify_one(&fr->n);
  ac_notify_one(&fr->n); /* Permits do not add up. */
  ac_notify_wait_init(&fr->wait, &fr->n);
  CO_AWAIT(&fr->co, &fr->wait, ac_notify_wait_poll, ac_notify_wait_drop);
  fr->h[0] = spawn_op(OP_NOTIFY, &fr->n, 0, 0, 0, &fr->op[0]);
  YIELD(fr);
  ASSERT_EQ(fr->op[0]->u.wait.w.state, AC__W_WAITING);
  ac_notify_one(&fr->n);
  JOIN_INT(fr, fr->h[0], 0);
  CO_END(&fr->co);
}

/* notify_one with nobody waiting stores one permit for the next wait. */
TEST(notify_permit_stored_once) {
  struct root_frame fr;
  ASSERT_OK(run_root(notify_permit_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll notify_all_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < 3; fr->i++)
    fr->h[fr->i] = spawn_op(OP_NOTIFY, &fr->n, 0, fr->i, 0, NULL);
  YIELD(fr);
  ac_notify_all(&fr->n);
  ASSERT_EQ(fr->n.permit, 0); /* Stores nothing. */
  for (fr->i = 0; fr->i < 3; fr->i++)
    JOIN_INT(fr, fr->h[fr->i], fr->i);
  fr->h[3] = spawn_op(OP_NOTIFY, &fr->n, 0, 3, 0, &fr->op[3]);
  YIELD(fr);
  ASSERT_EQ(fr->op[3]->u.wait.w.state, AC__W_WAITING);
  ac_notify_one(&fr->n);
  JOIN_INT(fr, fr->h[3], 3);
  CO_END(&fr->co);
}

TEST(notify_all_wakes_every_waiter) {
  struct root_frame fr;
  ASSERT_OK(run_root(notify_all_poll, &fr));
  ASSERT_EQ(order_len, 4);
  for (int i = 0; i < 4; i++)
    ASSERT_EQ(order[i], i);
  ASSERT_LOOP_CLOSED();
}

static ac_poll notify_drop_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_op(OP_NOTIFY, &fr->n, 0, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_NOTIFY, &fr->n, 0, 1, 0, NULL);
  YIELD(fr);
  ac_notify_one(&fr->n);              /* Wakes h[0]... */
  ASSERT_OK(ac_task_abort(fr->h[0])); /* ...dropped: h[1] gets it. */
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  /* Alone, a dropped notified waiter leaves the permit behind. */
  fr->h[2] = spawn_op(OP_NOTIFY, &fr->n, 0, 2, 0, NULL);
  YIELD(fr);
  ac_notify_one(&fr->n);
  ASSERT_OK(ac_task_abort(fr->h[2]));
  JOIN_INT(fr, fr->h[2], 2);
  ASSERT_EQ(fr->n.permit, 1);
  CO_END(&fr->co);
}

TEST(notify_dropped_waiter_passes_on) {
  struct root_frame fr;
  ASSERT_OK(run_root(notify_drop_poll, &fr));
  ASSERT_EQ(order_len, 1);
  ASSERT_EQ(order[0], 1);
  ASSERT_LOOP_CLOSED();
}

/* ---- Oneshot ----------------------------------------------------------------
 */

static ac_poll oneshot_basic_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_oneshot_init(&fr->os, sizeof(int)));
  fr->h[0] = spawn_op(OP_ONESHOT, &fr->os, 0, 0, 0, NULL);
  YIELD(fr);
  ASSERT_EQ(ac_oneshot_fini(&fr->os), AC_EBUSY); /* A receive waits. */
  fr->v = 77;
  ASSERT_OK(ac_oneshot_send(&fr->os, &fr->v));
  ASSERT_EQ(ac_oneshot_send(&fr->os, &fr->v), AC_EINVAL); /* Once only. */
  JOIN_INT(fr, fr->h[0], 0);
  ASSERT_EQ(ac_oneshot_try_recv(&fr->os, &fr->v), AC_EPIPE); /* Taken. */
  ASSERT_OK(ac_oneshot_fini(&fr->os));
  /* Sent before the receive: it completes at once. */
  ASSERT_OK(ac_oneshot_init(&fr->os, sizeof(int)));
  ASSERT_EQ(ac_oneshot_try_recv(&fr->os, &fr->v), AC_EAGAIN);
  fr->v = 5;
  ASSERT_OK(ac_oneshot_send(&fr->os, &fr->v));
  fr->v = 0;
  ac_oneshot_recv_init(&fr->recv, &fr->os, &fr->v);
  CO_AWAIT(&fr->co, &fr->recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  ASSERT_OK(fr->recv.result);
  ASSERT_EQ(fr->v, 5);
  ASSERT_OK(ac_oneshot_fini(&fr->os));
  CO_END(&fr->co);
}

TEST(oneshot_send_recv) {
  struct root_frame fr;
  ASSERT_OK(run_root(oneshot_basic_poll, &fr));
  ASSERT_EQ(fr.res[0], 0);
  ASSERT_EQ(op_values[0], 77);
  ASSERT_LOOP_CLOSED();
}

static ac_poll oneshot_close_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_oneshot_init(&fr->os, sizeof(int)));
  fr->h[0] = spawn_op(OP_ONESHOT, &fr->os, 0, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_ONESHOT, &fr->os, 0, 1, 0, NULL);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[1])); /* A dropped receive leaves. */
  JOIN_INT(fr, fr->h[1], 1);
  ac_oneshot_close(&fr->os); /* The sender gives up. */
  ac_oneshot_close(&fr->os);
  JOIN_INT(fr, fr->h[0], 0);
  ASSERT_EQ(ac_oneshot_send(&fr->os, &fr->v), AC_EPIPE);
  ASSERT_OK(ac_oneshot_fini(&fr->os));
  CO_END(&fr->co);
}

TEST(oneshot_close_without_value) {
  struct root_frame fr;
  ASSERT_OK(run_root(oneshot_close_poll, &fr));
  ASSERT_EQ(fr.res[0], AC_EPIPE);
  ASSERT_EQ(fr.res[1], 0);
  ASSERT_LOOP_CLOSED();
}

/* Values bigger than AC_ONESHOT_INLINE go to the heap. */
TEST(oneshot_large_value) {
  struct big {
    char bytes[AC_ONESHOT_INLINE * 3];
  } in, out;
  ac_oneshot os;
  memset(&in, 0xab, sizeof in);
  ASSERT_EQ(ac_oneshot_init(NULL, 4), AC_EINVAL);
  ASSERT_EQ(ac_oneshot_init(&os, 0), AC_EINVAL);
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac_oneshot_init(&os, sizeof in), AC_ENOMEM);
  ASSERT_OK(ac_oneshot_init(&os, sizeof in));
  ASSERT_OK(ac_oneshot_send(&os, &in));
  ac_oneshot_close(&os); /* A value sent before close is still received. */
  ASSERT_OK(ac_oneshot_try_recv(&os, &out));
  ASSERT_EQ(memcmp(&in, &out, sizeof in), 0);
  ASSERT_OK(ac_oneshot_fini(&os));
  ASSERT_EQ(ac_oneshot_fini(NULL), AC_EINVAL);
  ASSERT_LOOP_CLOSED();
}

/* ---- Cancellation tokens
 * ------------------------------------------------------ */

static ac_poll cancel_wait_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_cancel_token_init(&fr->tok[0]);
  fr->h[0] = spawn_op(OP_CANCELLED, &fr->tok[0], 0, 0, 0, NULL);
  fr->h[1] = spawn_op(OP_CANCELLED, &fr->tok[0], 0, 1, 0, NULL);
  fr->h[2] = spawn_op(OP_CANCELLED, &fr->tok[0], 0, 2, 0, NULL);
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[2])); /* A dropped waiter leaves. */
  JOIN_INT(fr, fr->h[2], 2);
  ASSERT_EQ(ac_cancel_token_fini(&fr->tok[0]), AC_EBUSY);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[0]), 0);
  ac_cancel_token_cancel(&fr->tok[0]);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[0]), 1);
  JOIN_INT(fr, fr->h[0], 0);
  JOIN_INT(fr, fr->h[1], 1);
  /* Already cancelled: completes at once. */
  ac_cancel_token_cancelled_init(&fr->cancelled, &fr->tok[0]);
  CO_AWAIT(&fr->co, &fr->cancelled, ac_cancel_token_cancelled_poll,
           ac_cancel_token_cancelled_drop);
  ASSERT_OK(ac_cancel_token_fini(&fr->tok[0]));
  CO_END(&fr->co);
}

TEST(cancel_token_wakes_waiters) {
  struct root_frame fr;
  ASSERT_OK(run_root(cancel_wait_poll, &fr));
  ASSERT_EQ(order_len, 2);
  ASSERT_EQ(order[0], 0);
  ASSERT_EQ(order[1], 1);
  ASSERT_LOOP_CLOSED();
}

static ac_poll cancel_tree_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  /* tok[0] -> tok[1] -> tok[3], and tok[0] -> tok[2]. */
  ac_cancel_token_init(&fr->tok[0]);
  ASSERT_OK(ac_cancel_token_init_child(&fr->tok[1], &fr->tok[0]));
  ASSERT_OK(ac_cancel_token_init_child(&fr->tok[2], &fr->tok[0]));
  ASSERT_OK(ac_cancel_token_init_child(&fr->tok[3], &fr->tok[1]));
  fr->h[0] = spawn_op(OP_CANCELLED, &fr->tok[3], 0, 3, 0, NULL);
  fr->h[1] = spawn_op(OP_CANCELLED, &fr->tok[2], 0, 2, 0, NULL);
  YIELD(fr);
  ac_cancel_token_cancel(&fr->tok[1]); /* Down, never up. */
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[3]), 1);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[0]), 0);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[2]), 0);
  JOIN_INT(fr, fr->h[0], 0);
  ASSERT_EQ(order_len, 1);
  ac_cancel_token_cancel(&fr->tok[0]);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&fr->tok[2]), 1);
  JOIN_INT(fr, fr->h[1], 1);
  for (fr->i = 3; fr->i >= 0; fr->i--)
    ASSERT_OK(ac_cancel_token_fini(&fr->tok[fr->i]));
  CO_END(&fr->co);
}

TEST(cancel_token_children_propagate) {
  struct root_frame fr;
  ASSERT_OK(run_root(cancel_tree_poll, &fr));
  ASSERT_EQ(order_len, 2);
  ASSERT_EQ(order[0], 3);
  ASSERT_EQ(order[1], 2);
  ASSERT_LOOP_CLOSED();
}

TEST(cancel_token_tree_links) {
  ac_cancel_token p, a, b, c, late;
  ac_cancel_token_init(&p);
  ASSERT_EQ(ac_cancel_token_init_child(&a, NULL), AC_EINVAL);
  ASSERT_EQ(ac_cancel_token_init_child(NULL, &p), AC_EINVAL);
  ASSERT_EQ(ac_cancel_token_init_child(&p, &p), AC_EINVAL);
  ASSERT_OK(ac_cancel_token_init_child(&a, &p));
  ASSERT_OK(ac_cancel_token_init_child(&b, &p));
  ASSERT_OK(ac_cancel_token_init_child(&c, &p));
  /* A finished child no longer hears its parent. */
  ASSERT_OK(ac_cancel_token_fini(&b));
  ac_cancel_token_init(&b);
  ac_cancel_token_cancel(&p);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&a), 1);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&b), 0);
  ASSERT_EQ(ac_cancel_token_is_cancelled(&c), 1);
  /* A child of a cancelled token starts cancelled. */
  ASSERT_OK(ac_cancel_token_init_child(&late, &p));
  ASSERT_EQ(ac_cancel_token_is_cancelled(&late), 1);
  /* Finishing the parent orphans the children. */
  ASSERT_OK(ac_cancel_token_fini(&p));
  ASSERT_NULL(a.parent);
  ASSERT_NULL(c.parent);
  ASSERT_NULL(late.parent);
  ASSERT_OK(ac_cancel_token_fini(&a));
  ASSERT_OK(ac_cancel_token_fini(&b));
  ASSERT_OK(ac_cancel_token_fini(&c));
  ASSERT_OK(ac_cancel_token_fini(&late));
  ASSERT_EQ(ac_cancel_token_fini(NULL), AC_EINVAL);
  ASSERT_EQ(ac_cancel_token_is_cancelled(NULL), 0);
  ASSERT_LOOP_CLOSED();
}
