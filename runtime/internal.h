/* internal.h -- private declarations shared by the runtime's files, one
 * section per file.  Public API lives only in include/asyncc.h. */
#ifndef ASYNCC_RUNTIME_INTERNAL_H
#define ASYNCC_RUNTIME_INTERNAL_H

#include <asyncc.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <uv.h>

#include "sock.h"

#define ac__container_of(ptr, type, member)                                    \
  ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- alloc.c ------------------------------------------------------------ */

/* Every heap allocation of the runtime goes through these, so that tests can
 * make any one of them fail. */
void *ac__malloc(size_t size);
/* `size` bytes of fresh pages aligned to `size`, a power of two and a
 * multiple of the page size; freed with ac__unmap. */
void *ac__map_aligned(size_t size);
void ac__unmap(void *p, size_t size);
void ac__free(void *p);

/* Test hook: the allocation with index `n` counted from now (0 = the next
 * one) returns NULL, once; a negative `n` disarms the hook.  Process-wide and
 * not thread-safe: tests only. */
void ac__test_fail_alloc(int n);
/* Counts one allocation for the hook and says whether it must fail: for
 * allocators of the runtime's own (a task's slot, heap.c). */
extern int ac__fail_at; /* the hook's count, negative when disarmed */
int ac__alloc_fails_slow(void);
static inline int ac__alloc_fails(void) {
  return ac__fail_at >= 0 && ac__alloc_fails_slow();
}

/* ---- frame_arena.c ------------------------------------------------------ */

/* A per-task LIFO stack of blocks, made of chunks linked both ways.  `cur`
 * is the chunk holding the top block; chunks after it are empty and kept
 * for reuse.  Blocks point back to their arena, so it must not move while
 * blocks are allocated (tasks never move). */
struct ac__chunk;
struct ac__arena {
  struct ac__chunk *cur;
};

void ac__arena_init(struct ac__arena *a);
void *ac__arena_alloc(struct ac__arena *a, size_t size);
void ac__arena_free(void *block);
/* Frees every chunk, whether or not blocks are still allocated. */
void ac__arena_fini(struct ac__arena *a);

/* ---- task.c: the task header ------------------------------------------- */

/* A unit of scheduling: a type-erased future (its type's poll and drop,
 * and the frame right after the header) plus what the executor needs in
 * the hot path, in six words.  The rarely used parts live in an extension
 * allocated the first time one is needed.  A spawned task's header and
 * frame are one slot of its executor's task heap (heap.c); the root task
 * of ac__block_on lives on the caller's stack (struct ac__root). */
struct ac__task_ext;
struct ac_task {
  ac_task *next;                   /* the queue it is on, if queued */
  const struct ac_task_type *type; /* poll, drop, name, result */
  ac_task *joiner;                 /* the task awaiting ac_join, or NULL */
  /* Rare parts, or NULL; atomic, as a scope on another worker may be
   * the first to want them. */
  struct ac__task_ext *_Atomic ext;
  uint64_t id;
  /* 0, or the AC_E* code the task failed with.  Atomic because an abort
   * from another worker sets it while the owner polls. */
  _Atomic int err;
  /* AC__T_QUEUED and AC__T_DONE: plain on one worker, atomic on several
   * (ac__task_state and friends below). */
  unsigned char state;
  unsigned char refs;   /* spawned: running + handle; 0 frees it */
  unsigned char worker; /* the worker polling it, AC__NO_WORKER before a
                           threaded runtime's task starts (workers.c) */
  unsigned char flags; /* AC__T_ROOT, AC__T_BIG, AC__T_FORWARDS, AC__T_RELEASED;
                          the owner's */
};

/* ac_task.state */
enum {
  AC__T_QUEUED = 1, /* on a run, spawn or inject queue */
  AC__T_DONE = 2    /* completed, failed or dropped: never polled again */
};
/* ac_task.flags */
enum {
  AC__T_ROOT = 1,     /* block_on's root: struct ac__root, not in a heap */
  AC__T_BIG = 2,      /* allocated apart from the heap's slabs (heap.c) */
  AC__T_FORWARDS = 4, /* a root whose frame and functions are set */
  AC__T_RELEASED = 8  /* ASYNCC_DEBUG: the handle was given up; set and
                         read atomically, by the handle's owner */
};
#define AC__NO_WORKER 0xff

