/* test-threads.c -- the threaded flavour: tasks on 2 to 4 workers
 * exchanging messages over channels, contending for a mutex and a
 * semaphore, joining and aborting one another, waiting on notify, oneshot
 * and cancellation tokens, with timers and TCP on the workers, and a
 * teardown that drops what is still pending everywhere.  Every task checks
 * after each await that it is still on the worker it started on. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "co.h"
#include "task.h"

/* Bit w is set once a task ran on worker w. */
static atomic_uint workers_seen;

/* The calling task's worker, recorded in `home` on the first call and
 * checked against it afterwards: tasks are pinned. */
static void on_home(int *home) {
  int w = ac__test_worker_index();
  ASSERT_GE(w, 0);
  if (*home < 0)
    *home = w;
  ASSERT_EQ(w, *home);
  atomic_fetch_or(&workers_seen, 1u << w);
}

static void co_frame_drop(void *frame) {
  /* Every frame in this file starts with its struct co. */
  co_drop(frame);
}

/* Awaits the join of `handle`, stores its int result (0 if it had none) in
 * `out` and whether it was aborted in `aborted`. */
#define JOIN(fr, handle, out, aborted)                                         \
  do {                                                                         \
    ac_join_init(&(fr)->join, (handle));                                       \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    (aborted) = ac_task_aborted((fr)->join.task);                              \
    void *res_ = ac_join_result(&(fr)->join);                                  \
    (out) = res_ != NULL ? *(int *)res_ : 0;                                   \
    ac_join_finish(&(fr)->join);                                               \
  } while (0)

/* Joins fr->h[0..n), in order, into fr->got and fr->aborted. */
#define JOIN_ALL(fr)                                                           \
  for ((fr)->i = 0; (fr)->i < (fr)->n; (fr)->i++)                              \
  JOIN((fr), (fr)->h[(fr)->i], (fr)->got[(fr)->i], (fr)->aborted[(fr)->i])

static ac_task *spawn(const void *proto, size_t size, ac_poll_fn poll,
                      size_t result_offset, const char *name) {
  ac_task *t = co_spawn(proto, size, poll, co_frame_drop, result_offset,
                        sizeof(int), name, NULL);
  ASSERT_NOT_NULL(t);
  return t;
}

#define MAX_TASKS 32

/* The root of every test: spawns with `start`, then joins every task. */
struct root {
  struct co co;
  int n, i, got[MAX_TASKS], aborted[MAX_TASKS];
  ac_task *h[MAX_TASKS];
  struct ac_join_frame join;
  struct ac_sleep_frame sleep;
  void *env; /* the test's shared state */
};

static int run_threaded(unsigned workers, ac_poll_fn poll, struct root *fr,
                        void *env) {
  *fr = (struct root){.env = env};
  atomic_store(&workers_seen, 0);
  ASSERT_OK(ac_runtime_set_workers(workers));
  ac__test_place_round_robin(1); /* tasks of every worker meet */
  int err = ac__block_on(fr, poll, co_frame_drop);
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  return err;
}

/* ---- Channels ------------------------------------------------------------ */

#define PAIRS 8
#define ROUNDS 300

struct ping_env {
  ac_chan to_pong[PAIRS], to_ping[PAIRS];
};

/* async int pinger(ac_chan *out, ac_chan *in): sends 0..ROUNDS-1, checks
 * each reply is the value plus one; returns the number of replies. */
struct pinger {
  struct co co;
  int result, home, i, v, reply;
  ac_chan *out, *in;
  union {
    struct ac_chan_send_frame send;
    struct ac_chan_recv_frame recv;
  } sub;
};

static ac_poll pinger_poll(void *frame, ac_cx *cx) {
  struct pinger *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  for (fr->i = 0; fr->i < ROUNDS; fr->i++) {
    fr->v = fr->i;
    ac_chan_send_init(&fr->sub.send, fr->out, &fr->v);
    CO_AWAIT(&fr->co, &fr->sub.send, ac_chan_send_poll, ac_chan_send_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.send.result);
    ac_chan_recv_init(&fr->sub.recv, fr->in, &fr->reply);
    CO_AWAIT(&fr->co, &fr->sub.recv, ac_chan_recv_poll, ac_chan_recv_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.recv.result);
    ASSERT_EQ(fr->reply, fr->i + 1);
    fr->result++;
  }
  ac_chan_close(fr->out);
  CO_END(&fr->co);
}

/* async int ponger(ac_chan *in, ac_chan *out): replies v + 1 to every v
 * until `in` is closed; returns the number of replies. */
static ac_poll ponger_poll(void *frame, ac_cx *cx) {
  struct pinger *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  for (;;) {
    ac_chan_recv_init(&fr->sub.recv, fr->in, &fr->v);
    CO_AWAIT(&fr->co, &fr->sub.recv, ac_chan_recv_poll, ac_chan_recv_drop);
    on_home(&fr->home);
    if (fr->sub.recv.result == AC_EOF)
      break;
    ASSERT_OK(fr->sub.recv.result);
    fr->reply = fr->v + 1;
    ac_chan_send_init(&fr->sub.send, fr->out, &fr->reply);
    CO_AWAIT(&fr->co, &fr->sub.send, ac_chan_send_poll, ac_chan_send_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.send.result);
    fr->result++;
  }
  CO_END(&fr->co);
}

static ac_poll ping_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  struct ping_env *env = fr->env;
  CO_BEGIN(&fr->co);
  /* Round-robin placement puts the two ends of a pair on different
   * workers. */
  for (int p = 0; p < PAIRS; p++) {
    ASSERT_OK(ac_chan_init(&env->to_pong[p], sizeof(int), 1));
    ASSERT_OK(ac_chan_init(&env->to_ping[p], sizeof(int), 1));
    struct pinger ping = {
        .home = -1, .out = &env->to_pong[p], .in = &env->to_ping[p]};
    struct pinger pong = {
        .home = -1, .out = &env->to_ping[p], .in = &env->to_pong[p]};
    fr->h[fr->n++] = spawn(&ping, sizeof ping, pinger_poll,
                           offsetof(struct pinger, result), "pinger");
    fr->h[fr->n++] = spawn(&pong, sizeof pong, ponger_poll,
                           offsetof(struct pinger, result), "ponger");
  }
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

static void ping_pong(unsigned workers) {
  struct ping_env env;
  struct root fr;
  ASSERT_OK(run_threaded(workers, ping_root_poll, &fr, &env));
  for (int i = 0; i < 2 * PAIRS; i++) {
    ASSERT_EQ(fr.aborted[i], 0);
    ASSERT_EQ(fr.got[i], ROUNDS);
  }
  for (int p = 0; p < PAIRS; p++) {
    ASSERT_OK(ac_chan_fini(&env.to_pong[p]));
    ASSERT_OK(ac_chan_fini(&env.to_ping[p]));
  }
  /* Not a timing check: every worker was given tasks and ran them. */
  ASSERT_EQ(atomic_load(&workers_seen), (1u << workers) - 1);
  ASSERT_LOOP_CLOSED();
}

TEST(threads_channel_ping_pong_2) {
  /* Every pair straddles the two workers. */
  ping_pong(2);
}

TEST(threads_channel_ping_pong_4) {
  /* More workers than cores. */
  ping_pong(4);
}

/* ---- Mutex and semaphore ------------------------------------------------- */

#define LOCKERS 12
#define LOCK_ROUNDS 100

struct contention_env {
  ac_mutex m;
  long counter; /* guarded by m only */
  ac_sem s;
  atomic_int holders, max_holders;
};

