/* executor.c -- the run queue, wakers, the cooperative budget and
 * ac__block_on.
 *
 * A task is queued when woken and polled once per wake: waking a queued
 * task does nothing, and a task woken while it is being polled goes to the
 * back of the queue.  The executor works in passes: a pass polls the tasks
 * that were queued when it began.  The libuv loop gets a turn when the
 * queue runs dry (blocking, UV_RUN_ONCE, until a callback wakes a task)
 * and, while tasks keep the queue busy, after every AC__PASSES_PER_TURN
 * passes (without blocking), so a task that keeps waking itself cannot
 * starve timers and I/O, and a task that keeps awaiting futures that are
 * ready at once is sent back to the queue by the budget (ac_budget_spend)
 * every AC_TASK_BUDGET awaits.  Not turning the loop after every pass
 * is what makes a task switch cheap: two tasks handing a value back and
 * forth are a pass each.
 *
 * ac__block_on polls its root once before it does anything else, and
 * opens the loop only when a future needs it (ac__cx_exec): a root that
 * completes at once, with no task spawned, costs a handful of stores
 * around its poll.
 *
 * The trace (trace.c) is told of each wake, poll, drop, end and loop
 * turn below through one-line AC__TRACE hooks: a relaxed load and an
 * untaken branch while it is off.  A wake passes its hook only on its
 * slow path, which tracing selects, so that the inlined fast path of
 * the leaf futures' wakes saves no register for a call it never makes.
 * While tracing, block_on queues its root instead of polling it at
 * once, so that the root's polls pass the same hooks as any task's. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Passes between two turns of the loop while tasks are queued (tokio
 * turns its driver every 61 polls). */
#define AC__PASSES_PER_TURN 61

_Thread_local struct ac__exec ac__exec_tls;

struct ac__exec *ac__task_exec(const ac_task *t) {
  struct ac__exec *ex = &ac__exec_tls;
  if (ex->rt == NULL)
    return ex;
  unsigned w = __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE);
  return w == AC__NO_WORKER ? NULL : ac__rt_worker(ex, w);
}

void ac_task_wake(ac_task *t) { ac__wake(t); }

void ac__wake_slow(struct ac__exec *ex, ac_task *t) {
  AC__TRACE(wake, t);
  if (ex->rt != NULL) {
    ac__wake_threaded(ex, t);
    return;
  }
  if (t->state != 0) /* queued already, or done */
    return;
  t->state = AC__T_QUEUED;
  ac__exec_push(ex, t);
  if (ex->in_uv_run) /* else only tracing made the wake slow */
    uv_stop(&ex->loop);
}

/* Takes the first task off the run queue; it is no longer queued unless
 * it is done (a done task leaves its queue through ac__task_unqueued). */
static ac_task *queue_pop(struct ac__exec *ex) {
  ac_task *t = ex->head;
  if (t == NULL)
    return NULL;
  ex->head = t->next;
  if (ex->head == NULL)
    ex->tail = NULL;
  return t;
}

static void state_or(struct ac__exec *ex, ac_task *t, unsigned char bits) {
  if (ex->rt != NULL)
    __atomic_fetch_or(&t->state, bits, __ATOMIC_ACQ_REL);
  else
    t->state |= bits;
}

void ac__task_fail(ac_task *t, int err) {
  assert(err < 0);
  struct ac__exec *ex = &ac__exec_tls;
  if (ex->rt != NULL) {
    /* Another worker may poll it: the error is published atomically and
     * the task woken through its owner (or, not started yet, it is
     * dropped when it is taken). */
    int zero = 0;
    if (!(ac__task_state(t) & AC__T_DONE) &&
        atomic_compare_exchange_strong(&t->err, &zero, err))
      ac_task_wake(t);
    return;
  }
  if (t->state & AC__T_DONE)
    return;
  if (t->err == 0)
    t->err = err;
  /* A task failing inside its own poll is handled when the poll returns. */
  if (t != ex->current)
    ac_task_wake(t);
}

ac_poll ac_budget_spend(ac_cx *cx) {
  assert(cx != NULL && cx->task != NULL);
  if (cx->budget > 0) {
    cx->budget--;
    return AC_READY;
  }
  ac_task_wake(cx->task);
  return AC_PENDING;
}

/* Marks `t` done; a spawned task is handed to task.c, which may free it
 * (and marks it done itself, under the lock that joiners on other
 * workers take). */