/* The frame follows the header, which is a multiple of max_align_t. */
#define AC__HEADER_SIZE                                                        \
  ((sizeof(ac_task) + alignof(max_align_t) - 1) / alignof(max_align_t) *       \
   alignof(max_align_t))

static inline void *ac__task_frame(const ac_task *t) {
  return (char *)t + AC__HEADER_SIZE;
}

/* The rare parts of a task. */
struct ac__task_ext {
  char *name;                  /* copied by ac_task_set_name, or NULL */
  struct ac_cleanup *cleanups; /* cleanup.c: hooks, last pushed first */
  /* scope.c: the scope owning the task, written under the scopes mutex
   * and the task's lock; its unfinished tasks, under the mutex. */
  struct ac_scope *scope;
  ac_task *scope_prev, *scope_next;
  struct ac__arena arena; /* frame_arena.c */
};

/* The task's extension, allocated if need be; NULL when out of memory. */
struct ac__task_ext *ac__task_ext(ac_task *t);

/* The root task of a block_on: a header whose "frame" is where the real
 * frame and its functions are; its type's poll and drop forward to them,
 * so that the executor treats it like any task. */
struct ac__root {
  ac_task t;
  void *frame;
  ac_poll_fn poll;
  ac_drop_fn drop;
};
/* The frame and poll function a dump or the trace shows for `t`: NULL
 * for a root in its first poll, which block_on makes before it stores
 * them (AC__T_FORWARDS). */
void *ac__task_shown_frame(const ac_task *t, ac_poll_fn *poll);

/* The name shown in task dumps. */
const char *ac__task_name(const ac_task *t);

/* The bytes a spawned task whose frame has `frame_size` bytes takes from
 * the allocator (for the benchmarks). */
size_t ac__task_bytes(size_t frame_size);

/* Called by the executor once a spawned task has completed or been
 * dropped: zeroes the result of a task that failed, marks it done, wakes
 * its joiner and drops the executor's reference. */
void ac__task_ended(ac_task *t);
/* Frees a spawned task whose last reference went. */
void ac__task_free(ac_task *t);
/* Frees what a task holds apart from its own memory (its extension):
 * at teardown, before the heap is freed in one go, and for a root. */
void ac__task_fini(ac_task *t);
/* A done task has left its last queue (the executor popped it): frees
 * it if no reference is left. */
void ac__task_unqueued(ac_task *t);

/* ---- heap.c: task memory ------------------------------------------------ */

/* Spawned tasks are allocated in slabs of equal slots, one list of slabs
 * per size class, and tasks too big for a slab on their own.  The heap
 * is the registry of tasks as well: ac_dump_tasks and block_on's teardown
 * walk it, so a task needs no list links. */
#define AC__SLAB_CLASSES 65 /* slots of 16, 32, ... 1024 bytes */
struct ac__slab;
struct ac__big;
struct ac__heap {
  struct ac__slab *partial[AC__SLAB_CLASSES]; /* slabs with free slots */
  struct ac__slab *full[AC__SLAB_CLASSES];    /* slabs without */
  struct ac__slab *spare[AC__SLAB_CLASSES];   /* an empty slab kept */
  struct ac__big *big;                        /* tasks apart, linked */
  size_t live;                                /* tasks allocated */
};

/* Returns `size` bytes (max_align_t aligned) for a task, setting *big if
 * they were allocated apart; NULL when out of memory. */
void *ac__heap_alloc(struct ac__heap *h, size_t size, int *big);
/* Frees a block of ac__heap_alloc (`big` as it was set); the heap is
 * found from the block. */
void ac__heap_free(void *p, int big);
/* Calls fn on every allocated task of h, in no particular order; fn may
 * not free tasks. */
void ac__heap_each(struct ac__heap *h, void (*fn)(ac_task *t, void *arg),
                   void *arg);
/* Frees every slab and block of h (every task must be done). */
void ac__heap_fini(struct ac__heap *h);
/* The bytes ac__heap_alloc takes for `size`. */
size_t ac__heap_block_size(size_t size);
/* The heap holding p, or NULL for a block allocated apart. */
struct ac__heap *ac__heap_of(void *p, int big);

/* ---- trace.c: ASYNCC_TRACE and ac_trace_enable --------------------------- */

