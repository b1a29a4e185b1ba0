/* workers.c -- the threaded flavour: N worker threads, each an executor
 * with its own run queue, task heap and libuv loop.
 *
 * Placement.  A new task goes on its spawner's worker, so tasks that talk
 * to each other (a producer and the consumers it spawned, a connection's
 * handlers) stay together and hand values over without waking another
 * thread.  Until it is first polled it sits on that worker's spawn queue
 * (under the worker's inject lock), from which an idle worker may steal
 * half; the owner moves its spawn queue to its run queue at the start of
 * each pass.  Once polled, a task is pinned: only its worker polls it,
 * because its timers, sockets and requests live on that worker's loop,
 * which only that thread may touch.  A task not started has no worker
 * yet (AC__NO_WORKER): a wake cannot reach it, and needs not, as it will
 * be polled anyway.  A worker about to block in its loop marks itself
 * sleeping; a spawn that finds a sleeping worker wakes one, so that it
 * can steal.
 *
 * Wakes.  A wake claims the task's queued bit (an atomic compare and
 * swap), so a task is on one queue at a time, linked through its `next`.
 * Waking a task of the calling worker appends it to the run queue; of
 * another worker, to that worker's inject queue (under a mutex), and
 * signals its uv_async_t, whose callback moves the tasks to the run
 * queue.  State shared between tasks of different workers (sync
 * primitives, join handles) is guarded by a table of striped mutexes
 * indexed by the object's address, taken only while a threaded runtime
 * runs, so the single-threaded flavour pays one predictable branch per
 * operation.
 *
 * Shutdown: when the root future completes, every worker stops polling
 * and waits until all have stopped, then drops its pending tasks and
 * waits until all have; only then are tasks freed and loops closed,
 * because a frame being dropped on one worker may still release a handle
 * of a task on another.
 *
 * The inject handle also runs work routed to its worker (ac__run_on: a
 * close of a socket from another worker), and the workers count
 * themselves idle so that a runtime that can never progress is detected
 * (ac__rt_idle_enter). */
#include <assert.h>
#include <stdlib.h>

#include "internal.h"

int ac__threaded;

/* ---- Striped locks ------------------------------------------------------ */

#define STRIPES 64

static uv_once_t stripes_once = UV_ONCE_INIT;
static uv_mutex_t stripes[STRIPES];

static void stripes_init(void) {
  for (int i = 0; i < STRIPES; i++)
    if (uv_mutex_init(&stripes[i]) != 0)
      abort(); /* Cannot fail on Linux for default mutexes. */
}

static uv_mutex_t *stripe(const void *obj) {
  uintptr_t a = (uintptr_t)obj;
  /* Objects are at least 8-byte aligned; mix higher bits in as well. */
  return &stripes[((a >> 4) ^ (a >> 12)) % STRIPES];
}

int ac__lock_slow(const void *obj) {
  uv_mutex_lock(stripe(obj));
  return 1;
}

void ac__unlock_slow(const void *obj) { uv_mutex_unlock(stripe(obj)); }

/* ---- Configuration ------------------------------------------------------ */

atomic_uint ac__workers;

int ac_runtime_set_workers(unsigned n) {
  if (n > AC_MAX_WORKERS)
    return AC_EINVAL;
  atomic_store(&ac__workers, n); /* 0: read ASYNCC_WORKERS again, once */
  return 0;
}

static unsigned read_env(void) {
  const char *env = getenv("ASYNCC_WORKERS");
  if (env == NULL || *env == '\0')
    return 1;
  char *end;
  unsigned long n = strtoul(env, &end, 10);
  if (*end != '\0' || n == 0 || n > AC_MAX_WORKERS)
    return 1; /* A malformed value keeps the default flavour. */
  return (unsigned)n;
}

unsigned ac_runtime_workers(void) {
  unsigned n = atomic_load_explicit(&ac__workers, memory_order_relaxed);
  if (n == 0) {
    n = read_env();
    atomic_store_explicit(&ac__workers, n, memory_order_relaxed);
  }
  return n;
}

/* ---- The runtime -------------------------------------------------------- */