/* Increments env->counter LOCK_ROUNDS times, with a suspension between
 * the read and the write: without mutual exclusion updates would be lost
 * (and the thread sanitizer would see a race). */
struct locker {
  struct co co;
  int result, home, i;
  long v;
  struct contention_env *env;
  struct ac_mutex_lock_frame lock;
};

static ac_poll locker_poll(void *frame, ac_cx *cx) {
  struct locker *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  for (fr->i = 0; fr->i < LOCK_ROUNDS; fr->i++) {
    ac_mutex_lock_init(&fr->lock, &fr->env->m);
    CO_AWAIT(&fr->co, &fr->lock, ac_mutex_lock_poll, ac_mutex_lock_drop);
    on_home(&fr->home);
    fr->v = fr->env->counter;
    CO_YIELD(&fr->co);
    fr->env->counter = fr->v + 1;
    ASSERT_OK(ac_mutex_unlock(&fr->env->m));
    fr->result++;
  }
  CO_END(&fr->co);
}

/* Takes one of the semaphore's 2 permits LOCK_ROUNDS times, counting the
 * holders. */
struct acquirer {
  struct co co;
  int result, home, i;
  struct contention_env *env;
  struct ac_sem_acquire_frame acquire;
};

static ac_poll acquirer_poll(void *frame, ac_cx *cx) {
  struct acquirer *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  for (fr->i = 0; fr->i < LOCK_ROUNDS; fr->i++) {
    ac_sem_acquire_init(&fr->acquire, &fr->env->s, 1);
    CO_AWAIT(&fr->co, &fr->acquire, ac_sem_acquire_poll, ac_sem_acquire_drop);
    on_home(&fr->home);
    int now = atomic_fetch_add(&fr->env->holders, 1) + 1;
    int max = atomic_load(&fr->env->max_holders);
    while (now > max &&
           !atomic_compare_exchange_weak(&fr->env->max_holders, &max, now))
      continue;
    CO_YIELD(&fr->co);
    atomic_fetch_sub(&fr->env->holders, 1);
    ac_sem_release(&fr->env->s, 1);
    fr->result++;
  }
  CO_END(&fr->co);
}

static ac_poll contention_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  struct contention_env *env = fr->env;
  CO_BEGIN(&fr->co);
  for (int k = 0; k < LOCKERS; k++) {
    struct locker l = {.home = -1, .env = env};
    struct acquirer a = {.home = -1, .env = env};
    fr->h[fr->n++] = spawn(&l, sizeof l, locker_poll,
                           offsetof(struct locker, result), "locker");
    fr->h[fr->n++] = spawn(&a, sizeof a, acquirer_poll,
                           offsetof(struct acquirer, result), "acquirer");
  }
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_mutex_semaphore_contention) {
  struct contention_env env = {0};
  ac_mutex_init(&env.m);
  ac_sem_init(&env.s, 2);
  struct root fr;
  ASSERT_OK(run_threaded(3, contention_root_poll, &fr, &env));
  for (int i = 0; i < 2 * LOCKERS; i++)
    ASSERT_EQ(fr.got[i], LOCK_ROUNDS);
  ASSERT_EQ(env.counter, LOCKERS * LOCK_ROUNDS);
  ASSERT_EQ(ac_mutex_try_lock(&env.m), 0);
  ASSERT_EQ(ac_sem_available(&env.s), 2);
  ASSERT_LE(atomic_load(&env.max_holders), 2);
  ASSERT_GE(atomic_load(&env.max_holders), 1);
  ASSERT_EQ(atomic_load(&workers_seen), 7u);
  ASSERT_LOOP_CLOSED();
}

/* ---- Join, abort, timers ------------------------------------------------- */

/* async int sleeper(int ms, int value): sleeps, returns value. */
struct sleeper {
  struct co co;
  int result, home, ms, value;
  struct ac_sleep_frame sleep;
};

static ac_poll sleeper_poll(void *frame, ac_cx *cx) {
  struct sleeper *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_sleep_init(&fr->sleep, (uint64_t)fr->ms);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  on_home(&fr->home);
  fr->result = fr->value;
  CO_END(&fr->co);
}

static ac_task *spawn_sleeper(int ms, int value) {
  struct sleeper s = {.home = -1, .ms = ms, .value = value};
  return spawn(&s, sizeof s, sleeper_poll, offsetof(struct sleeper, result),
               "sleeper");
}

/* async int aborter(AC_TASK(int) victim): aborts the victim (on another
 * worker), joins it and returns 1 if it was aborted. */
struct aborter {
  struct co co;
  int result, home, got, aborted;
  ac_task *victim;
  struct ac_join_frame join;
};

static ac_poll aborter_poll(void *frame, ac_cx *cx) {
  struct aborter *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ASSERT_OK(ac_task_abort(fr->victim));
  JOIN(fr, fr->victim, fr->got, fr->aborted);
  on_home(&fr->home);
  ASSERT_EQ(fr->got, 0); /* An aborted task's result is zeroed. */
  fr->result = fr->aborted;
  CO_END(&fr->co);
}

static ac_poll join_abort_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  /* Tasks 0..7: short sleeps, joined for their values. */
  for (int k = 0; k < 8; k++)
    fr->h[fr->n++] = spawn_sleeper(1 + k % 3, 100 + k);
  /* Tasks 8..11: sleep for a minute, aborted by the root. */
  for (int k = 0; k < 4; k++)
    fr->h[fr->n++] = spawn_sleeper(60000, 1);
  /* Tasks 12..15: aborters of long sleepers placed on other workers. */
  for (int k = 0; k < 4; k++) {
    struct aborter a = {.home = -1, .victim = spawn_sleeper(60000, 1)};
    fr->h[fr->n++] = spawn(&a, sizeof a, aborter_poll,
                           offsetof(struct aborter, result), "aborter");
  }
  ac_sleep_init(&fr->sleep, 1);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  for (int k = 8; k < 12; k++)
    ASSERT_OK(ac_task_abort(fr->h[k]));
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_join_abort_timers) {
  struct root fr;
  ASSERT_OK(run_threaded(4, join_abort_root_poll, &fr, NULL));
  for (int k = 0; k < 8; k++) {
    ASSERT_EQ(fr.aborted[k], 0);
    ASSERT_EQ(fr.got[k], 100 + k);
  }
  for (int k = 8; k < 12; k++) {
    ASSERT_EQ(fr.aborted[k], 1);
    ASSERT_EQ(fr.got[k], 0);
  }
  for (int k = 12; k < 16; k++) {
    ASSERT_EQ(fr.aborted[k], 0);
    ASSERT_EQ(fr.got[k], 1); /* the aborter saw its victim aborted */
  }
  ASSERT_EQ(atomic_load(&workers_seen), 15u);
  ASSERT_LOOP_CLOSED();
}

/* ---- Notify, oneshot, cancellation tokens -------------------------------- */

#define WAITERS 6

struct signal_env {
  ac_notify notify;
  ac_cancel_token root_token, child_token;
  ac_oneshot os[WAITERS];
  atomic_int notified;
};

/* Waits for a notification, then for the child token's cancellation,
 * then for its oneshot's value, which it returns. */
struct waiter {
  struct co co;
  int result, home, k;
  struct signal_env *env;
  union {
    struct ac_notify_wait_frame notify;
    struct ac_cancel_token_cancelled_frame cancelled;
    struct ac_oneshot_recv_frame recv;
  } sub;
};

