/* internal.h -- private declarations shared by the runtime's files, one
 * section per file.  Public API lives only in include/asyncc.h. */
#ifndef ASYNCC_RUNTIME_INTERNAL_H
#define ASYNCC_RUNTIME_INTERNAL_H

#include <asyncc.h>
#include <stdatomic.h>
#include <stddef.h>
#include <uv.h>

#define ac__container_of(ptr, type, member)                                    \
  ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- alloc.c ------------------------------------------------------------ */

/* Every heap allocation of the runtime goes through these, so that tests can
 * make any one of them fail. */
void *ac__malloc(size_t size);
void ac__free(void *p);

/* Test hook: the allocation with index `n` counted from now (0 = the next
 * one) returns NULL, once; a negative `n` disarms the hook.  Process-wide and
 * not thread-safe: tests only. */
void ac__test_fail_alloc(int n);

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

/* ---- executor.c --------------------------------------------------------- */

/* A unit of scheduling: one type-erased future plus its queue link.  The
 * root task of ac__block_on lives on the caller's stack. */
struct ac_task {
  ac_task *next, *prev; /* run queue links, valid while queued */
  struct ac__exec *ex; /* the executor (worker) that polls it, fixed */
  void *frame;
  ac_poll_fn poll;
  ac_drop_fn drop;
  struct ac__arena arena;
  /* 0, or the AC_E* code the task failed with.  Atomic because an abort
   * from another worker sets it while the owner polls. */
  _Atomic int err;
  unsigned char queued; /* on ex's run queue */
  /* Completed, failed or dropped: never polled again.  Written by the
   * owner, for spawned tasks under the task's lock (joiners read it). */
  unsigned char done;
  unsigned char injected; /* on ex's inject queue (under inject_lock) */
  ac_task *inject_next;   /* inject queue link, under inject_lock */
  /* task.c: spawned tasks, names and joins (the root uses id, name and the
   * live-task links only). */
  unsigned char spawned;    /* from ac__task_new, freed by task.c */
  unsigned char name_owned; /* name was copied by ac_task_set_name */
  unsigned char refs;       /* spawned: running + handle, 0 frees it */
  uint64_t id;
  const char *name;
  void *result; /* in the frame; zeroed when the task did not finish */
  size_t result_size;
  ac_task *joiner;              /* the task awaiting ac_join, or NULL */
  ac_task *live_prev, *live_next; /* ex's live tasks, in start order */
  struct ac_cleanup *cleanups;    /* cleanup.c: hooks, last pushed first */
  /* scope.c: the scope owning the task, written under the scopes mutex
   * and the task's lock; its unfinished tasks, under the mutex. */
  struct ac_scope *scope;
  ac_task *scope_prev, *scope_next;
};

/* Work routed to the worker that owns a libuv handle (workers.c): `fn`
 * runs on that worker's thread.  Embedded in the object it acts on. */
struct ac__deferred {
  struct ac__deferred *next;
  void (*fn)(struct ac__deferred *d);
};

/* The per-thread executor: its run queue and its libuv loop. */
struct ac__exec {
  uv_loop_t loop; /* valid while loop_open */
  int loop_open;
  int in_uv_run; /* inside run_until_done's uv_run: wakes stop the loop */
  int running;                   /* an ac__block_on is active on this thread */
  ac_task *head, *tail;          /* run queue, FIFO */
  ac_task *pass_last; /* the last task of the running pass, or NULL */
  ac_task *current;              /* the task being polled, or NULL */
  struct ac__timer *timer_cache; /* timer.c: stopped records for reuse */
  unsigned timer_cache_len;
  /* executor.c, task.c, blocking.c, dump.c */
  int tearing_down;               /* block_on is dropping its tasks */
  ac_task *live_head, *live_tail; /* every task not yet freed, and root */
  unsigned blocking_inflight;     /* ac_spawn_blocking works not done */
  int dump_on_signal;             /* ac_dump_on_signal(1) was called */
  struct ac__dump_signal *dump_signal; /* its handle, while running */
  /* workers.c: set while this executor is a worker of a threaded
   * runtime; the locks and the async handle exist only then. */
  struct ac__rt *rt;
  int worker_index;
  uv_mutex_t registry_lock; /* live_head..live_tail: other workers spawn
                               onto this list and ac_dump_tasks reads it */
  uv_mutex_t inject_lock;   /* inject_*, deferred_*, idle, tasks'
                               injected and inject_next */
  ac_task *inject_head, *inject_tail; /* woken from other threads */
  struct ac__deferred *deferred_head, *deferred_tail; /* ac__run_on */
  int inject_closed;                  /* inject_async is closed */
  int idle; /* counted in the runtime's idle workers (deadlock check) */
  uv_async_t inject_async;            /* drains the inject queue */
};

/* The calling thread's executor (never NULL). */
struct ac__exec *ac__exec_current(void);

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

/* ---- workers.c: the threaded flavour ------------------------------------ */

/* The number of threaded runtimes running in the process: while it is not
 * 0, the sync primitives and task handles take their locks. */
extern atomic_int ac__threaded;

static inline int ac__is_threaded(void) {
  return atomic_load_explicit(&ac__threaded, memory_order_relaxed);
}

/* For the body of a hot poll function that its public wrapper calls on
 * both the locked and the lock-free path: inlined into both, so that the
 * single-threaded flavour pays no extra call. */