/* A barrier whose size may shrink before anyone passes it (when a thread
 * cannot be created): threads wait until `arrived` reaches rt->n. */
struct gate {
  uv_mutex_t mutex;
  uv_cond_t cond;
  unsigned arrived;
};

struct ac__rt {
  unsigned n; /* workers; reduced under started.mutex if threads fail */
  struct ac__exec *workers[AC_MAX_WORKERS]; /* [0] is block_on's thread */
  uv_thread_t threads[AC_MAX_WORKERS];
  atomic_uint next;       /* round-robin placement (test hook) */
  /* Bit i: worker i is about to block in its loop, or blocks there. */
  _Atomic uint64_t sleeping;
  atomic_int stop;        /* the root is done: workers tear down */
  atomic_int start_error; /* a worker could not open its loop */
  atomic_uint idle;       /* workers counted idle (ac__rt_idle_enter) */
  atomic_int deadlock;    /* every worker was idle at once */
  struct gate started, halted, dropped;
};

static void gate_init(struct gate *g) {
  uv_mutex_init(&g->mutex);
  uv_cond_init(&g->cond);
  g->arrived = 0;
}

static void gate_fini(struct gate *g) {
  uv_cond_destroy(&g->cond);
  uv_mutex_destroy(&g->mutex);
}

static void gate_wait(struct ac__rt *rt, struct gate *g) {
  uv_mutex_lock(&g->mutex);
  g->arrived++;
  uv_cond_broadcast(&g->cond);
  while (g->arrived < rt->n)
    uv_cond_wait(&g->cond, &g->mutex);
  uv_mutex_unlock(&g->mutex);
}

struct ac__exec *ac__rt_worker(const struct ac__exec *ex, unsigned i) {
  return ex->rt->workers[i];
}

int ac__rt_stopping(const struct ac__exec *ex) {
  return ex->rt != NULL ? atomic_load(&ex->rt->stop) : ex->tearing_down;
}

unsigned ac__rt_executors(struct ac__exec *ex, struct ac__exec **out) {
  struct ac__rt *rt = ex->rt;
  if (rt == NULL) {
    out[0] = ex;
    return 1;
  }
  unsigned n = 0;
  for (unsigned i = 0; i < rt->n; i++)
    if (rt->workers[i] != NULL)
      out[n++] = rt->workers[i];
  return n;
}


/* ---- Wakes and inject queues -------------------------------------------- */

/* Un-counts ex as idle: something was queued for it.  Under inject_lock. */
static void idle_clear(struct ac__exec *ex) {
  if (ex->idle) {
    ex->idle = 0;
    atomic_fetch_sub(&ex->rt->idle, 1);
  }
}

/* Appends t (a list link: t->next) to a queue given by its two ends. */
static void list_append(ac_task **head, ac_task **tail, ac_task *t) {
  t->next = NULL;
  if (*tail != NULL)
    (*tail)->next = t;
  else
    *head = t;
  *tail = t;
}

/* Queues t, marked queued, on owner's inject queue and wakes its loop. */
static void inject(struct ac__exec *owner, ac_task *t) {
  uv_mutex_lock(&owner->inject_lock);
  if (!owner->inject_closed) {
    idle_clear(owner);
    list_append(&owner->inject_head, &owner->inject_tail, t);
    uv_async_send(&owner->inject_async);
  }
  uv_mutex_unlock(&owner->inject_lock);
}

/* Claims t's queued bit; 0 if it is queued already, or done. */
static int claim_queued(ac_task *t) {
  unsigned char old = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
  do {
    if (old & (AC__T_QUEUED | AC__T_DONE))
      return 0;
  } while (!__atomic_compare_exchange_n(&t->state, &old, old | AC__T_QUEUED,
                                        1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED));
  return 1;
}

void ac__wake_threaded(struct ac__exec *ex, ac_task *t) {
  unsigned w = __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE);
  /* Not started: on a spawn queue, and polled once taken from it. */
  if (w == AC__NO_WORKER || !claim_queued(t))
    return;
  struct ac__exec *owner = ex->rt->workers[w];
  if (owner != ex) {
    inject(owner, t);
    return;
  }
  ac__exec_push(ex, t);
  if (ex->in_uv_run)
    uv_stop(&ex->loop);
}