static ac_poll waiter_poll(void *frame, ac_cx *cx) {
  struct waiter *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_notify_wait_init(&fr->sub.notify, &fr->env->notify);
  CO_AWAIT(&fr->co, &fr->sub.notify, ac_notify_wait_poll, ac_notify_wait_drop);
  on_home(&fr->home);
  atomic_fetch_add(&fr->env->notified, 1);
  ac_cancel_token_cancelled_init(&fr->sub.cancelled, &fr->env->child_token);
  CO_AWAIT(&fr->co, &fr->sub.cancelled, ac_cancel_token_cancelled_poll,
           ac_cancel_token_cancelled_drop);
  on_home(&fr->home);
  ASSERT(ac_cancel_token_is_cancelled(&fr->env->child_token));
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->os[fr->k], &fr->result);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  on_home(&fr->home);
  ASSERT_OK(fr->sub.recv.result);
  CO_END(&fr->co);
}

static ac_poll signal_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  struct signal_env *env = fr->env;
  CO_BEGIN(&fr->co);
  for (int k = 0; k < WAITERS; k++) {
    struct waiter w = {.home = -1, .k = k, .env = env};
    fr->h[fr->n++] = spawn(&w, sizeof w, waiter_poll,
                           offsetof(struct waiter, result), "waiter");
  }
  /* Each notify_one wakes a waiter or leaves the one permit for the next
   * to arrive, so repeating it until all were notified terminates. */
  while (atomic_load(&env->notified) < WAITERS) {
    ac_notify_one(&env->notify);
    CO_YIELD(&fr->co);
  }
  ac_cancel_token_cancel(&env->root_token); /* reaches the child */
  for (int k = 0; k < WAITERS; k++)
    ASSERT_OK(ac_oneshot_send(&env->os[k], &(int){k * 7}));
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_notify_cancel_oneshot) {
  struct signal_env env = {0};
  ac_notify_init(&env.notify);
  ac_cancel_token_init(&env.root_token);
  ASSERT_OK(ac_cancel_token_init_child(&env.child_token, &env.root_token));
  for (int k = 0; k < WAITERS; k++)
    ASSERT_OK(ac_oneshot_init(&env.os[k], sizeof(int)));
  struct root fr;
  ASSERT_OK(run_threaded(2, signal_root_poll, &fr, &env));
  for (int k = 0; k < WAITERS; k++) {
    ASSERT_EQ(fr.got[k], k * 7);
    ASSERT_OK(ac_oneshot_fini(&env.os[k]));
  }
  ASSERT_OK(ac_cancel_token_fini(&env.child_token));
  ASSERT_OK(ac_cancel_token_fini(&env.root_token));
  ASSERT_EQ(atomic_load(&workers_seen), 3u);
  ASSERT_LOOP_CLOSED();
}

/* ---- TCP on workers ------------------------------------------------------ */

struct tcp_env {
  ac_oneshot port; /* the server tells the client where it listens */
};

static const char tcp_message[] = "pinned to a worker";

/* The frames of what the TCP peers below await, one at a time. */
union tcp_sub {
  struct ac_listener_accept_frame accept;
  struct ac_tcp_connect_frame connect;
  struct ac_stream_read_frame read;
  struct ac_stream_write_all_frame write;
  struct ac_stream_shutdown_frame shutdown;
  struct ac_oneshot_recv_frame recv;
};

/* Listens on an ephemeral loopback port of the calling worker and sends
 * the port to the client through `to`; returns the port. */
static int listen_publish(ac_listener **l, ac_oneshot *to) {
  ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 4, l));
  int port = ac_listener_port(*l);
  ASSERT_OK(ac_oneshot_send(to, &port));
  return port;
}

/* Listens on its own worker's loop, echoes one connection's bytes. */
struct tcp_peer {
  struct co co;
  int result, home, port;
  struct tcp_env *env;
  ac_listener *l;
  ac_stream *c;
  size_t got;
  char buf[64];
  union tcp_sub sub;
};

static ac_poll tcp_server_poll(void *frame, ac_cx *cx) {
  struct tcp_peer *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  fr->port = listen_publish(&fr->l, &fr->env->port);
  ac_listener_accept_init(&fr->sub.accept, fr->l, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.accept, ac_listener_accept_poll,
           ac_listener_accept_drop);
  on_home(&fr->home);
  ASSERT_OK(fr->sub.accept.result);
  ac_listener_close(fr->l);
  for (;;) {
    ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
    CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
    on_home(&fr->home);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    fr->got = (size_t)fr->sub.read.result;
    ac_stream_write_all_init(&fr->sub.write, fr->c, fr->buf, fr->got);
    CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
             ac_stream_write_all_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.write.result);
  }
  ac_stream_close(fr->c);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll tcp_client_poll(void *frame, ac_cx *cx) {
  struct tcp_peer *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->port, &fr->port);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  ASSERT_OK(fr->sub.recv.result);
  ac_tcp_connect_init(&fr->sub.connect, "127.0.0.1", fr->port, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.connect, ac_tcp_connect_poll, ac_tcp_connect_drop);
  on_home(&fr->home);
  ASSERT_OK(fr->sub.connect.result);
  ac_stream_write_all_init(&fr->sub.write, fr->c, tcp_message,
                           strlen(tcp_message));
  CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
           ac_stream_write_all_drop);
  ASSERT_OK(fr->sub.write.result);
  ac_stream_shutdown_init(&fr->sub.shutdown, fr->c);
  CO_AWAIT(&fr->co, &fr->sub.shutdown, ac_stream_shutdown_poll,
           ac_stream_shutdown_drop);
  ASSERT_OK(fr->sub.shutdown.result);
  for (;;) {
    ac_stream_read_init(&fr->sub.read, fr->c, fr->buf + fr->got,
                        sizeof fr->buf - fr->got);
    CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
    on_home(&fr->home);
    ASSERT_GE(fr->sub.read.result, 0);
    if (fr->sub.read.result == 0)
      break;
    fr->got += (size_t)fr->sub.read.result;
  }
  ASSERT_EQ(fr->got, strlen(tcp_message));
  ASSERT_EQ(memcmp(fr->buf, tcp_message, fr->got), 0);
  ac_stream_close(fr->c);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll tcp_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  struct tcp_env *env = fr->env;
  CO_BEGIN(&fr->co);
  /* Server on worker 0 (first placement), client on worker 1. */
  struct tcp_peer server = {.home = -1, .env = env};
  struct tcp_peer client = {.home = -1, .env = env};
  fr->h[fr->n++] = spawn(&server, sizeof server, tcp_server_poll,
                         offsetof(struct tcp_peer, result), "server");
  fr->h[fr->n++] = spawn(&client, sizeof client, tcp_client_poll,
                         offsetof(struct tcp_peer, result), "client");
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_tcp_echo_across_workers) {
  struct tcp_env env;
  ASSERT_OK(ac_oneshot_init(&env.port, sizeof(int)));
  struct root fr;
  ASSERT_OK(run_threaded(2, tcp_root_poll, &fr, &env));
  ASSERT_EQ(fr.got[0], 1);
  ASSERT_EQ(fr.got[1], 1);
  ASSERT_OK(ac_oneshot_fini(&env.port));
  ASSERT_EQ(atomic_load(&workers_seen), 3u);
  ASSERT_LOOP_CLOSED();
}

/* A listener, and a connection once its first operation has bound it,
 * serve the tasks of the worker whose loop has them: on another worker
 * their operations fail with AC_EXDEV instead of calling libuv from the
 * wrong thread, and closing them from there is routed to their worker. */