/* The runtime calls the hooks below through AC__TRACE(hook, args), one
 * line at each hook point: while tracing is off, a relaxed load and a
 * branch that is not taken.  The hooks are marked cold, so that the
 * compiler keeps their calls out of the executor's hot paths.  Built
 * with AC__NO_TRACE_HOOKS defined (bench/trace.py's baseline), every
 * hook and test of the flag compiles to nothing. */
#if defined(__GNUC__) || defined(__clang__)
#define AC__COLD __attribute__((cold))
#else
#define AC__COLD
#endif
/* ---- debug.c: ASYNCC_DEBUG=1 ------------------------------------------- */

/* Hidden: read directly, not through the GOT, in the hot paths. */
extern int ac__debug_on __attribute__((visibility("hidden")));
#define ac__debugging() __builtin_expect(ac__debug_on, 0)
/* Prints "asyncc: ASYNCC_DEBUG: " and the message, and aborts. */
AC__COLD __attribute__((format(printf, 1, 2))) _Noreturn void
ac__debug_fail(const char *fmt, ...);
/* Fails if the handle t was given up already (debugging only). */
AC__COLD void ac__debug_handle(const ac_task *t, const char *op);
/* Keeps `object`, which would be freed, until the process exits. */
void ac__debug_keep(void *object);
/* At the top of each operation on a stream or listener `obj`. */
#define AC__DEBUG_USE(obj, op)                                                 \
  do {                                                                         \
    if (ac__debugging() && (obj) != NULL && atomic_load(&(obj)->closing))      \
      ac__debug_fail("%s: used after its close", op);                          \
  } while (0)

extern atomic_int ac__trace_on;
/* Whether tracing is on. */
#ifdef AC__NO_TRACE_HOOKS
#define ac__tracing() 0
#else
#define ac__tracing()                                                          \
  __builtin_expect(atomic_load_explicit(&ac__trace_on, memory_order_relaxed), 0)
#endif
#define AC__TRACE(hook, ...)                                                   \
  do {                                                                         \
    if (ac__tracing())                                                         \
      ac__trace_##hook(__VA_ARGS__);                                           \
  } while (0)
struct ac__exec;
/* ASYNCC_TRACE set to anything but "" or "0": ac_trace_enable(stderr);
 * else ac_trace_enable(NULL).  Called as the program starts. */
void ac__trace_from_environment(void);
/* block_on's root t is queued for its first poll (block_on takes its
 * queued path while tracing, so that the executor polls the root). */
AC__COLD void ac__trace_start(const ac_task *t);
/* The new task t is spawned, before it is queued. */
AC__COLD void ac__trace_spawn(const ac_task *t);
/* ac_task_wake(t), before it decides anything: once per wake, on the
 * waker's thread. */
AC__COLD void ac__trace_wake(const ac_task *t);
/* Just before the executor polls t, and just after, with the result. */
AC__COLD void ac__trace_poll(const ac_task *t);
AC__COLD void ac__trace_polled(const ac_task *t, ac_poll r);
/* Just before t's frame is dropped (t->err says why). */
AC__COLD void ac__trace_drop(const ac_task *t);
/* When t ends, finished or dropped, before it may be freed. */
AC__COLD void ac__trace_end(const ac_task *t);
/* Before each turn of ex's libuv loop. */
AC__COLD void ac__trace_turn(const struct ac__exec *ex);

/* ---- executor.c --------------------------------------------------------- */

/* Work routed to the worker that owns a libuv handle (workers.c): `fn`
 * runs on that worker's thread.  Embedded in the object it acts on. */
struct ac__deferred {
  struct ac__deferred *next;
  void (*fn)(struct ac__deferred *d);
};

/* timer.c: the executor's sleeps, a pairing heap ordered by deadline and
 * start, and the one libuv timer set for the earliest. */
struct ac__timers {
  struct ac__timer_node *root;
  uint64_t seq;      /* of the last sleep started */
  uv_timer_t handle; /* valid while handle_open */
  int handle_open;
};

/* The per-thread executor: its run queue, its task heap, its timers and
 * its libuv loop. */