void ac__run_on(struct ac__exec *ex, struct ac__deferred *d) {
  if (ex == ac__exec_current()) {
    d->fn(d);
    return;
  }
  assert(ex->rt != NULL);
  uv_mutex_lock(&ex->inject_lock);
  /* A closed inject handle means ex is past its teardown's last gate,
   * where no task runs any more: nothing can route work to it then. */
  assert(!ex->inject_closed);
  d->next = NULL;
  if (ex->deferred_tail != NULL)
    ex->deferred_tail->next = d;
  else
    ex->deferred_head = d;
  ex->deferred_tail = d;
  idle_clear(ex);
  uv_async_send(&ex->inject_async);
  uv_mutex_unlock(&ex->inject_lock);
}

/* Runs the work routed to ex, on ex's thread, outside the lock: the work
 * may wake tasks or route more work. */
static void deferred_run(struct ac__exec *ex) {
  uv_mutex_lock(&ex->inject_lock);
  struct ac__deferred *d = ex->deferred_head;
  ex->deferred_head = ex->deferred_tail = NULL;
  uv_mutex_unlock(&ex->inject_lock);
  while (d != NULL) {
    struct ac__deferred *next = d->next;
    d->fn(d);
    d = next;
  }
}

void ac__inject_forget(struct ac__exec *ex, ac_task *t) {
  uv_mutex_lock(&ex->inject_lock);
  ac_task **link = &ex->inject_head, *prev = NULL;
  while (*link != NULL && *link != t) {
    prev = *link;
    link = &(*link)->next;
  }
  if (*link != NULL) {
    *link = t->next;
    if (ex->inject_tail == t)
      ex->inject_tail = prev;
  }
  uv_mutex_unlock(&ex->inject_lock);
}

/* Moves the inject queue to the run queue.  Its tasks are marked queued
 * already; the loop is stopped so that they run. */
static void inject_cb(uv_async_t *handle) {
  struct ac__exec *ex = handle->data;
  uv_mutex_lock(&ex->inject_lock);
  ac_task *t = ex->inject_head;
  ex->inject_head = ex->inject_tail = NULL;
  uv_mutex_unlock(&ex->inject_lock);
  if (t != NULL)
    uv_stop(&ex->loop);
  while (t != NULL) {
    ac_task *next = t->next;
    ac__exec_push(ex, t);
    t = next;
  }
  deferred_run(ex);
}

/* ---- Spawn queues and stealing ------------------------------------------ */

static atomic_int place_round_robin;

void ac__test_place_round_robin(int on) { atomic_store(&place_round_robin, on); }

/* Wakes one sleeping worker other than ex, if any, so that it can steal
 * what ex has just spawned. */
static void wake_sleeper(struct ac__exec *ex) {
  struct ac__rt *rt = ex->rt;
  uint64_t mask = atomic_load(&rt->sleeping) &
                  ~((uint64_t)1 << ex->worker_index);
  while (mask != 0) {
    unsigned i = (unsigned)__builtin_ctzll(mask);
    uint64_t bit = (uint64_t)1 << i;
    if (atomic_fetch_and(&rt->sleeping, ~bit) & bit) {
      struct ac__exec *w = rt->workers[i];
      uv_mutex_lock(&w->inject_lock);
      if (!w->inject_closed)
        uv_async_send(&w->inject_async);
      uv_mutex_unlock(&w->inject_lock);
      return;
    }
    mask &= ~bit;
  }
}

void ac__spawn_threaded(struct ac__exec *ex, ac_task *t) {
  struct ac__rt *rt = ex->rt;
  t->state = AC__T_QUEUED;
  if (atomic_load(&rt->stop)) {
    /* Spawned by a drop at the end: dropped where it was spawned. */
    t->worker = (unsigned char)ex->worker_index;
    ac__exec_push(ex, t);
    return;
  }
  if (atomic_load_explicit(&place_round_robin, memory_order_relaxed)) {
    /* Started on the next worker, as if already polled there. */
    unsigned w = atomic_fetch_add(&rt->next, 1) % rt->n;
    __atomic_store_n(&t->worker, (unsigned char)w, __ATOMIC_RELEASE);
    if (rt->workers[w] == ex)
      ac__exec_push(ex, t);
    else
      inject(rt->workers[w], t);
    return;
  }
  t->worker = AC__NO_WORKER;
  uv_mutex_lock(&ex->inject_lock);
  list_append(&ex->spawn_head, &ex->spawn_tail, t);
  atomic_fetch_add(&ex->spawn_len, 1);
  uv_mutex_unlock(&ex->inject_lock);
  wake_sleeper(ex);
}