struct handoff_env {
  ac_oneshot port, conn, listener, back;
};

struct handoff {
  struct co co;
  int result, home, port, token;
  struct handoff_env *env;
  ac_listener *l;
  ac_stream *c, *other;
  char buf[8];
  union tcp_sub sub;
};

/* Accepts, binds the connection to its worker with a read of 0 bytes,
 * lends it and the listener to a task on the other worker, which closes
 * both. */
static ac_poll handoff_server_poll(void *frame, ac_cx *cx) {
  struct handoff *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  fr->port = listen_publish(&fr->l, &fr->env->port);
  ac_listener_accept_init(&fr->sub.accept, fr->l, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.accept, ac_listener_accept_poll,
           ac_listener_accept_drop);
  ASSERT_OK(fr->sub.accept.result);
  ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, 0);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  ASSERT_EQ(fr->sub.read.result, 0);
  ASSERT_OK(ac_oneshot_send(&fr->env->listener, &fr->l));
  ASSERT_OK(ac_oneshot_send(&fr->env->conn, &fr->c));
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->back, &fr->token);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  on_home(&fr->home);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll handoff_borrower_poll(void *frame, ac_cx *cx) {
  struct handoff *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->listener, &fr->l);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->conn, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  on_home(&fr->home);
  ac_listener_accept_init(&fr->sub.accept, fr->l, &fr->other);
  CO_AWAIT(&fr->co, &fr->sub.accept, ac_listener_accept_poll,
           ac_listener_accept_drop);
  ASSERT_EQ(fr->sub.accept.result, AC_EXDEV);
  ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  ASSERT_EQ(fr->sub.read.result, AC_EXDEV);
  ac_stream_write_all_init(&fr->sub.write, fr->c, "x", 1);
  CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
           ac_stream_write_all_drop);
  ASSERT_EQ(fr->sub.write.result, AC_EXDEV);
  ac_stream_shutdown_init(&fr->sub.shutdown, fr->c);
  CO_AWAIT(&fr->co, &fr->sub.shutdown, ac_stream_shutdown_poll,
           ac_stream_shutdown_drop);
  ASSERT_EQ(fr->sub.shutdown.result, AC_EXDEV);
  ac_stream_close(fr->c); /* Both run on the server's worker. */
  ac_listener_close(fr->l);
  ASSERT_OK(ac_oneshot_send(&fr->env->back, &fr->token));
  fr->result = 1;
  CO_END(&fr->co);
}

/* Connects on the server's worker and reads until the server closes. */
static ac_poll handoff_client_poll(void *frame, ac_cx *cx) {
  struct handoff *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->port, &fr->port);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  ac_tcp_connect_init(&fr->sub.connect, "127.0.0.1", fr->port, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.connect, ac_tcp_connect_poll, ac_tcp_connect_drop);
  ASSERT_OK(fr->sub.connect.result);
  ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  ASSERT_EQ(fr->sub.read.result, 0); /* closed, nothing written to it */
  ac_stream_close(fr->c);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll handoff_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  /* Round-robin over 2 workers: server 0, borrower 1, client 0. */
  ac_poll_fn polls[3] = {handoff_server_poll, handoff_borrower_poll,
                         handoff_client_poll};
  for (int k = 0; k < 3; k++) {
    struct handoff h = {.home = -1, .env = fr->env};
    fr->h[fr->n++] = spawn(&h, sizeof h, polls[k],
                           offsetof(struct handoff, result), "handoff");
  }
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_tcp_other_worker_is_exdev) {
  struct handoff_env env;
  ASSERT_OK(ac_oneshot_init(&env.port, sizeof(int)));
  ASSERT_OK(ac_oneshot_init(&env.conn, sizeof(ac_stream *)));
  ASSERT_OK(ac_oneshot_init(&env.listener, sizeof(ac_listener *)));
  ASSERT_OK(ac_oneshot_init(&env.back, sizeof(int)));
  struct root fr;
  ASSERT_OK(run_threaded(2, handoff_root_poll, &fr, &env));
  for (int k = 0; k < 3; k++)
    ASSERT_EQ(fr.got[k], 1);
  ASSERT_OK(ac_oneshot_fini(&env.port));
  ASSERT_OK(ac_oneshot_fini(&env.conn));
  ASSERT_OK(ac_oneshot_fini(&env.listener));
  ASSERT_OK(ac_oneshot_fini(&env.back));
  ASSERT_EQ(atomic_load(&workers_seen), 3u);
  ASSERT_LOOP_CLOSED();
}

/* A listener belongs to the worker of its first accept, not to the one
 * that made it: a server may listen in one task and accept in a task it
 * spawned, which an idle worker may have stolen before it started. */
struct lend_env {
  ac_oneshot port, listener;
};

struct lend {
  struct co co;
  int result, home, port;
  struct lend_env *env;
  ac_listener *l;
  ac_stream *c;
  char buf[2];
  union tcp_sub sub;
};

/* Listens, and hands the listener and its port on. */
static ac_poll lend_maker_poll(void *frame, ac_cx *cx) {
  struct lend *fr = frame;
  (void)cx;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 4, &fr->l));
  fr->port = ac_listener_port(fr->l);
  ASSERT_LT(0, fr->port);
  ASSERT_OK(ac_oneshot_send(&fr->env->listener, &fr->l));
  ASSERT_OK(ac_oneshot_send(&fr->env->port, &fr->port));
  fr->result = 1;
  CO_END(&fr->co);
}

/* On the other worker: accepts on the listener it was given. */
static ac_poll lend_acceptor_poll(void *frame, ac_cx *cx) {
  struct lend *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->listener, &fr->l);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  ac_listener_accept_init(&fr->sub.accept, fr->l, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.accept, ac_listener_accept_poll,
           ac_listener_accept_drop);
  ASSERT_OK(fr->sub.accept.result);
  on_home(&fr->home);
  ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  ASSERT_EQ(fr->sub.read.result, 2);
  ASSERT_EQ(memcmp(fr->buf, "hi", 2), 0);
  ac_stream_close(fr->c);
  /* A connection no operation has bound to a loop yet: closing it twice
   * does nothing more than once. */
  ac_listener_accept_init(&fr->sub.accept, fr->l, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.accept, ac_listener_accept_poll,
           ac_listener_accept_drop);
  ASSERT_OK(fr->sub.accept.result);
  ac_stream_close(fr->c);
  ac_stream_close(fr->c);
  ac_listener_close(fr->l);
  ac_listener_close(fr->l);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll lend_client_poll(void *frame, ac_cx *cx) {
  struct lend *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_oneshot_recv_init(&fr->sub.recv, &fr->env->port, &fr->port);
  CO_AWAIT(&fr->co, &fr->sub.recv, ac_oneshot_recv_poll, ac_oneshot_recv_drop);
  ac_tcp_connect_init(&fr->sub.connect, "127.0.0.1", fr->port, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.connect, ac_tcp_connect_poll, ac_tcp_connect_drop);
  ASSERT_OK(fr->sub.connect.result);
  ac_stream_write_all_init(&fr->sub.write, fr->c, "hi", 2);
  CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
           ac_stream_write_all_drop);
  ASSERT_OK(fr->sub.write.result);
  ac_stream_close(fr->c);
  ac_tcp_connect_init(&fr->sub.connect, "127.0.0.1", fr->port, &fr->c);
  CO_AWAIT(&fr->co, &fr->sub.connect, ac_tcp_connect_poll, ac_tcp_connect_drop);
  ASSERT_OK(fr->sub.connect.result);
  ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  ASSERT_EQ(fr->sub.read.result, 0); /* the server closed it unread */
  ac_stream_close(fr->c);
  fr->result = 1;
  CO_END(&fr->co);
}

