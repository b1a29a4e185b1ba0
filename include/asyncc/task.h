/* asyncc/task.h -- spawned tasks and their typed join handles.
 *
 *   AC_TASK(int) h = ac_spawn(work(21));    starts work(21) as its own task
 *   int r = await(ac_join(h));              waits for it and takes its result
 *
 * A handle's type names the task's result type, so the compiler checks
 * that a handle of AC_TASK(int) is joined into an int: in the sync view
 * (plain C) AC_TASK(T) is `T *` and ac_spawn(e) boxes e's value; after
 * transformation the handle points to the runtime's task and ac_join
 * becomes an awaitable.  Tasks of void functions use ac_spawn_void and
 * ac_join_void with AC_TASK(void); ac_spawn_detached(e) starts a task
 * without a handle.
 *
 * A handle is used exactly once: joined, detached or aborted-then-joined.
 * Included by <asyncc.h>. */
#ifndef ASYNCC_TASK_H
#define ASYNCC_TASK_H

#include <stdint.h>
#include <stdio.h> /* FILE, for ac_dump_tasks and ac_trace_enable */

/* ---- Surface ------------------------------------------------------------ */

/* A typeof rather than `T *`, so that `AC_TASK(int) a, b;` declares two
 * handles (with `T *` the star binds to `a` alone). */
#define AC_TASK(T) __typeof__(T *)

static inline void ac__mark_spawn(void) {}
static inline void ac__mark_join(void) {}

/* Sync view: the task runs at once and its result is boxed. */
void *ac__sync_box(const void *value, size_t size);

/* ac_spawn, ac_spawn_void, ac_spawn_detached, ac_join and ac_join_void
 * are defined at the end of this file. */

/* ---- Plain functions on handles ------------------------------------------ */

/* A handle stays valid until it is joined (ac_join_finish) or detached, and
 * at the latest until the ac_block_on that ran its task returns: block_on
 * drops every task still pending when its root future completes and frees
 * every task, so nothing leaks (docs/runtime.md, "Tasks").  A NULL handle
 * (ac_spawn out of memory) is accepted everywhere: the functions below do
 * nothing or return AC_EINVAL, and awaiting its join fails the joining task
 * with AC_ENOMEM. */

/* Lets the task run on without a handle; its result is discarded and its
 * memory freed when it ends. */
void ac_task_detach(void *task);
/* Cancels the task: its frame chain is dropped (timers stopped, handles
 * closed, cleanup hooks run) the next time the executor runs; a join then
 * completes with a zeroed result.  Aborting a finished task does nothing
 * (its join yields its result).  Returns 0 or AC_EINVAL. */
int ac_task_abort(void *task);
/* 1 if the task was aborted (or failed, or was dropped by block_on) before
 * finishing, 0 if not (yet). */
int ac_task_aborted(const void *task);
/* Why the task did not finish: 0, AC_ECANCELED (aborted or dropped by
 * block_on's teardown) or AC_ENOMEM (a frame could not be allocated). */
int ac_task_error(const void *task);
/* Ids count from 1 in spawn order, per process; block_on's root is 0. */
uint64_t ac_task_id(const void *task);
const char *ac_task_name(const void *task);
/* Names the task for ac_dump_tasks; the name is copied.  Returns 0,
 * AC_EINVAL or AC_ENOMEM. */
int ac_task_set_name(void *task, const char *name);

/* Prints every live task: id, name, state, and the await chain it is
 * suspended in (function, state and source line at each level, for
 * futures registered with ac__future_info_register). */
void ac_dump_tasks(FILE *out);
/* With `enable`, SIGUSR1 prints the task dump to stderr while an
 * ac_block_on runs on this thread (the signal has its default action
 * otherwise); without, it stops.  Returns 0 or a UV_E* code. */
int ac_dump_on_signal(int enable);
/* Traces what the executor does to `out` (NULL stops): every task woken,
 * polled (with the state each level of its await chain was in before and
 * after, by source line), dropped or finished, and every turn of the
 * libuv loop.  ASYNCC_TRACE=1 in the environment turns it on at start-up,
 * to stderr.  Meant for the single-threaded executor; call it outside
 * ac_block_on.  See docs/runtime.md, "Tracing". */