static void task_end(struct ac__exec *ex, ac_task *t) {
  AC__TRACE(end, t);
  if (t->flags & AC__T_ROOT)
    state_or(ex, t, AC__T_DONE);
  else
    ac__task_ended(t);
}

/* Drops the frame chain of `t`, which failed or was aborted, runs its
 * cleanup hooks and ends it. */
static void task_drop(struct ac__exec *ex, ac_task *t) {
  AC__TRACE(drop, t);
  t->type->drop(ac__task_frame(t));
  ac__cleanup_run_all(t);
  task_end(ex, t);
}

/* A task that ended while queued has been taken off its queue: only now
 * may it be freed. */
static void task_unqueued(struct ac__exec *ex, ac_task *t) {
  if (!(t->flags & AC__T_ROOT))
    ac__task_unqueued(t);
  else if (ex->rt != NULL)
    __atomic_fetch_and(&t->state, (unsigned char)~AC__T_QUEUED,
                       __ATOMIC_RELEASE);
  else
    t->state &= (unsigned char)~AC__T_QUEUED;
}

/* Polls `t` (taken off the queue and no longer marked queued) once with a
 * fresh budget, or drops its frame if it failed or was aborted.  `t` may
 * be freed when this returns. */
static AC__HOT_INLINE void task_poll(struct ac__exec *ex, ac_task *t) {
  if (t->err == 0) {
    ac_cx cx = {t, AC_TASK_BUDGET};
    ex->current = t;
    AC__TRACE(poll, t);
    ac_poll r = t->type->poll(ac__task_frame(t), &cx);
    AC__TRACE(polled, t, r);
    ex->current = NULL;
    if (t->err == 0) {
      if (r == AC_READY)
        task_end(ex, t);
      return;
    }
  }
  /* Dropping a frame that has just completed does nothing (docs/abi.md),
   * so a task that failed or was aborted during its last poll is simply
   * marked as not finished. */
  task_drop(ex, t);
}

void ac__task_cancel(ac_task *t, int err) {
  assert(err < 0);
  struct ac__exec *ex = &ac__exec_tls;
  if (ac__task_state(t) & AC__T_DONE)
    return;
  if (t == ex->current) {
    ac__task_fail(t, err);
    return;
  }
  int zero = 0;
  atomic_compare_exchange_strong(&t->err, &zero, err);
  /* Done from here on: wakes from the drop are ignored, and a hook that
   * cancels the task again finds nothing to do.  A queued task stays on
   * its queue, done, until the executor takes it off. */
  state_or(ex, t, AC__T_DONE);
  task_drop(ex, t);
}

/* Polls, once each, the tasks queued when the pass begins.  Tasks never
 * leave the queue but from its front (one that ends while queued stays
 * there, done, until it is reached), so the pass's last task stays on the
 * queue until the pass reaches it.  `shared`: ex is a worker of a
 * threaded runtime, whose tasks' states other workers change. */
static AC__HOT_INLINE void run_pass(struct ac__exec *ex, int shared) {
  ac_task *last = ex->tail;
  if (last == NULL)
    return;
  for (;;) {
    ac_task *t = queue_pop(ex);
    int end = t == last; /* t may be freed below */
    if (!shared) {
      if (t->state & AC__T_DONE) {
        task_unqueued(ex, t);
      } else {
        t->state = 0;
        task_poll(ex, t);
      }
    } else if (ac__task_state(t) & AC__T_DONE) {
      /* Only this worker ends its tasks: done cannot change here. */
      task_unqueued(ex, t);
    } else {
      __atomic_fetch_and(&t->state, (unsigned char)~AC__T_QUEUED,
                         __ATOMIC_ACQ_REL);
      task_poll(ex, t);
    }
    if (end)
      return;
  }
}

/* Gives ex's loop a turn: blocking if no task is queued, else not.
 * Returns whether the loop, or in the threaded flavour the runtime, may
 * still wake a task. */