struct ac__exec {
  /* The run queue, FIFO through ac_task.next; this thread's only. */
  ac_task *head, *tail;
  ac_task *current; /* the task being polled, or NULL */
  int in_uv_run;    /* inside the executor's uv_run: wakes stop the loop */
  int running;      /* an ac__block_on is active on this thread */
  int loop_open;
  /* workers.c: set while this executor is a worker of a threaded
   * runtime; the locks, queues and async handle exist only then. */
  struct ac__rt *rt;
  int worker_index;
  struct ac__heap heap;     /* heap.c; under registry_lock if rt */
  struct ac__timers timers; /* timer.c */
  /* executor.c, task.c, blocking.c, dump.c */
  int tearing_down;                    /* block_on is dropping its tasks */
  ac_task *root;                       /* block_on's root while it runs */
  unsigned blocking_inflight;          /* ac_spawn_blocking works not done */
  int dump_on_signal;                  /* ac_dump_on_signal(1) was called */
  struct ac__dump_signal *dump_signal; /* its handle, while running */
  uv_mutex_t registry_lock;           /* the heap: other workers free tasks into
                                         it and ac_dump_tasks walks it */
  uv_mutex_t inject_lock;             /* inject_*, spawn_*, deferred_*, idle */
  ac_task *inject_head, *inject_tail; /* woken from other threads */
  ac_task *spawn_head, *spawn_tail;   /* spawned, not started: stealable */
  atomic_size_t spawn_len;
  struct ac__deferred *deferred_head, *deferred_tail; /* ac__run_on */
  int inject_closed; /* inject_async is closed */
  int idle; /* counted in the runtime's idle workers (deadlock check) */
  uv_async_t inject_async; /* drains the inject queue */
  uv_loop_t loop;          /* valid while loop_open */
};

/* The calling thread's executor (executor.c). */
extern _Thread_local struct ac__exec ac__exec_tls;

/* The calling thread's executor (never NULL). */
static inline struct ac__exec *ac__exec_current(void) { return &ac__exec_tls; }

/* The executor that polls `t`. */
struct ac__exec *ac__task_exec(const ac_task *t);

/* The executor polling cx's task, with its loop open: a block_on polls
 * its root once before it opens the loop, so a leaf future that needs
 * the loop asks for it here.  0, or the error of opening the loop (see
 * loop.c, below). */
static inline int ac__cx_exec(ac_cx *cx, struct ac__exec **out);