void ac_trace_enable(FILE *out);

/* ---- Cleanup on cancellation -------------------------------------------- */

/* A cleanup hook: code to run if the task is cancelled (aborted, or dropped
 * when its ac_block_on ends) while the hook is registered.  Dropping a
 * frame chain already releases the runtime's own resources (timers,
 * sockets, waits); hooks are for the program's own, such as a lock file or
 * a half-written record:
 *
 *   struct ac_cleanup c;
 *   ac_cleanup_push(&c, remove_temp_file, path);
 *   await(copy_into(path));            // cancelled here: the hook runs
 *   ac_cleanup_pop(&c, 0);             // finished: forget it (1: run it)
 *
 * Hooks run last registered first, after the task's frames are dropped,
 * and before its memory is freed; the struct must stay valid until then,
 * which a local of the async function is (it lives in the frame).  In the
 * sync view, nothing is cancelled: push does nothing more than record. */
struct ac_cleanup {
  void (*fn)(void *arg);
  void *arg;
  struct ac_cleanup *next;
  ac_task *task; /* the task it is registered with, NULL once popped */
};
/* Registers `c` with the task being polled.  Returns 0, AC_EINVAL
 * outside an async function's poll (or for NULL arguments), or AC_ENOMEM
 * (a task's first hook allocates the record of its rarely used parts). */
int ac_cleanup_push(struct ac_cleanup *c, void (*fn)(void *arg), void *arg);
/* Unregisters `c`; with `run`, calls its function first.  Popping a hook
 * that is not registered does nothing. */
void ac_cleanup_pop(struct ac_cleanup *c, int run);
/* Runs and forgets every hook of `task` (the runtime calls it when it
 * cancels a task). */
void ac__cleanup_run_all(ac_task *task);

/* ---- Blocking work ----------------------------------------------------- */

/* await(ac_spawn_blocking(fn, arg)): runs fn(arg) on libuv's thread pool
 * and yields its result, so CPU-bound or blocking calls do not stall the
 * executor.  fn cannot be interrupted: dropping the await lets fn run to
 * completion and discards its result (ac_block_on waits for it before
 * returning).  A NULL fn yields NULL at once. */
typedef void *(*ac_blocking_fn)(void *arg);
async void *ac_spawn_blocking(ac_blocking_fn fn, void *arg);

struct ac__blocking;
struct ac_spawn_blocking_frame {
  void *result;
  ac_blocking_fn fn;
  void *arg;
  struct ac__blocking *req; /* NULL until first polled */
  int done;
};
void ac_spawn_blocking_init(struct ac_spawn_blocking_frame *fr,
                            ac_blocking_fn fn, void *arg);
ac_poll ac_spawn_blocking_poll(void *frame, ac_cx *cx);
void ac_spawn_blocking_drop(void *frame);

/* ---- ABI used by generated code ------------------------------------------ */

/* What the runtime needs to know about the tasks of one async function:
 * one static descriptor per function (f_type, made with its state
 * machine), so that a task's header holds a single pointer to it. */
struct ac_task_type {
  ac_poll_fn poll;
  ac_drop_fn drop;
  const char *name;     /* the function's name, for ac_dump_tasks */
  size_t result_offset; /* where the frame keeps its result */
  size_t result_size;   /* 0 for a void function */
};

/* One allocation holding the task header and a frame of frame_size bytes
 * (max_align_t aligned); *frame receives the frame.  NULL when out of
 * memory. */
ac_task *ac__task_new(size_t frame_size, void **frame);
/* Queues a new task on the calling thread's executor (it starts when the
 * executor next runs: at once inside an ac_block_on, else when the next
 * ac_block_on on this thread begins).  `type` must stay valid while the
 * task exists (static storage). */
void ac__task_start(ac_task *task, const struct ac_task_type *type);

/* ---- Calls through a function's stub (docs/abi.md) ---------------------- */

/* An async function that other files can reach, or whose address is
 * taken, also exists under its own name as a plain C function: its stub.
 * A caller announces a call with ac__dyn_call and then calls the stub,
 * by name or through a pointer; the stub sets up the function's frame as
 * the announcement asks and returns at once. */