/* Takes up to `max` tasks from the front of w's spawn queue (under its
 * lock) onto ex's run queue, as ex's; returns how many. */
static size_t spawn_move(struct ac__exec *w, struct ac__exec *ex,
                         size_t max) {
  ac_task *first = w->spawn_head, *last = NULL;
  size_t n = 0;
  for (ac_task *t = first; t != NULL && n < max; t = t->next) {
    __atomic_store_n(&t->worker, (unsigned char)ex->worker_index,
                     __ATOMIC_RELEASE);
    last = t;
    n++;
  }
  if (n == 0)
    return 0;
  w->spawn_head = last->next;
  if (w->spawn_head == NULL)
    w->spawn_tail = NULL;
  atomic_fetch_sub(&w->spawn_len, n);
  last->next = NULL;
  if (ex->tail != NULL)
    ex->tail->next = first;
  else
    ex->head = first;
  ex->tail = last;
  return n;
}

size_t ac__spawn_take(struct ac__exec *ex) {
  if (atomic_load(&ex->spawn_len) == 0)
    return 0;
  uv_mutex_lock(&ex->inject_lock);
  size_t n = spawn_move(ex, ex, SIZE_MAX);
  uv_mutex_unlock(&ex->inject_lock);
  return n;
}

size_t ac__steal(struct ac__exec *ex) {
  struct ac__rt *rt = ex->rt;
  if (atomic_load(&rt->stop))
    return 0;
  for (unsigned k = 1; k < rt->n; k++) {
    struct ac__exec *w = rt->workers[(ex->worker_index + k) % rt->n];
    if (w == NULL || atomic_load(&w->spawn_len) == 0)
      continue;
    uv_mutex_lock(&w->inject_lock);
    /* Half, rounded up: a lone task moves too. */
    size_t n = spawn_move(w, ex, (atomic_load(&w->spawn_len) + 1) / 2);
    uv_mutex_unlock(&w->inject_lock);
    if (n != 0)
      return n;
  }
  return 0;
}

int ac__rt_sleep_enter(struct ac__exec *ex) {
  uint64_t bit = (uint64_t)1 << ex->worker_index;
  atomic_fetch_or(&ex->rt->sleeping, bit);
  /* A spawn that came before the bit was set did not see it. */
  if (ac__spawn_take(ex) == 0 && ac__steal(ex) == 0)
    return 1;
  atomic_fetch_and(&ex->rt->sleeping, ~bit);
  return 0;
}

void ac__rt_sleep_leave(struct ac__exec *ex) {
  atomic_fetch_and(&ex->rt->sleeping, ~((uint64_t)1 << ex->worker_index));
}

/* ---- Deadlock detection ------------------------------------------------- */

/* A worker is idle when nothing is queued for it and its loop has nothing
 * but the inject handle that could call back: no timer, socket, request
 * or closing handle.  Only a wake from another worker can then give it
 * work, and such a wake un-counts it (idle_clear) under the same lock
 * that queues the work.  So when the count reaches n, every worker is
 * blocked with nothing that could ever wake any of them. */