static ac_poll lend_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  /* Round-robin over 2 workers: maker 0, acceptor 1, client 0. */
  ac_poll_fn polls[3] = {lend_maker_poll, lend_acceptor_poll,
                         lend_client_poll};
  for (int k = 0; k < 3; k++) {
    struct lend h = {.home = -1, .env = fr->env};
    fr->h[fr->n++] =
        spawn(&h, sizeof h, polls[k], offsetof(struct lend, result), "lend");
  }
  JOIN_ALL(fr);
  CO_END(&fr->co);
}

TEST(threads_listener_belongs_to_first_accept) {
  struct lend_env env;
  ASSERT_OK(ac_oneshot_init(&env.port, sizeof(int)));
  ASSERT_OK(ac_oneshot_init(&env.listener, sizeof(ac_listener *)));
  struct root fr;
  ASSERT_OK(run_threaded(2, lend_root_poll, &fr, &env));
  for (int k = 0; k < 3; k++)
    ASSERT_EQ(fr.got[k], 1);
  ASSERT_OK(ac_oneshot_fini(&env.port));
  ASSERT_OK(ac_oneshot_fini(&env.listener));
  ASSERT_LOOP_CLOSED();
}

/* The classic server: one task accepts and spawns a handler task per
 * connection.  Handlers land on every worker and bind their accepted
 * connection there; many clients at once, every byte checked.  Two more
 * connections are accepted and closed, one with a reset, before anything
 * bound them. */
#define SERVER_CLIENTS 24
#define SERVER_CHUNK 8192

static atomic_uint handler_workers; /* bit w: a handler ran on worker w */

/* Byte j of client i's payload: distinct per client. */
static unsigned char server_byte(int client, size_t j) {
  return (unsigned char)(client * 37 + j * 7 + (j >> 8));
}

static size_t server_payload_size(int client) {
  return (size_t)(client + 1) * 3001; /* up to 72 KiB, over a buffer */
}

struct server_env {
  int port;
  const char *path; /* a Unix-domain socket's instead of TCP, or NULL */
};

/* async int handler(ac_stream *c): echoes until the end of the stream, then
 * closes; returns the number of bytes echoed. */
struct server_handler {
  struct co co;
  int result, home;
  ac_stream *c;
  ptrdiff_t n;
  char buf[4096];
  union {
    struct ac_stream_read_frame read;
    struct ac_stream_write_all_frame write;
  } sub;
};

static ac_poll server_handler_poll(void *frame, ac_cx *cx) {
  struct server_handler *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  atomic_fetch_or(&handler_workers, 1u << fr->home);
  for (;;) {
    ac_stream_read_init(&fr->sub.read, fr->c, fr->buf, sizeof fr->buf);
    CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
    on_home(&fr->home);
    fr->n = fr->sub.read.result;
    ASSERT_GE(fr->n, 0);
    if (fr->n == 0)
      break;
    ac_stream_write_all_init(&fr->sub.write, fr->c, fr->buf, (size_t)fr->n);
    CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
             ac_stream_write_all_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.write.result);
    fr->result += (int)fr->n;
  }
  ac_stream_close(fr->c);
  CO_END(&fr->co);
}

/* async int client(int i): sends its payload a chunk at a time, reading
 * each chunk's echo back before the next; returns the bytes checked.
 * Client -1 expects the server to close without a byte, client -2 to
 * reset the connection. */
struct server_client {
  struct co co;
  int result, home, i;
  struct server_env *env;
  ac_stream *c;
  size_t size, sent, got, chunk;
  unsigned char out[SERVER_CHUNK], in[SERVER_CHUNK];
  int connected;
  union {
    struct ac_tcp_connect_frame connect;
    struct ac_unix_connect_frame unix_connect;
    struct ac_stream_read_frame read;
    struct ac_stream_write_all_frame write;
    struct ac_stream_shutdown_frame shutdown;
  } sub;
};

static ac_poll server_client_poll(void *frame, ac_cx *cx) {
  struct server_client *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  if (fr->env->path != NULL) {
    ac_unix_connect_init(&fr->sub.unix_connect, fr->env->path, &fr->c);
    CO_AWAIT(&fr->co, &fr->sub.unix_connect, ac_unix_connect_poll,
             ac_unix_connect_drop);
    fr->connected = fr->sub.unix_connect.result;
  } else {
    ac_tcp_connect_init(&fr->sub.connect, "127.0.0.1", fr->env->port, &fr->c);
    CO_AWAIT(&fr->co, &fr->sub.connect, ac_tcp_connect_poll,
             ac_tcp_connect_drop);
    fr->connected = fr->sub.connect.result;
  }
  on_home(&fr->home);
  /* The server's reset may come before the connect's completion is seen
   * (the kernel completes a connection before it is accepted). */
  if (fr->i == -2 && fr->connected == AC_ECONNRESET)
    goto reset_at_connect;
  ASSERT_OK(fr->connected);
  fr->size = fr->i < 0 ? 0 : server_payload_size(fr->i);
  for (fr->sent = 0; fr->sent < fr->size; fr->sent += fr->chunk) {
    fr->chunk = fr->size - fr->sent;
    if (fr->chunk > SERVER_CHUNK)
      fr->chunk = SERVER_CHUNK;
    for (size_t j = 0; j < fr->chunk; j++)
      fr->out[j] = server_byte(fr->i, fr->sent + j);
    ac_stream_write_all_init(&fr->sub.write, fr->c, fr->out, fr->chunk);
    CO_AWAIT(&fr->co, &fr->sub.write, ac_stream_write_all_poll,
             ac_stream_write_all_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.write.result);
    for (fr->got = 0; fr->got < fr->chunk;) {
      ac_stream_read_init(&fr->sub.read, fr->c, fr->in + fr->got,
                          fr->chunk - fr->got);
      CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll,
               ac_stream_read_drop);
      on_home(&fr->home);
      ASSERT_GT(fr->sub.read.result, 0);
      fr->got += (size_t)fr->sub.read.result;
    }
    ASSERT_EQ(memcmp(fr->in, fr->out, fr->chunk), 0);
    fr->result += (int)fr->chunk;
  }
  if (fr->i >= 0) {
    ac_stream_shutdown_init(&fr->sub.shutdown, fr->c);
    CO_AWAIT(&fr->co, &fr->sub.shutdown, ac_stream_shutdown_poll,
             ac_stream_shutdown_drop);
    on_home(&fr->home);
    ASSERT_OK(fr->sub.shutdown.result);
  }
  ac_stream_read_init(&fr->sub.read, fr->c, fr->in, sizeof fr->in);
  CO_AWAIT(&fr->co, &fr->sub.read, ac_stream_read_poll, ac_stream_read_drop);
  /* The server's end of stream, or its reset (TCP only: a Unix-domain
   * stream closes normally). */
  ASSERT_EQ(fr->sub.read.result,
            fr->i == -2 && fr->env->path == NULL ? AC_ECONNRESET : 0);
  ac_stream_close(fr->c);
reset_at_connect:;
  CO_END(&fr->co);
}

/* The root listens, spawns the clients, accepts one connection per client
 * and spawns its handler (each lands on the next worker), then joins
 * everything. */