enum ac_dyn_mode {
  AC_DYN_AWAIT,   /* a frame from the caller's frame arena, to poll */
  AC_DYN_SPAWN,   /* a new task */
  AC_DYN_BLOCK_ON /* run to completion there, the result copied out */
};
/* What an await keeps of a call through a stub: three words, whatever
 * the callee.  What the call is for waits on a thread-local stack from
 * ac__dyn_call until the stub takes it, so it takes no room here. */
struct ac_dyn {
  void *frame; /* the callee's frame (after a SPAWN, the new task) */
  const struct ac_task_type *type; /* its poll, drop and result */
  int err; /* AC__DYN_UNTAKEN until a stub takes the call; then 0, or
              AC_ENOMEM */
};
#define AC__DYN_UNTAKEN 1
/* Announces the next stub call on this thread. */
void ac__dyn_call(struct ac_dyn *d, enum ac_dyn_mode mode, ac_cx *cx,
                  void *result);
/* In a stub: the frame to initialise, or NULL when out of memory.  Ends
 * the program with a message if no call was announced: an async function
 * called as a plain function. */
void *ac__dyn_begin(size_t frame_size, const struct ac_task_type *type);
/* In a stub, once the frame is initialised: starts the task (SPAWN), or
 * runs the future to completion and copies its result out (BLOCK_ON). */
void ac__dyn_end(void *frame);
/* After the call: 0, or AC_ENOMEM (a BLOCK_ON out of memory ends the
 * program instead, as ac__block_on_or_exit does).  Ends the program with
 * a message if no stub took the call: a pointer to a function that is
 * not async. */
int ac__dyn_check(struct ac_dyn *d);
static inline ac_poll ac__dyn_poll(struct ac_dyn *d, ac_cx *cx) {
  return d->type->poll(d->frame, cx);
}
static inline void *ac__dyn_result(struct ac_dyn *d) {
  return (char *)d->frame + d->type->result_offset;
}
/* Frees the frame of a finished AWAIT. */
void ac__dyn_free(struct ac_dyn *d);
/* Drops and frees the frame of an unfinished AWAIT, if it has one. */
void ac__dyn_drop(struct ac_dyn *d);

/* The join future behind await(ac_join(h)). */
struct ac_join_frame {
  ac_task *task;
  int waiting; /* registered as the task's joiner */
};
void ac_join_init(struct ac_join_frame *fr, ac_task *task);
ac_poll ac_join_poll(void *frame, ac_cx *cx);
/* Dropping a pending join detaches the task. */
void ac_join_drop(void *frame);
/* After the join is ready: the result's storage (zeroed if aborted; NULL
 * for a void task), valid until ac_join_finish, which releases the task. */
void *ac_join_result(struct ac_join_frame *fr);
void ac_join_finish(struct ac_join_frame *fr);

/* ---- Cooperative budget (for hand-written leaf futures) ------------------ */

/* Every poll of a task by the executor starts with AC_TASK_BUDGET units,
 * in cx->budget; generated code spends one as each async function starts
 * (ac__budget_enter, asyncc.h).  A leaf future that is about to complete
 * without having waited calls ac_budget_spend: AC_READY means go on (one unit
 * is spent); AC_PENDING means the budget is exhausted, the task has been woken
 * again, and the future must return AC_PENDING without doing anything, to
 * complete on a later poll.  So a task awaiting always-ready futures in a loop
 * still returns to the executor every AC_TASK_BUDGET awaits. */
#define AC_TASK_BUDGET 128
ac_poll ac_budget_spend(ac_cx *cx);

/* ---- Future metadata for ac_dump_tasks ----------------------------------- */