static int run_uv(struct ac__exec *ex) {
  if (!ex->loop_open) /* Nothing was ever waited for outside the queue. */
    return ex->head != NULL;
  uv_run_mode mode = ex->head != NULL ? UV_RUN_NOWAIT : UV_RUN_ONCE;
  int sleeping = 0, idle = 0;
  if (mode == UV_RUN_ONCE && ex->rt != NULL) {
    sleeping = ac__rt_sleep_enter(ex);
    if (!sleeping)
      return 1; /* Tasks to run after all. */
    /* A worker's inject handle keeps its loop alive, so a stalled
     * runtime is detected across the workers instead (workers.c). */
    idle = ac__rt_idle_enter(ex);
  }
  AC__TRACE(turn, ex);
  ex->in_uv_run = 1;
  int alive = uv_run(&ex->loop, mode);
  ex->in_uv_run = 0;
  if (idle)
    ac__rt_idle_leave(ex);
  if (sleeping)
    ac__rt_sleep_leave(ex);
  if (ex->rt != NULL)
    return !ac__rt_deadlocked(ex);
  return alive || ex->head != NULL;
}

/* Drops a root that can never complete: AC_EDEADLK. */
static int root_stalled(struct ac__exec *ex, ac_task *root) {
  ac__dump_deadlock(stderr); /* where each task is stuck */
  root->err = AC_EDEADLK;
  task_drop(ex, root);
  return AC_EDEADLK;
}

/* What comes after a pass that left the run queue empty: a worker takes
 * its spawn queue or steals, else the loop gets a turn, which blocks
 * until a callback wakes a task.  Returns 0 if nothing could ever wake
 * one. */
static int queue_dry(struct ac__exec *ex) {
  if (ex->rt != NULL && (ac__spawn_take(ex) != 0 || ac__steal(ex) != 0))
    return 1;
  return run_uv(ex);
}

/* Whether run is over: its root has ended, or its runtime stops. */
static AC__HOT_INLINE int run_over(const struct ac__exec *ex,
                                   const ac_task *root, int has_root) {
  if (has_root)
    return (ac__task_state(root) & AC__T_DONE) != 0;
  return ac__rt_stopping(ex);
}

/* Runs tasks and the loop until `root` is done, or without a root (a
 * worker thread) until the runtime stops.  Returns root's error, or
 * AC_EDEADLK (after dropping root) when root is pending but no task is
 * queued and nothing is left that could wake one.  `shared` as in
 * run_pass; one loop serves all, specialised by the constant flags, so
 * that a pass is inlined and the pass count stays in a register.  A
 * root ends only in its own poll or drop, in a pass: checking after each
 * pass is enough. */
static AC__HOT_INLINE int run(struct ac__exec *ex, ac_task *root, int shared,
                              int has_root) {
  if (run_over(ex, root, has_root))
    return has_root ? root->err : 0;
  unsigned passes = 0;
  for (;;) {
    if (shared)
      ac__spawn_take(ex);
    run_pass(ex, shared);
    if (run_over(ex, root, has_root))
      return has_root ? root->err : 0;
    if (ex->head != NULL && ++passes < AC__PASSES_PER_TURN)
      continue;
    passes = 0;
    int alive = ex->head == NULL ? queue_dry(ex) : run_uv(ex);
    if (!alive && has_root)
      return root_stalled(ex, root);
  }
}

static int run_loop(struct ac__exec *ex, ac_task *root) {
  if (ex->rt == NULL)
    return run(ex, root, 0, 1);
  return root != NULL ? run(ex, root, 1, 1) : run(ex, NULL, 1, 0);
}

int ac__exec_run_until_done(struct ac__exec *ex, ac_task *root) {
  assert(root != NULL);
  return run_loop(ex, root);
}

void ac__exec_run_worker(struct ac__exec *ex) { run_loop(ex, NULL); }

/* ---- The end of a block_on ---------------------------------------------- */

/* The tasks that a teardown drops, collected from the heaps: in `local`
 * first, then in a bigger array if memory allows (else in rounds). */
struct pending {
  struct ac__exec *ex; /* collects the tasks this executor polls */
  ac_task **tasks;
  size_t n, cap;
  ac_task *local[64];
};

static void collect_pending(ac_task *t, void *arg) {
  struct pending *p = arg;
  if (__atomic_load_n(&t->type, __ATOMIC_ACQUIRE) == NULL ||
      (ac__task_state(t) & AC__T_DONE) || ac__task_exec(t) != p->ex)
    return;
  if (p->n == p->cap) {
    size_t cap = 2 * p->cap;
    ac_task **grown = ac__malloc(cap * sizeof *grown);
    if (grown == NULL)
      return; /* Dropped in a later round. */
    memcpy(grown, p->tasks, p->n * sizeof *grown);
    if (p->tasks != p->local)
      ac__free(p->tasks);
    p->tasks = grown;
    p->cap = cap;
  }
  p->tasks[p->n++] = t;
}