/* The task state of `t` on `ex`'s runtime (atomic when it is threaded). */
static inline unsigned ac__task_state(const ac_task *t) {
  return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

/* Marks `task` failed with `err` (a negative AC_E* code; the first one
 * wins) and makes sure the executor sees it: the task's frame is dropped and
 * the task never polled again. */
void ac__task_fail(ac_task *task, int err);

/* Runs ex's tasks and loop until its runtime stops (a worker thread). */
void ac__exec_run_worker(struct ac__exec *ex);
/* block_on's teardown in two steps: drops every pending task (waiting for
 * blocking work), then frees every task and closes the loop.  `root` is
 * NULL on worker threads. */
void ac__exec_drop_all(struct ac__exec *ex);
void ac__exec_close(struct ac__exec *ex, ac_task *root);
/* Runs tasks and the loop until `root` is done; returns root's error. */
int ac__exec_run_until_done(struct ac__exec *ex, ac_task *root);
/* Appends t, already marked queued, to ex's run queue (ex's thread). */
static inline void ac__exec_push(struct ac__exec *ex, ac_task *t) {
  t->next = NULL;
  if (ex->tail != NULL)
    ex->tail->next = t;
  else
    ex->head = t;
  ex->tail = t;
}

/* Cancels `task` with `err` now: its frame is dropped, its cleanup hooks
 * run and it ends before this returns.  The task being polled cannot be
 * dropped under its own poll, so it is failed (ac__task_fail) instead. */
void ac__task_cancel(ac_task *task, int err);

/* ---- workers.c: the threaded flavour ------------------------------------ */

/* ac__threaded (asyncc/sync.h) is the number of threaded runtimes running
 * in the process: while it is not 0, the sync primitives and task handles
 * take their locks.  Public for the mailbox's inline poll, it is an int
 * read and written with atomic builtins. */
static inline int ac__is_threaded(void) {
  return __atomic_load_n(&ac__threaded, __ATOMIC_RELAXED);
}

/* For the body of a hot poll function that its public wrapper calls on
 * both the locked and the lock-free path: inlined into both, so that the
 * single-threaded flavour pays no extra call. */
#if defined(__GNUC__) || defined(__clang__)
#define AC__HOT_INLINE inline __attribute__((always_inline))
#else
#define AC__HOT_INLINE inline
#endif

/* For the locked path of such a function: kept out of line, so that the
 * hot path saves no registers for it. */
#if defined(__GNUC__) || defined(__clang__)
#define AC__OUT_OF_LINE __attribute__((noinline, cold))
#else
#define AC__OUT_OF_LINE
#endif

/* Locks guarding objects shared between workers: sync primitives, task
 * handles.  A lock is chosen by hashing the object's address into a fixed
 * table, so the public structs carry no lock.  ac__lock returns whether it
 * locked (only in a threaded process); pass that to ac__unlock.  Never
 * take two at once (scope.c's mutex may be held around one). */
int ac__lock_slow(const void *obj);
void ac__unlock_slow(const void *obj);
static inline int ac__lock(const void *obj) {
  return ac__is_threaded() ? ac__lock_slow(obj) : 0;
}
static inline void ac__unlock(const void *obj, int locked) {
  if (locked)
    ac__unlock_slow(obj);
}

/* The number of workers the next block_on uses, once known: 0 until
 * ASYNCC_WORKERS has been read (ac_runtime_workers reads it). */
extern atomic_uint ac__workers;

/* ac_task_wake in a threaded runtime (ex is the caller's executor). */
void ac__wake_threaded(struct ac__exec *ex, ac_task *t);
/* Queues the new task t on ex, a worker: on its spawn queue, from which
 * an idle worker may steal it until ex starts it. */
void ac__spawn_threaded(struct ac__exec *ex, ac_task *t);
/* Moves ex's spawn queue to its run queue (at the start of a pass, and
 * before the worker would block); returns how many tasks it moved. */
size_t ac__spawn_take(struct ac__exec *ex);
/* An idle worker's attempt to steal tasks not started yet from another
 * worker; returns how many it queued on ex. */
size_t ac__steal(struct ac__exec *ex);
/* Runs d->fn on ex's thread: at once if that is the calling thread,
 * else from ex's inject handle (or from its teardown, before its loop is
 * closed). */
void ac__run_on(struct ac__exec *ex, struct ac__deferred *d);
/* The deadlock check of a threaded runtime.  A worker calls idle_enter
 * before it blocks in its loop with no task queued; idle_enter returns 1
 * if it counted the worker as idle (then idle_leave must follow the
 * blocking run).  When every worker is idle, the runtime is deadlocked:
 * ac__rt_deadlocked then says so to worker 0, which fails its root. */
int ac__rt_idle_enter(struct ac__exec *ex);
/* A worker about to block in its loop marks itself sleeping, so that a
 * spawn elsewhere wakes it to steal, then looks for work one last time:
 * returns 1 if it may block (then sleep_leave must follow), 0 if it
 * found tasks. */
int ac__rt_sleep_enter(struct ac__exec *ex);
void ac__rt_sleep_leave(struct ac__exec *ex);
void ac__rt_idle_leave(struct ac__exec *ex);
int ac__rt_deadlocked(const struct ac__exec *ex);
/* Takes `t` off its worker's inject queue before it is freed (a root
 * task, whose memory goes when block_on returns). */
void ac__inject_forget(struct ac__exec *ex, ac_task *t);
/* Whether ex's runtime is stopping: tasks are no longer freed one by one
 * but all together by each worker's teardown. */
int ac__rt_stopping(const struct ac__exec *ex);
/* block_on with n > 1 workers, from ex (the calling thread's executor,
 * loop open, root queued): starts the workers, runs root, stops and joins
 * them, and tears everything down.  Returns root's error. */
int ac__block_on_threaded(struct ac__exec *ex, ac_task *root, unsigned n);
/* ac__wake_task's other cases: a threaded runtime, a task queued already
 * or done, a wake while tracing (the trace is told of every wake here),
 * and a wake from a libuv callback.  Such a wake happens inside
 * the executor's uv_run, which would otherwise go on to block for I/O
 * (with UV_RUN_ONCE, after running the due timers) while a task is
 * runnable: the loop is stopped, which makes that poll non-blocking and
 * returns to the executor.  (Outside uv_run the stop flag would make the
 * next uv_run do nothing at all.) */
void ac__wake_slow(struct ac__exec *ex, ac_task *t);

/* ac_task_wake of a task (not NULL), inlined into the runtime's own leaf
 * futures: with one worker and outside the loop's callbacks, a test and
 * an append, which need no call. */
static inline void ac__wake_task(ac_task *t) {
  struct ac__exec *ex = &ac__exec_tls;
  if (ex->rt != NULL || t->state != 0 || ex->in_uv_run || ac__tracing()) {
    ac__wake_slow(ex, t);
    return;
  }
  t->state = AC__T_QUEUED;
  ac__exec_push(ex, t);
}

/* ac_task_wake. */
static inline void ac__wake(ac_task *t) {
  if (t != NULL)
    ac__wake_task(t);
}

/* Test hook: the calling thread's worker index, or -1 outside a threaded
 * runtime. */
int ac__test_worker_index(void);
/* Test hook: with `on`, a threaded runtime places each new task on the
 * next worker round-robin instead of the spawner's, so that tests can
 * make tasks of different workers meet. */
void ac__test_place_round_robin(int on);
/* Stores the executors of ex's runtime (ex alone if it is not a worker)
 * in out[0..AC_MAX_WORKERS) and returns how many. */
unsigned ac__rt_executors(struct ac__exec *ex, struct ac__exec **out);
/* The executor of worker i of ex's runtime. */
struct ac__exec *ac__rt_worker(const struct ac__exec *ex, unsigned i);
/* Locks ex's task registry (heap) if it is a worker. */
static inline void ac__registry_lock(struct ac__exec *ex) {
  if (ex->rt != NULL)
    uv_mutex_lock(&ex->registry_lock);
}
static inline void ac__registry_unlock(struct ac__exec *ex) {
  if (ex->rt != NULL)
    uv_mutex_unlock(&ex->registry_lock);
}

/* ---- scope.c ------------------------------------------------------------ */

/* Called by task.c when a task owned by a scope ends, on the task's
 * worker: unlinks it, records its error and wakes the scope's joiner;
 * does nothing if an abandoned scope let go of it meanwhile.  Releases
 * the scope's reference to the task, which must still hold the
 * executor's. */
void ac__scope_task_ended(ac_task *t);

/* ---- blocking.c --------------------------------------------------------- */

/* Runs ex's loop until every ac_spawn_blocking work it started has
 * finished, so that block_on returns with no request in flight. */
void ac__blocking_wait(struct ac__exec *ex);

/* ---- dump.c ------------------------------------------------------------- */

/* Starts / closes the SIGUSR1 handle of ac_dump_on_signal on ex's loop;
 * block_on calls them as it begins and ends. */
void ac__dump_signal_start(struct ac__exec *ex);
void ac__dump_signal_close(struct ac__exec *ex);
/* Says that the root future of the calling thread's block_on is pending
 * with nothing left to wake a task, and prints the task dump, which shows
 * the await each task is stuck in.  Called before the root is dropped. */
void ac__dump_deadlock(FILE *out);

/* Await chains deeper than this are cut: a corrupt frame must not loop the
 * dump or the trace. */
#define AC__CHAIN_MAX_DEPTH 64
/* The state description of `frame`, a future described by `info`, with
 * its raw state in *state; NULL for a leaf future (no states) or a state
 * out of range. */
const struct ac_state_info *ac__future_state(const struct ac_future_info *info,
                                             const void *frame, int *state);
/* The frame that `aw` says is awaited in `frame`: for an indirect await,
 * the pointer stored there (NULL while not allocated). */
const void *ac__await_frame(const void *frame, const struct ac_await_info *aw);
/* The poll of the future awaited there (told by a stub call's struct
 * ac_dyn when the await is one). */
ac_poll_fn ac__await_poll(const void *frame, const struct ac_await_info *aw);

/* ---- waiter.c: wait lists of the sync primitives ------------------------ */

/* Appends `w` (state AC__W_WAITING) / unlinks it / takes the first waiter
 * (unlinked, state AC__W_NOTIFIED) and wakes its task; NULL if empty. */
void ac__wait_push(struct ac__wait_list *l, struct ac__waiter *w,
                   ac_task *task);
void ac__wait_remove(struct ac__wait_list *l, struct ac__waiter *w);
struct ac__waiter *ac__wait_wake_one(struct ac__wait_list *l);
/* Wakes every waiter, setting n of each to `n`. */
void ac__wait_wake_all(struct ac__wait_list *l, size_t n);
/* The poll step shared by the primitives whose waiters are granted what
 * they wait for before they are woken (mutex, semaphore, notify, cancel):
 * for a waiter past AC__W_IDLE, stores the poll's result in *r and returns
 * 1; returns 0 for a first poll, which the primitive handles. */
int ac__wait_resume(struct ac__waiter *w, ac_cx *cx, ac_poll *r);

/* ---- loop.c ------------------------------------------------------------- */

/* Opens ex's loop if it is not open yet; returns 0 or a UV_E* code. */
int ac__loop_open(struct ac__exec *ex);

/* The calling thread's executor if a block_on runs there and its loop is
 * open (opening it if need be), else NULL.  An object bound to no loop
 * closes on it, so that its memory, like a bound one's, outlives the
 * close call until the close callback: closing twice stays harmless. */
struct ac__exec *ac__loop_here(void);

static inline int ac__cx_exec(ac_cx *cx, struct ac__exec **out) {
  (void)cx; /* A task is polled on its own worker's thread. */
  struct ac__exec *ex = &ac__exec_tls;
  *out = ex;
  return ex->loop_open ? 0 : ac__loop_open(ex);
}

/* Closes every handle the runtime caches, runs the loop until all pending
 * close callbacks have run, then closes the loop.  If handles the runtime
 * does not own are still open, the loop stays open for the next
 * ac__block_on on this thread. */
void ac__loop_close(struct ac__exec *ex);

/* Test hooks: whether the calling thread's loop is open, and how many
 * handles (open or closing) it has; 0 when it is not open. */
int ac__test_loop_open(void);
int ac__test_loop_handles(void);

/* ---- timer.c ------------------------------------------------------------ */

/* Closes the executor's libuv timer (with its loop). */
void ac__timers_close(struct ac__exec *ex);

/* ---- I/O futures (stream.c ... signal.c) ------------------------------- */

/* The `state` member of the I/O futures' frames (asyncc/io.h, stream.h). */
enum { AC__OP_START, AC__OP_PENDING, AC__OP_DONE };

/* ---- stream.c, reader.c, write.c: streams ------------------------------- */

/* What a stream's (or listener's) handle is. */
enum { AC__STREAM_TCP, AC__STREAM_PIPE };

union ac__stream_handle {
  uv_handle_t handle;
  uv_stream_t stream;
  uv_tcp_t tcp;
  uv_pipe_t pipe;
};

/* Initialises h as a handle of `kind` on `loop`, pointing back to `data`;
 * cannot fail on Unix (stream.c). */
void ac__handle_init(union ac__stream_handle *h, int kind, uv_loop_t *loop,
                     void *data);
/* Gives the initialised h the socket `fd`: 0, or a UV_E* code (the
 * caller still owns fd then). */
int ac__handle_open(union ac__stream_handle *h, int kind, int fd);

/* A stream.  Its read buffer holds buf[pin, end): bytes from `start` on
 * are unread; those in [pin, start) were handed out (read_until, peek)
 * and stay put until the next read operation begins, which moves `pin`
 * up to `start` and only then may move data (compaction). */
struct ac_stream {
  union ac__stream_handle h; /* initialised once bound */
  /* The worker whose loop has the handle; NULL while an accepted socket
   * is not bound yet (it is then only `fd`). */
  _Atomic(struct ac__exec *) owner;
  int fd;   /* the descriptor, or -1 while libuv has not made it yet */
  int kind; /* AC__STREAM_* */
  atomic_int closing;             /* a close was asked for */
  int reset;                      /* the close asked for is a reset */
  struct ac__deferred close_work; /* a close from another worker */
  uv_connect_t connect_req;
  uv_shutdown_t shutdown_req;
  ac_task *connect_task; /* to wake when connected; NULL once dropped */
  int connecting;        /* connect_req is in flight */
  int connect_status;
  struct ac__stream_read_op *reader;        /* the pending read, or NULL */
  struct ac__stream_write_op *writer;       /* the pending write, or NULL */
  struct ac_stream_shutdown_frame *shutter; /* the pending shutdown */
  char *buf; /* `cap` bytes, or NULL until needed */
  size_t cap;
  size_t pin, start, end;
  int rerr;    /* 0, or UV_EOF or the read error: sticky */
  int reading; /* uv_read_start is in effect */
  int nobufs;  /* the buffer could not be allocated: the pending read
                  fails with AC_ENOMEM */
};

/* A stream of `kind` whose handle is on ex's loop; NULL when out of
 * memory. */
ac_stream *ac__stream_new(struct ac__exec *ex, int kind);
/* A stream of `kind` holding the connected descriptor `fd`, bound to no
 * loop yet (threaded flavour: accepted streams). */
ac_stream *ac__stream_unbound(int kind, int fd);
/* Whether cx's task may use s: 0 if s is on its worker's loop (binding
 * it there first if it was on none), AC_EXDEV if it is on another's, or
 * the error of binding it. */
int ac__stream_claim(ac_stream *s, ac_cx *cx);
/* Records the descriptor libuv made for s (after accept or connect). */
void ac__stream_take_fd(ac_stream *s);

/* The poll of every connect future: at the first poll, makes a stream of
 * `kind` on the task's loop and starts `start` on it with `arg` (arg NULL:
 * the arguments were invalid), then waits.  On completion sets *result,
 * and *out on success. */
typedef int (*ac__connect_fn)(ac_stream *s, const void *arg, uv_connect_cb cb);
ac_poll ac__connect_poll(int kind, ac__connect_fn start, const void *arg,
                         ac_stream **out, ac_stream **conn, int *state,
                         int *result, ac_cx *cx);
void ac__connect_drop(ac_stream **conn, int *state);

/* A read operation's first poll (every read future of stream.c and
 * reader.c): claims the stream, registers op as its reader and releases
 * what the last operation handed out, compacting a full buffer.  0 or an
 * error. */
int ac__read_begin(struct ac__stream_read_op *op, ac_cx *cx);
/* Ends op: unregisters it.  Returns AC_READY. */
ac_poll ac__read_end(struct ac__stream_read_op *op);
/* Keeps reading from the socket while the buffer has room. */
void ac__read_start(ac_stream *s);
/* Allocates s's buffer if it has none: 0 or AC_ENOMEM. */
int ac__buffer_alloc(ac_stream *s);
/* Moves the unread bytes to the front of the buffer (pending read
 * operations only: nothing handed out may be pinned). */
void ac__buffer_compact(ac_stream *s);
/* Compacts if that is free (nothing unread) or needed (the buffer is
 * full), and nothing handed out is pinned. */
void ac__buffer_reclaim(ac_stream *s);

/* listener.c: a listening socket of either kind, bound to the loop of
 * the worker that first accepts on it. */
struct ac_listener {
  union ac__stream_handle h; /* initialised once bound */
  int kind;                  /* AC__STREAM_* */
  int fd;                    /* the listening socket */
  int backlog;
  char *path; /* a Unix-domain listener's path, removed at the close */
  /* The worker whose loop has the handle: the first to accept (as an
   * accepted stream is bound by its first operation); NULL before. */
  _Atomic(struct ac__exec *) owner;
  struct ac__deferred close_work;            /* a close from another worker */
  atomic_int closing;                        /* a close was asked for */
  struct ac_listener_accept_frame *acceptor; /* the pending accept */
  int ready;    /* libuv holds a connection for uv_accept */
  int err;      /* a listen error for the next accept, or 0 */
  int open_err; /* opening it on its owner's loop failed: every accept's */
};

/* Listens on the bound socket `fd` and makes a listener of `kind` of it
 * (for a Unix-domain one, with a copy of `path`, which its close
 * removes): 0 and the listener in *out, or an error with fd closed and
 * path removed. */
int ac__listener_new(int kind, int fd, int backlog, const char *path,
                     ac_listener **out);

/* Test hooks: bytes buffered by a stream between reads; whether it is
 * reading from its socket (0 once the buffer is full); whether its
 * buffer is allocated. */
size_t ac__test_stream_buffered(const ac_stream *s);
int ac__test_stream_reading(const ac_stream *s);
int ac__test_stream_has_buffer(const ac_stream *s);

/* Test hook: whether a file future's request is in flight (0 once it has
 * completed, even before the future is polled again). */
int ac__test_fs_busy(const struct ac__fs_op *op);
/* The same for a DNS lookup. */
int ac__test_dns_busy(const struct ac_getaddrinfo_frame *fr);

#endif /* ASYNCC_RUNTIME_INTERNAL_H */