/* ac_dump_tasks prints a task's await chain like a backtrace.  It finds
 * the description of each level by its poll function, then follows the
 * frame: its state (the frame's first member, an enum read as int) selects
 * an ac_state_info, whose awaits give the offset of the awaited sub-frame
 * and its poll, which selects the next level's description.  Generated
 * code registers one ac_future_info per async function from a constructor;
 * the runtime's own futures are known without registration.  Example, for
 *
 *   async int fetch(int x) {          // demo.c:10
 *     await(ac_sleep(100));           // demo.c:12, state FETCH_L12
 *     return x;
 *   }
 *
 *   static const struct ac_await_info fetch_awaits_L12[] = {
 *       {offsetof(struct fetch_frame, sub.await_12), ac_sleep_poll, 0},
 *   };
 *   static const struct ac_state_info fetch_states[] = {
 *       [FETCH_START] = {"FETCH_START", 10, NULL, NULL, 0},
 *       [FETCH_L12] = {"FETCH_L12", 12, "await(ac_sleep(100))",
 *                      fetch_awaits_L12, 1},
 *       [FETCH_DONE] = {"FETCH_DONE", 0, NULL, NULL, 0},
 *   };
 *   static const struct ac_future_info fetch_info = {
 *       fetch_poll, "fetch", "demo.c", fetch_states, 3, NULL};
 *   __attribute__((constructor)) static void ac__register_demo_c(void) {
 *     ac__future_info_register(&fetch_info);
 *   }
 *
 * A combinator's state lists one await per branch (offsets of
 * sub.await_N.b0, .b1, ...; nested combinators flattened in order). */
struct ac_await_info {
  size_t offset;   /* of the awaited frame (or of the pointer to it) */
  ac_poll_fn poll; /* the awaited future's poll; NULL if unknown */
  int indirect;    /* 1: the member at offset points to the frame (a frame
                      from ac_frame_alloc), NULL while not allocated;
                      2: the member is a struct ac_dyn (a call through a
                      stub), which knows the frame and the poll */
};

struct ac_state_info {
  const char *name; /* the state's enumerator, e.g. "FETCH_L12" */
  unsigned line;    /* the await's source line; 0 if none */
  const char *text; /* the await's source text, or NULL */
  const struct ac_await_info *awaits; /* what the state waits for */
  unsigned nawaits;                   /* 0, 1, or one per branch */
};

struct ac_future_info {
  ac_poll_fn poll;                    /* identifies the future */
  const char *name;                   /* the async function's name */
  const char *file;                   /* its source file, or NULL */
  const struct ac_state_info *states; /* indexed by the frame's state */
  unsigned nstates; /* 0: the frame has no state member (leaf future) */
  /* Optional: prints details of a pending leaf frame, e.g. "100 ms". */
  void (*describe)(const void *frame, FILE *out);
};

/* Registers `info` (which must stay valid until unregistered; static
 * storage in practice).  Registering a poll function again replaces the
 * earlier entry.  Returns 0 or AC_ENOMEM, AC_EINVAL for a NULL info or
 * poll.  Not thread-safe: call from constructors, before threads start. */
int ac__future_info_register(const struct ac_future_info *info);
/* Forgets `info` (for destructors of code that is unloaded). */
void ac__future_info_unregister(const struct ac_future_info *info);
/* The registered (or built-in) description of futures polled by `poll`,
 * or NULL. */
const struct ac_future_info *ac__future_info_find(ac_poll_fn poll);

/* ---- Surface macros --------------------------------------------------- */

/* The rest of this file counts as a system header.  In the sync view,
 * `await(ac_join(h));` as a statement ends in the bare read *(h), and gcc's
 * -Wall would call it a comma operand with no effect; the read is the
 * join, and a macro defined in a system header is exempt from that
 * warning.  The surface macros alone are placed here, so that the
 * exemption covers nothing else of the header. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC system_header
#endif

/* A one-element array literal copies e whatever its type, struct included. */
#define ac_spawn(e)                                                            \
  (ac__mark_spawn(),                                                           \
   (__typeof__(e) *)ac__sync_box((__typeof__(e)[1]){(e)}, sizeof(e)))
#define ac_spawn_void(e)                                                       \
  (ac__mark_spawn(), ((e), (void *)ac__sync_box(NULL, 0)))

/* Starts e as a task that no handle refers to: ac_task_detach of the
 * spawn, so its result is discarded and its memory freed when it ends.
 * Works for void and non-void async calls alike. */
#define ac_spawn_detached(e) ac_task_detach(ac_spawn_void(e))

/* await(ac_join(h)): the task's result once it has finished.  A task that
 * was aborted yields a zeroed result; ac_task_aborted tells the two apart
 * before the join. */
#define ac_join(h) (ac__mark_join(), *(h))
#define ac_join_void(h) (ac__mark_join(), (void)(h))

#endif /* ASYNCC_TASK_H */