static int by_id(const void *a, const void *b) {
  uint64_t x = (*(ac_task *const *)a)->id, y = (*(ac_task *const *)b)->id;
  return x < y ? -1 : x > y;
}

/* Drops every task of ex that is not done yet, in spawn order.  With
 * tearing_down set, task.c frees no task, so the heaps keep every task
 * until the end and the pointers collected stay valid.  A drop may end
 * other tasks (skipped then) or spawn new ones (collected by the next
 * round). */
static void drop_pending(struct ac__exec *ex) {
  struct ac__exec *all[AC_MAX_WORKERS];
  unsigned nex = ac__rt_executors(ex, all);
  struct pending p;
  for (;;) {
    p.ex = ex;
    p.tasks = p.local;
    p.n = 0;
    p.cap = sizeof p.local / sizeof p.local[0];
    for (unsigned i = 0; i < nex; i++) {
      ac__registry_lock(all[i]);
      ac__heap_each(&all[i]->heap, collect_pending, &p);
      ac__registry_unlock(all[i]);
    }
    qsort(p.tasks, p.n, sizeof *p.tasks, by_id);
    for (size_t i = 0; i < p.n; i++) {
      ac_task *t = p.tasks[i];
      if (ac__task_state(t) & AC__T_DONE)
        continue;
      int zero = 0;
      atomic_compare_exchange_strong(&t->err, &zero, AC_ECANCELED);
      state_or(ex, t, AC__T_DONE);
      task_drop(ex, t);
    }
    if (p.tasks != p.local)
      ac__free(p.tasks);
    if (p.n == 0)
      return;
  }
}

void ac__exec_drop_all(struct ac__exec *ex) {
  ex->tearing_down = 1;
  if (ex->rt != NULL)
    ac__spawn_take(ex); /* Not started, but this worker's to drop. */
  for (;;) {
    drop_pending(ex);
    if (ex->blocking_inflight == 0)
      break;
    ac__blocking_wait(ex);
  }
}

static void free_task(ac_task *t, void *arg) {
  (void)arg;
  ac__task_fini(t);
}

void ac__exec_close(struct ac__exec *ex, ac_task *root) {
  ex->head = ex->tail = NULL;
  ac__heap_each(&ex->heap, free_task, NULL);
  ac__heap_fini(&ex->heap);
  ex->tearing_down = 0;
  if (root != NULL)
    ac__task_fini(root);
  ac__dump_signal_close(ex);
  ac__loop_close(ex);
}

/* Ends a block_on: every task still pending is dropped, blocking work
 * still running is waited for, then every task is freed and the loop
 * closed.  Drops happen before any task is freed because a frame being
 * dropped may hold another task's handle (a pending join). */
static void teardown(struct ac__exec *ex, ac_task *root) {
  ac__exec_drop_all(ex);
  ac__exec_close(ex, root);
}

/* ---- block_on ----------------------------------------------------------- */

/* The root's type forwards to the frame and functions block_on got. */
static ac_poll root_poll(void *self, ac_cx *cx) {
  struct ac__root *r = ac__container_of(self, struct ac__root, frame);
  return r->poll(r->frame, cx);
}

static void root_drop(void *self) {
  struct ac__root *r = ac__container_of(self, struct ac__root, frame);
  r->drop(r->frame);
}

static const struct ac_task_type root_type = {root_poll, root_drop,
                                              "block_on", 0, 0};

/* The fields a root's first poll may read: its type and state, for
 * wakes, failures, dumps and cleanup hooks.  The queue link is set when
 * it is queued, and the forwarding fields when it is (root_queued): no
 * one polls or drops a root through its type before. */
static AC__HOT_INLINE void root_init(struct ac__root *r) {
  r->t.type = &root_type;
  atomic_init(&r->t.ext, NULL);
  r->t.id = 0;
  atomic_init(&r->t.err, 0);
  r->t.state = 0;
  r->t.worker = 0;
  r->t.flags = AC__T_ROOT;
}

/* Completes the root for the executor, which polls and drops it through
 * its type. */
static void root_queued(struct ac__root *r, void *frame, ac_poll_fn poll,
                        ac_drop_fn drop) {
  r->frame = frame;
  r->poll = poll;
  r->drop = drop;
  r->t.flags |= AC__T_FORWARDS;
}