struct server_root {
  struct co co;
  int n, i, got[2 * SERVER_CLIENTS + 2];
  ac_listener *l;
  ac_stream *c;
  ac_task *h[2 * SERVER_CLIENTS + 2];
  struct server_env *env;
  struct ac_join_frame join;
  struct ac_listener_accept_frame accept;
};

static ac_poll server_root_poll(void *frame, ac_cx *cx) {
  struct server_root *fr = frame;
  CO_BEGIN(&fr->co);
  if (fr->env->path != NULL) {
    ASSERT_OK(ac_unix_listen(fr->env->path, 64, &fr->l));
  } else {
    ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 64, &fr->l));
    fr->env->port = ac_listener_port(fr->l);
  }
  /* Clients -1 and -2 connect alone, one after the other, and their
   * connections are closed, then reset, before anything bound them. */
  for (fr->i = 1; fr->i <= 2; fr->i++) {
    struct server_client quiet = {.home = -1, .i = -fr->i, .env = fr->env};
    fr->h[fr->n++] = spawn(&quiet, sizeof quiet, server_client_poll,
                           offsetof(struct server_client, result), "quiet");
    ac_listener_accept_init(&fr->accept, fr->l, &fr->c);
    CO_AWAIT(&fr->co, &fr->accept, ac_listener_accept_poll,
             ac_listener_accept_drop);
    ASSERT_OK(fr->accept.result);
    if (fr->i == 1)
      ac_stream_close(fr->c);
    else
      ac_stream_close_reset(fr->c);
  }
  for (int i = 0; i < SERVER_CLIENTS; i++) {
    struct server_client client = {.home = -1, .i = i, .env = fr->env};
    fr->h[fr->n++] = spawn(&client, sizeof client, server_client_poll,
                           offsetof(struct server_client, result), "client");
  }
  for (fr->i = 0; fr->i < SERVER_CLIENTS; fr->i++) {
    ac_listener_accept_init(&fr->accept, fr->l, &fr->c);
    CO_AWAIT(&fr->co, &fr->accept, ac_listener_accept_poll,
             ac_listener_accept_drop);
    ASSERT_OK(fr->accept.result);
    struct server_handler handler = {.home = -1, .c = fr->c};
    fr->h[fr->n++] = spawn(&handler, sizeof handler, server_handler_poll,
                           offsetof(struct server_handler, result), "handler");
  }
  ac_listener_close(fr->l);
  for (fr->i = 0; fr->i < fr->n; fr->i++) {
    ac_join_init(&fr->join, fr->h[fr->i]);
    CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
    ASSERT(!ac_task_aborted(fr->join.task));
    fr->got[fr->i] = *(int *)ac_join_result(&fr->join);
    ac_join_finish(&fr->join);
  }
  CO_END(&fr->co);
}

static void server_across_workers(unsigned workers, const char *path) {
  struct server_env env = {.path = path};
  struct server_root fr = {.env = &env};
  atomic_store(&workers_seen, 0);
  atomic_store(&handler_workers, 0);
  ASSERT_OK(ac_runtime_set_workers(workers));
  ac__test_place_round_robin(1); /* tasks of every worker meet */
  ASSERT_OK(ac__block_on(&fr, server_root_poll, co_frame_drop));
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  ASSERT_EQ(fr.n, 2 * SERVER_CLIENTS + 2);
  long sent = 0, echoed = 0;
  for (int i = 0; i < SERVER_CLIENTS + 2; i++)
    sent += fr.got[i];
  for (int i = SERVER_CLIENTS + 2; i < fr.n; i++)
    echoed += fr.got[i];
  long expected = 0;
  for (int i = 0; i < SERVER_CLIENTS; i++)
    expected += (long)server_payload_size(i);
  ASSERT_EQ(sent, expected);
  ASSERT_EQ(echoed, expected);
  /* Not a timing check: handlers were placed on, and ran on, every
   * worker, each with a connection accepted on worker 0. */
  ASSERT_EQ(atomic_load(&handler_workers), (1u << workers) - 1);
  ASSERT_LOOP_CLOSED();
}

TEST(threads_server_spawns_handlers_2) {
  server_across_workers(2, NULL);
  ASSERT_EQ(atomic_load(&workers_seen), 3u);
}

TEST(threads_server_spawns_handlers_4) {
  server_across_workers(4, NULL);
  ASSERT_EQ(atomic_load(&workers_seen), 15u);
}

/* The same over a Unix-domain socket: accepted streams are pipes, bound
 * to their handler's worker with uv_pipe_open. */