int ac__rt_idle_enter(struct ac__exec *ex) {
  struct ac__rt *rt = ex->rt;
  uv_unref((uv_handle_t *)&ex->inject_async);
  int alive = uv_loop_alive(&ex->loop);
  uv_ref((uv_handle_t *)&ex->inject_async);
  if (alive || atomic_load(&rt->stop))
    return 0;
  uv_mutex_lock(&ex->inject_lock);
  unsigned idle = 0;
  if (ex->inject_head == NULL && ex->deferred_head == NULL &&
      ex->spawn_head == NULL) {
    ex->idle = 1;
    idle = atomic_fetch_add(&rt->idle, 1) + 1;
  }
  uv_mutex_unlock(&ex->inject_lock);
  if (idle == 0)
    return 0;
  if (idle == rt->n) {
    /* The root's worker must see the flag, and it may be this worker,
     * about to block in uv_run: the send makes that run return. */
    atomic_store(&rt->deadlock, 1);
    struct ac__exec *root_worker = rt->workers[0];
    uv_mutex_lock(&root_worker->inject_lock);
    uv_async_send(&root_worker->inject_async);
    uv_mutex_unlock(&root_worker->inject_lock);
  }
  return 1;
}

void ac__rt_idle_leave(struct ac__exec *ex) {
  uv_mutex_lock(&ex->inject_lock);
  idle_clear(ex);
  uv_mutex_unlock(&ex->inject_lock);
}

int ac__rt_deadlocked(const struct ac__exec *ex) {
  return ex->rt != NULL && atomic_load(&ex->rt->deadlock);
}

/* Makes ex a worker of rt: locks, loop and async handle.  Returns 0 or a
 * UV_E* code (then ex is left as it was). */
static int worker_open(struct ac__rt *rt, struct ac__exec *ex, int index) {
  int err = ac__loop_open(ex);
  if (err != 0)
    return err;
  err = uv_async_init(&ex->loop, &ex->inject_async, inject_cb);
  if (err != 0)
    return err;
  ex->inject_async.data = ex;
  uv_mutex_init(&ex->registry_lock);
  uv_mutex_init(&ex->inject_lock);
  ex->inject_head = ex->inject_tail = NULL;
  ex->spawn_head = ex->spawn_tail = NULL;
  atomic_store(&ex->spawn_len, 0);
  ex->deferred_head = ex->deferred_tail = NULL;
  ex->inject_closed = 0;
  ex->idle = 0;
  ex->worker_index = index;
  ex->rt = rt;
  return 0;
}

static void close_nothing(uv_handle_t *h) { (void)h; }

/* Undoes worker_open once the worker's tasks are dropped: no wake may
 * reach it any more.  The loop itself is closed by ac__exec_close. */
static void worker_close_inject(struct ac__exec *ex) {
  deferred_run(ex); /* Routed while this worker waited at a gate. */
  uv_mutex_lock(&ex->inject_lock);
  assert(ex->deferred_head == NULL);
  ex->inject_closed = 1;
  ex->inject_head = ex->inject_tail = NULL;
  assert(ex->spawn_head == NULL); /* Taken by ac__exec_drop_all. */
  uv_mutex_unlock(&ex->inject_lock);
  uv_close((uv_handle_t *)&ex->inject_async, close_nothing);
}

static void worker_fini(struct ac__exec *ex) {
  uv_mutex_destroy(&ex->registry_lock);
  uv_mutex_destroy(&ex->inject_lock);
  ex->rt = NULL;
  ex->worker_index = 0;
}

/* Tells every other worker to stop. */
static void rt_stop(struct ac__rt *rt) {
  atomic_store(&rt->stop, 1);
  for (unsigned i = 1; i < rt->n; i++) {
    struct ac__exec *ex = rt->workers[i];
    if (ex == NULL)
      continue;
    uv_mutex_lock(&ex->inject_lock);
    if (!ex->inject_closed)
      uv_async_send(&ex->inject_async);
    uv_mutex_unlock(&ex->inject_lock);
  }
}

/* The teardown steps every worker takes together (see the top).  The
 * first gate makes sure no worker polls any more, so that no task is
 * spawned onto another worker's list while that worker drops its own. */
static void worker_teardown(struct ac__rt *rt, struct ac__exec *ex,
                            ac_task *root) {
  gate_wait(rt, &rt->halted);
  if (ex->rt != NULL)
    ac__exec_drop_all(ex);
  gate_wait(rt, &rt->dropped);
  if (ex->rt != NULL) {
    worker_close_inject(ex);
    ac__exec_close(ex, root);
    worker_fini(ex);
  } else {
    ac__loop_close(ex);
  }
}