#if defined(__GNUC__) || defined(__clang__)
#define AC__HOT_INLINE inline __attribute__((always_inline))
#else
#define AC__HOT_INLINE inline
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

/* Queues `t`, which belongs to another worker, on that worker's inject
 * queue and wakes its loop. */
void ac__wake_remote(ac_task *t);
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
void ac__rt_idle_leave(struct ac__exec *ex);
int ac__rt_deadlocked(const struct ac__exec *ex);
/* Takes `t` off its worker's inject queue before it is freed. */
void ac__inject_forget(ac_task *t);
/* The executor a new task is placed on when spawned from `ex`. */
struct ac__exec *ac__rt_place(struct ac__exec *ex);
/* Whether ex's runtime is stopping: tasks are no longer freed one by one
 * but all together by each worker's teardown. */
int ac__rt_stopping(const struct ac__exec *ex);
/* block_on with n > 1 workers, from ex (the calling thread's executor,
 * loop open, root queued): starts the workers, runs root, stops and joins
 * them, and tears everything down.  Returns root's error. */
int ac__block_on_threaded(struct ac__exec *ex, ac_task *root, unsigned n);
/* Test hook: the calling thread's worker index, or -1 outside a threaded
 * runtime. */
int ac__test_worker_index(void);
/* Stores the executors of ex's runtime (ex alone if it is not a worker)
 * in out[0..AC_MAX_WORKERS) and returns how many. */
unsigned ac__rt_executors(struct ac__exec *ex, struct ac__exec **out);
/* Locks ex's task registry (live list) if it is a worker. */
void ac__registry_lock(struct ac__exec *ex);
void ac__registry_unlock(struct ac__exec *ex);

/* Cancels `task` with `err` now: its frame is dropped, its cleanup hooks
 * run and it ends before this returns.  The task being polled cannot be
 * dropped under its own poll, so it is failed (ac__task_fail) instead. */
void ac__task_cancel(ac_task *task, int err);

/* ---- task.c ------------------------------------------------------------- */

/* The bytes a spawned task whose frame has `frame_size` bytes takes from
 * the allocator (for the benchmarks). */
size_t ac__task_bytes(size_t frame_size);

/* Links `t` at the end of ex's live-task list / unlinks it. */
void ac__task_link(struct ac__exec *ex, ac_task *t);
void ac__task_unlink(struct ac__exec *ex, ac_task *t);
/* Called by the executor once a spawned task has completed or been
 * dropped (t->done is set): zeroes the result of a task that failed, wakes
 * its joiner and drops the executor's reference. */
void ac__task_ended(ac_task *t);
/* block_on's teardown, once every task is done: frees every spawned task
 * on ex's live list. */
void ac__tasks_free_all(struct ac__exec *ex);

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

/* ---- trace.c: ASYNCC_TRACE and ac_trace_enable --------------------------- */

/* The executor calls the hooks below through AC__TRACE(hook, args), one
 * line at each hook point: while tracing is off, a relaxed load and a
 * branch that is not taken.  The hooks are marked cold, so that the
 * compiler keeps their calls out of the executor's hot paths. */
#if defined(__GNUC__) || defined(__clang__)
#define AC__COLD __attribute__((cold))
#else
#define AC__COLD
#endif
extern atomic_int ac__trace_on;
#define AC__TRACE(hook, ...)                                                   \
  do {                                                                         \
    if (__builtin_expect(                                                      \
            atomic_load_explicit(&ac__trace_on, memory_order_relaxed), 0))     \
      ac__trace_##hook(__VA_ARGS__);                                           \
  } while (0)
/* ASYNCC_TRACE set to anything but "" or "0": ac_trace_enable(stderr);
 * else ac_trace_enable(NULL).  Called as the program starts. */
void ac__trace_from_environment(void);
/* ac_task_wake(t) on t's own executor, before it decides anything. */
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

/* The runtime-owned part of an ac_sleep: its libuv timer and the task to
 * wake.  Records are recycled through ex->timer_cache while the loop is
 * open, so a steady stream of sleeps does not call malloc. */
struct ac__timer {
  uv_timer_t handle;
  ac_task *task;
  struct ac__timer *next; /* timer cache link */
  int fired;
};

/* Most stopped timer records kept per loop; more are closed and freed. */
#define AC__TIMER_CACHE_MAX 64

/* Closes (uv_close) every cached timer record of ex's loop. */
void ac__timer_cache_close(struct ac__exec *ex);

/* Test hook: the number of cached timer records on this thread. */
unsigned ac__test_timer_cache_len(void);

/* ---- tcp.c, fs.c, dns.c, signal.c: I/O futures -------------------------- */

/* The `state` member of the I/O futures' frames (asyncc/io.h). */
enum { AC__OP_START, AC__OP_PENDING, AC__OP_DONE };

/* Test hooks: bytes buffered by a connection between reads, and whether it
 * is reading from its socket (0 once the buffer is full). */
size_t ac__test_tcp_buffered(const ac_tcp *c);
int ac__test_tcp_reading(const ac_tcp *c);

/* Test hook: whether a file future's request is in flight (0 once it has
 * completed, even before the future is polled again). */
int ac__test_fs_busy(const struct ac__fs_op *op);
/* The same for a DNS lookup. */
int ac__test_dns_busy(const struct ac_getaddrinfo_frame *fr);

#endif /* ASYNCC_RUNTIME_INTERNAL_H */