TEST(threads_unix_server_spawns_handlers) {
  char dir[] = "/tmp/asyncc-threads-XXXXXX", path[64];
  ASSERT_NOT_NULL(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/s", dir);
  server_across_workers(2, path);
  ASSERT_EQ(atomic_load(&workers_seen), 3u);
  ASSERT_OK(rmdir(dir)); /* the listener's close removed the socket */
}

/* ---- Teardown ------------------------------------------------------------ */

static atomic_int cleanups_run;
static atomic_int cleanups_pushed;

static void count_cleanup(void *arg) {
  (void)arg;
  atomic_fetch_add(&cleanups_run, 1);
}

/* Registers a cleanup hook, then waits on a channel nobody sends on. */
struct stuck {
  struct co co;
  int result, home, v;
  ac_chan *ch;
  struct ac_cleanup cleanup;
  struct ac_chan_recv_frame recv;
};

static ac_poll stuck_poll(void *frame, ac_cx *cx) {
  struct stuck *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ASSERT_OK(ac_cleanup_push(&fr->cleanup, count_cleanup, NULL));
  atomic_fetch_add(&cleanups_pushed, 1);
  ac_chan_recv_init(&fr->recv, fr->ch, &fr->v);
  CO_AWAIT(&fr->co, &fr->recv, ac_chan_recv_poll, ac_chan_recv_drop);
  ASSERT(0); /* never sent to */
  CO_END(&fr->co);
}

#define STUCK 9

static ac_poll teardown_root_poll(void *frame, ac_cx *cx) {
  struct root *fr = frame;
  CO_BEGIN(&fr->co);
  for (int k = 0; k < STUCK; k++) {
    struct stuck s = {.home = -1, .ch = fr->env};
    fr->h[fr->n++] = spawn(&s, sizeof s, stuck_poll,
                           offsetof(struct stuck, result), "stuck");
  }
  /* Some handles are detached, the others still held when block_on
   * ends; both kinds of task must be dropped and freed. */
  for (int k = 0; k < STUCK; k += 2)
    ac_task_detach(fr->h[k]);
  /* Every task waits with its hook registered before block_on ends: how
   * long the other workers take to get there is up to the machine. */
  while (atomic_load(&cleanups_pushed) < STUCK) {
    ac_sleep_init(&fr->sleep, 1);
    CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  }
  /* A dump from the root lists every worker's tasks. */
  FILE *out = tmpfile();
  ASSERT_NOT_NULL(out);
  ac_dump_tasks(out);
  rewind(out);
  char line[128];
  ASSERT_NOT_NULL(fgets(line, sizeof line, out));
  ASSERT_EQ(strcmp(line, "asyncc: 10 tasks\n"), 0);
  int remote = 0;
  while (fgets(line, sizeof line, out) != NULL)
    remote += strstr(line, "\"stuck\" on worker ") != NULL;
  fclose(out);
  ASSERT_GT(remote, 0);
  CO_END(&fr->co);
}

TEST(threads_teardown_drops_pending_everywhere) {
  ac_chan ch;
  ASSERT_OK(ac_chan_init(&ch, sizeof(int), 1));
  atomic_store(&cleanups_run, 0);
  atomic_store(&cleanups_pushed, 0);
  struct root fr;
  ASSERT_OK(run_threaded(3, teardown_root_poll, &fr, &ch));
  ASSERT_EQ(atomic_load(&cleanups_run), STUCK);
  ASSERT_OK(ac_chan_fini(&ch)); /* every waiting receive was dropped */
  ASSERT_LOOP_CLOSED();
}

/* ---- Deadlock ------------------------------------------------------------ */

/* async int late_sender(ac_chan *ch, int ms): sleeps, then sends ms. */
struct late_sender {
  struct co co;
  int result, home, ms;
  ac_chan *ch;
  struct ac_sleep_frame sleep;
  struct ac_chan_send_frame send;
};

static ac_poll late_sender_poll(void *frame, ac_cx *cx) {
  struct late_sender *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  ac_sleep_init(&fr->sleep, (uint64_t)fr->ms);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  on_home(&fr->home);
  ac_chan_send_init(&fr->send, fr->ch, &fr->ms);
  CO_AWAIT(&fr->co, &fr->send, ac_chan_send_poll, ac_chan_send_drop);
  ASSERT_OK(fr->send.result);
  fr->result = 1;
  CO_END(&fr->co);
}

struct deadlock_env {
  unsigned workers;
  ac_chan live, dead; /* `dead` is never sent to */
};

struct deadlock_root {
  struct co co;
  int i, v, got;
  struct deadlock_env *env;
  ac_task *h[2];
  struct ac_join_frame join;
  struct ac_chan_recv_frame recv;
};

/* First waits for what only a timer on another worker can bring (no
 * deadlock), then for what nobody will ever send while a task on every
 * worker waits for it too: that is a deadlock. */
static ac_poll deadlock_root_poll(void *frame, ac_cx *cx) {
  struct deadlock_root *fr = frame;
  struct deadlock_env *env = fr->env;
  CO_BEGIN(&fr->co);
  /* Placed on workers 0 and 1: worker 0 soon idles while worker 1
   * still has its timer. */
  for (int k = 0; k < 2; k++) {
    struct late_sender s = {.home = -1, .ms = k * 30, .ch = &env->live};
    fr->h[k] = spawn(&s, sizeof s, late_sender_poll,
                     offsetof(struct late_sender, result), "late");
  }
  for (fr->i = 0; fr->i < 2; fr->i++) {
    ac_chan_recv_init(&fr->recv, &env->live, &fr->v);
    CO_AWAIT(&fr->co, &fr->recv, ac_chan_recv_poll, ac_chan_recv_drop);
    ASSERT_OK(fr->recv.result);
    fr->got += fr->v;
  }
  ASSERT_EQ(fr->got, 30);
  for (fr->i = 0; fr->i < 2; fr->i++) {
    ac_join_init(&fr->join, fr->h[fr->i]);
    CO_AWAIT(&fr->co, &fr->join, ac_join_poll, ac_join_drop);
    ASSERT_EQ(*(int *)ac_join_result(&fr->join), 1);
    ac_join_finish(&fr->join);
  }
  /* One stuck task on each worker, all detached. */
  for (unsigned k = 0; k < env->workers; k++) {
    struct stuck s = {.home = -1, .ch = &env->dead};
    ac_task_detach(spawn(&s, sizeof s, stuck_poll,
                         offsetof(struct stuck, result), "stuck"));
  }
  ac_chan_recv_init(&fr->recv, &env->dead, &fr->v);
  CO_AWAIT(&fr->co, &fr->recv, ac_chan_recv_poll, ac_chan_recv_drop);
  ASSERT(0); /* never sent to */
  CO_END(&fr->co);
}

static void deadlock_on(unsigned workers) {
  struct deadlock_env env = {.workers = workers};
  ASSERT_OK(ac_chan_init(&env.live, sizeof(int), 2));
  ASSERT_OK(ac_chan_init(&env.dead, sizeof(int), 1));
  atomic_store(&cleanups_run, 0);
  atomic_store(&workers_seen, 0);
  struct deadlock_root fr = {.env = &env};
  ASSERT_OK(ac_runtime_set_workers(workers));
  ac__test_place_round_robin(1); /* tasks of every worker meet */
  ASSERT_EQ(ac__block_on(&fr, deadlock_root_poll, co_frame_drop), AC_EDEADLK);
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  ASSERT_EQ(fr.got, 30);
  ASSERT_EQ(fr.co.drops, 1); /* the root was dropped, once */
  ASSERT_EQ(atomic_load(&cleanups_run), (int)workers);
  ASSERT_EQ(atomic_load(&workers_seen), (1u << workers) - 1);
  ASSERT_OK(ac_chan_fini(&env.live));
  ASSERT_OK(ac_chan_fini(&env.dead)); /* every waiting receive was dropped */
  ASSERT_LOOP_CLOSED();
}

TEST(threads_stalled_root_fails) {
  deadlock_on(2);
  deadlock_on(4);
}

/* The root's own worker is the last to idle: the other workers have had
 * nothing to do since the start, and the root first sleeps, then waits
 * for what nobody sends.  The worker that completes the idle count must
 * still notice, though it is the one about to block. */
struct last_idle_root {
  struct co co;
  int v;
  ac_chan *dead;
  struct ac_sleep_frame sleep;
  struct ac_chan_recv_frame recv;
};

static ac_poll last_idle_root_poll(void *frame, ac_cx *cx) {
  struct last_idle_root *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_EQ(ac__test_worker_index(), 0);
  ac_sleep_init(&fr->sleep, 50);
  CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
  ac_chan_recv_init(&fr->recv, fr->dead, &fr->v);
  CO_AWAIT(&fr->co, &fr->recv, ac_chan_recv_poll, ac_chan_recv_drop);
  ASSERT(0); /* never sent to */
  CO_END(&fr->co);
}

TEST(threads_stalled_root_worker_idles_last) {
  ac_chan dead;
  ASSERT_OK(ac_chan_init(&dead, sizeof(int), 1));
  for (unsigned workers = 2; workers <= 4; workers += 2) {
    struct last_idle_root fr = {.dead = &dead};
    ASSERT_OK(ac_runtime_set_workers(workers));
    ac__test_place_round_robin(1); /* tasks of every worker meet */
    ASSERT_EQ(ac__block_on(&fr, last_idle_root_poll, co_frame_drop),
              AC_EDEADLK);
    ASSERT_EQ(fr.co.drops, 1);
  }
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  ASSERT_OK(ac_chan_fini(&dead));
  ASSERT_LOOP_CLOSED();
}

/* ---- Placement and stealing --------------------------------------------- */

/* async int marker(atomic_int *flag): records its worker and raises the
 * flag. */
struct marker {
  struct co co;
  int result;
  atomic_int *flag;
};

static ac_poll marker_poll(void *frame, ac_cx *cx) {
  struct marker *fr = frame;
  (void)cx;
  CO_BEGIN(&fr->co);
  fr->result = ac__test_worker_index();
  atomic_store(fr->flag, 1);
  CO_END(&fr->co);
}

/* The root: spawns a marker, then spins in C, never returning to its
 * worker, until the marker has run: only another worker can run it, and
 * only by stealing it, as it was queued on the root's worker.  The spin
 * gives up after 20 s, and the test fails. */
struct steal_root {
  struct co co;
  atomic_int flag;
  int ran, marker_worker, aborted;
  ac_task *h;
  struct ac_join_frame join;
};

static ac_poll steal_root_poll(void *frame, ac_cx *cx) {
  struct steal_root *fr = frame;
  CO_BEGIN(&fr->co);
  {
    struct marker proto = {.flag = &fr->flag};
    fr->h = spawn(&proto, sizeof proto, marker_poll,
                  offsetof(struct marker, result), "marker");
  }
  for (uint64_t t0 = uv_hrtime(); !atomic_load(&fr->flag);)
    if (uv_hrtime() - t0 > (uint64_t)20 * 1000 * 1000 * 1000)
      break;
  fr->ran = atomic_load(&fr->flag);
  JOIN(fr, fr->h, fr->marker_worker, fr->aborted);
  CO_END(&fr->co);
}

/* A task spawned on a busy worker is stolen by an idle one. */
TEST(threads_idle_worker_steals) {
  struct steal_root fr = {.ran = 0};
  atomic_init(&fr.flag, 0);
  ASSERT_OK(ac_runtime_set_workers(2));
  ASSERT_OK(ac__block_on(&fr, steal_root_poll, co_frame_drop));
  ASSERT_OK(ac_runtime_set_workers(1));
  ASSERT_EQ(fr.ran, 1);
  ASSERT_EQ(fr.aborted, 0);
  ASSERT_EQ(fr.marker_worker, 1);
  ASSERT_LOOP_CLOSED();
}

/* async int chatter(ac_mbox *in, ac_mbox *out, int n): echoes n values
 * back, checking after each await that it is on the worker it started
 * on. */
struct chatter {
  struct co co;
  int result, home, n;
  ac_mbox *in, *out;
  struct ac_mbox_recv_frame recv;
};

static ac_poll chatter_poll(void *frame, ac_cx *cx) {
  struct chatter *fr = frame;
  CO_BEGIN(&fr->co);
  on_home(&fr->home);
  for (; fr->result < fr->n; fr->result++) {
    ac_mbox_recv_init(&fr->recv, fr->in);
    CO_AWAIT(&fr->co, &fr->recv, ac_mbox_recv_poll, ac_mbox_recv_drop);
    on_home(&fr->home);
    ASSERT_OK(ac_mbox_send(fr->out, fr->recv.result + 1));
  }
  CO_END(&fr->co);
}

#define CHAT_PAIRS 16
#define CHAT_ROUNDS 200

/* The root spawns pairs that pass a value back and forth, and drives
 * each pair's first value; without round-robin placement, idle workers
 * steal some of them before they start, and every task stays on the
 * worker it started on. */
struct chat_root {
  struct co co;
  int i;
  ac_mbox a[CHAT_PAIRS], b[CHAT_PAIRS];
  ac_task *h[2 * CHAT_PAIRS];
  int got[2 * CHAT_PAIRS], aborted[2 * CHAT_PAIRS];
  struct ac_join_frame join;
};

static ac_poll chat_root_poll(void *frame, ac_cx *cx) {
  struct chat_root *fr = frame;
  CO_BEGIN(&fr->co);
  for (fr->i = 0; fr->i < CHAT_PAIRS; fr->i++) {
    ac_mbox_init(&fr->a[fr->i]);
    ac_mbox_init(&fr->b[fr->i]);
    struct chatter one = {
        .home = -1, .n = CHAT_ROUNDS, .in = &fr->a[fr->i], .out = &fr->b[fr->i]};
    struct chatter two = {
        .home = -1, .n = CHAT_ROUNDS, .in = &fr->b[fr->i], .out = &fr->a[fr->i]};
    fr->h[2 * fr->i] = spawn(&one, sizeof one, chatter_poll,
                             offsetof(struct chatter, result), "chatter");
    fr->h[2 * fr->i + 1] = spawn(&two, sizeof two, chatter_poll,
                                 offsetof(struct chatter, result), "chatter");
    ASSERT_OK(ac_mbox_send(&fr->a[fr->i], 0));
  }
  for (fr->i = 0; fr->i < 2 * CHAT_PAIRS; fr->i++)
    JOIN(fr, fr->h[fr->i], fr->got[fr->i], fr->aborted[fr->i]);
  CO_END(&fr->co);
}

TEST(threads_stolen_tasks_stay_put) {
  struct chat_root fr = {.i = 0};
  atomic_store(&workers_seen, 0);
  ASSERT_OK(ac_runtime_set_workers(2));
  ASSERT_OK(ac__block_on(&fr, chat_root_poll, co_frame_drop));
  ASSERT_OK(ac_runtime_set_workers(1));
  for (int i = 0; i < 2 * CHAT_PAIRS; i++) {
    ASSERT_EQ(fr.aborted[i], 0);
    ASSERT_EQ(fr.got[i], CHAT_ROUNDS);
  }
  ASSERT_LOOP_CLOSED();
}

/* ---- Locks --------------------------------------------------------------- */

static int threaded_seen;

static ac_poll note_threaded_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  threaded_seen = ac__is_threaded();
  return AC_READY;
}