struct worker_arg {
  struct ac__rt *rt;
  int index;
};

static void worker_main(void *arg) {
  struct ac__rt *rt = ((struct worker_arg *)arg)->rt;
  int index = ((struct worker_arg *)arg)->index;
  struct ac__exec *ex = ac__exec_current();
  int err = worker_open(rt, ex, index);
  if (err != 0)
    atomic_store(&rt->start_error, err);
  else
    rt->workers[index] = ex;
  ex->running = 1;
  gate_wait(rt, &rt->started);
  if (err == 0 && atomic_load(&rt->start_error) == 0)
    ac__exec_run_worker(ex);
  worker_teardown(rt, ex, NULL);
  ex->running = 0;
}

/* Starts workers 1..n-1 of rt.  If a thread cannot be created, the
 * runtime shrinks to the threads made and fails to start. */
static void rt_start_threads(struct ac__rt *rt, struct worker_arg *args) {
  unsigned made = 1;
  for (; made < rt->n; made++) {
    args[made] = (struct worker_arg){rt, (int)made};
    if (uv_thread_create(&rt->threads[made], worker_main, &args[made]) != 0)
      break;
  }
  if (made == rt->n)
    return;
  atomic_store(&rt->start_error, AC_ENOMEM);
  uv_mutex_lock(&rt->started.mutex);
  rt->n = made;
  uv_cond_broadcast(&rt->started.cond);
  uv_mutex_unlock(&rt->started.mutex);
}

/* Runs root on ex, already a worker, then stops and tears down. */
static int rt_run(struct ac__rt *rt, struct ac__exec *ex, ac_task *root) {
  gate_wait(rt, &rt->started);
  int err = atomic_load(&rt->start_error);
  if (err != 0) {
    atomic_store(&rt->stop, 1); /* Spawns by the drop stay here. */
    ac__task_fail(root, err);   /* Dropped by the run below. */
  }
  err = ac__exec_run_until_done(ex, root);
  rt_stop(rt);
  worker_teardown(rt, ex, root);
  for (unsigned i = 1; i < rt->n; i++)
    uv_thread_join(&rt->threads[i]);
  return err;
}

static int block_on_threaded(struct ac__exec *ex, ac_task *root, unsigned n);

/* The locks are taken while this runtime runs: its threads are joined
 * before the count drops, and tasks of a single-worker block_on never
 * share objects with another thread's. */
int ac__block_on_threaded(struct ac__exec *ex, ac_task *root, unsigned n) {
  uv_once(&stripes_once, stripes_init);
  __atomic_fetch_add(&ac__threaded, 1, __ATOMIC_SEQ_CST);
  int err = block_on_threaded(ex, root, n);
  __atomic_fetch_sub(&ac__threaded, 1, __ATOMIC_SEQ_CST);
  return err;
}

static int block_on_threaded(struct ac__exec *ex, ac_task *root, unsigned n) {
  struct ac__rt *rt = ac__malloc(sizeof *rt);
  struct worker_arg *args = ac__malloc(n * sizeof *args);
  int err = rt == NULL || args == NULL ? AC_ENOMEM : 0;
  if (err == 0) {
    *rt = (struct ac__rt){.n = n};
    err = worker_open(rt, ex, 0);
  }
  if (err != 0) {
    /* Runs on this thread alone, only to drop root. */
    ac__free(rt);
    ac__free(args);
    ac__task_fail(root, err);
    err = ac__exec_run_until_done(ex, root);
    ac__exec_drop_all(ex);
    ac__exec_close(ex, root);
    return err;
  }
  rt->workers[0] = ex;
  gate_init(&rt->started);
  gate_init(&rt->halted);
  gate_init(&rt->dropped);
  rt_start_threads(rt, args);
  err = rt_run(rt, ex, root);
  gate_fini(&rt->started);
  gate_fini(&rt->halted);
  gate_fini(&rt->dropped);
  ac__free(args);
  ac__free(rt);
  return err;
}

int ac__test_worker_index(void) {
  struct ac__exec *ex = ac__exec_current();
  return ex->rt != NULL ? ex->worker_index : -1;
}