void *ac__task_shown_frame(const ac_task *t, ac_poll_fn *poll) {
  if (t->flags & AC__T_ROOT) {
    const struct ac__root *r = (const struct ac__root *)t;
    int set = t->flags & AC__T_FORWARDS;
    *poll = set ? r->poll : NULL;
    return set ? r->frame : NULL;
  }
  *poll = t->type->poll;
  return ac__task_frame(t);
}

/* Runs the root, queued or polled once already, to the end and tears the
 * block_on down. */
static int run_root(struct ac__exec *ex, struct ac__root *root) {
  int err = ac__exec_run_until_done(ex, &root->t);
  teardown(ex, &root->t);
  return err;
}

/* block_on when the root is not polled at once: several workers (they must
 * be up before the root spawns anything, so that an idle one can take the
 * root's tasks), dumps on signal (their handle needs the loop), or tasks
 * spawned before block_on (they run before the root). */
static AC__OUT_OF_LINE int start_queued(struct ac__exec *ex, struct ac__root *root,
                                 unsigned workers) {
  int err = 0;
  if (workers > 1 || ex->dump_on_signal)
    err = ac__loop_open(ex);
  if (err != 0) {
    root->drop(root->frame);
    return err;
  }
  /* As ac_task_wake would: the root is not queued, and this thread's
   * executor neither threaded yet nor in its loop. */
  AC__TRACE(start, &root->t);
  root->t.state = AC__T_QUEUED;
  ac__exec_push(ex, &root->t);
  if (workers > 1)
    return ac__block_on_threaded(ex, &root->t, workers);
  ac__dump_signal_start(ex);
  return run_root(ex, root);
}

/* After the root's first poll: unless it completed with nothing else
 * left to do, the root is done, queued (it woke itself, or failed and
 * must be dropped) or waiting, and the executor takes over. */
static AC__OUT_OF_LINE int after_first_poll(struct ac__exec *ex,
                                     struct ac__root *root, ac_poll r) {
  ac_task *t = &root->t;
  if (t->err != 0)
    ac_task_wake(t);
  else if (r == AC_READY)
    task_end(ex, t);
  return run_root(ex, root);
}

/* ac__block_on, inlined into both of its entry points.  The root's first
 * poll comes before anything else: it is all a block_on does for a
 * future that completes at once, spawns nothing and needs no loop. */
static AC__HOT_INLINE int block_on(void *frame, ac_poll_fn poll,
                                   ac_drop_fn drop) {
  if (poll == NULL || drop == NULL)
    return AC_EINVAL;
  struct ac__exec *ex = &ac__exec_tls;
  if (ex->running) {
    drop(frame);
    return AC_EBUSY;
  }
  struct ac__root root;
  root_init(&root);
  ex->running = 1;
  ex->root = &root.t;
  unsigned workers = atomic_load_explicit(&ac__workers, memory_order_relaxed);
  if (workers != 1)
    workers = ac_runtime_workers();
  int err;
  if (workers > 1 || ex->dump_on_signal || ex->head != NULL || ac__tracing()) {
    root_queued(&root, frame, poll, drop);
    err = start_queued(ex, &root, workers);
  } else {
    ac_cx cx = {&root.t, AC_TASK_BUDGET};
    ex->current = &root.t;
    ac_poll r = poll(frame, &cx);
    ex->current = NULL;
    if (r == AC_READY && root.t.err == 0 && ex->head == NULL &&
        !ex->loop_open && ex->heap.live == 0 && root.t.ext == NULL &&
        ex->blocking_inflight == 0) {
      err = 0; /* Nothing else to run, nothing to close. */
    } else {
      root_queued(&root, frame, poll, drop);
      err = after_first_poll(ex, &root, r);
    }
  }
  ex->root = NULL;
  ex->running = 0;
  return err;
}

int ac__block_on(void *frame, ac_poll_fn poll, ac_drop_fn drop) {
  return block_on(frame, poll, drop);
}

void ac__block_on_or_exit(void *frame, ac_poll_fn poll, ac_drop_fn drop) {
  int err = block_on(frame, poll, drop);
  if (err == 0)
    return;
  fprintf(stderr, "asyncc: ac_block_on failed: %s\n", ac_strerror(err));
  exit(70); /* EX_SOFTWARE */
}