static void note_threaded_drop(void *frame) { (void)frame; }

/* The sync primitives lock only while a threaded runtime runs: a later
 * single-worker block_on in the same process takes no lock. */
TEST(threads_locks_only_while_running) {
  ASSERT_EQ(ac__is_threaded(), 0);
  ASSERT_OK(ac_runtime_set_workers(2));
  ASSERT_OK(ac__block_on(NULL, note_threaded_poll, note_threaded_drop));
  ASSERT_EQ(threaded_seen, 1);
  ASSERT_EQ(ac__is_threaded(), 0);
  ASSERT_OK(ac_runtime_set_workers(1));
  ac__test_place_round_robin(0);
  ASSERT_OK(ac__block_on(NULL, note_threaded_poll, note_threaded_drop));
  ASSERT_EQ(threaded_seen, 0);
  ASSERT_LOOP_CLOSED();
}

/* ---- Configuration ------------------------------------------------------- */

TEST(threads_configuration) {
  ASSERT_EQ(ac_runtime_set_workers(AC_MAX_WORKERS + 1), AC_EINVAL);
  ASSERT_OK(ac_runtime_set_workers(3));
  ASSERT_EQ(ac_runtime_workers(), 3);
  /* 0 reads ASYNCC_WORKERS, once: the setting is kept until the next
   * ac_runtime_set_workers(0). */
  ASSERT_OK(setenv("ASYNCC_WORKERS", "4", 1));
  ASSERT_OK(ac_runtime_set_workers(0));
  ASSERT_EQ(ac_runtime_workers(), 4);
  ASSERT_OK(setenv("ASYNCC_WORKERS", "2", 1));
  ASSERT_EQ(ac_runtime_workers(), 4);
  ASSERT_OK(ac_runtime_set_workers(0));
  ASSERT_EQ(ac_runtime_workers(), 2);
  ASSERT_OK(setenv("ASYNCC_WORKERS", "4x", 1));
  ASSERT_OK(ac_runtime_set_workers(0));
  ASSERT_EQ(ac_runtime_workers(), 1);
  ASSERT_OK(setenv("ASYNCC_WORKERS", "0", 1));
  ASSERT_OK(ac_runtime_set_workers(0));
  ASSERT_EQ(ac_runtime_workers(), 1);
  ASSERT_OK(unsetenv("ASYNCC_WORKERS"));
  ASSERT_OK(ac_runtime_set_workers(0));
  ASSERT_EQ(ac_runtime_workers(), 1);
  /* Outside a threaded runtime there is no worker index. */
  ASSERT_EQ(ac__test_worker_index(), -1);
}
