/* asyncc.h -- async/await for C: the surface syntax and the runtime ABI.
 *
 * An asyncc source file is valid C on its own (the "sync view"): `async`
 * is an annotation, `await(e)` has the type of `e`, and every async function
 * parses and type-checks as an ordinary function.  The asyncc transpiler
 * recognises the markers below in libclang's AST and rewrites each async
 * function into a frame struct, a state enum and init/poll/drop functions
 * (docs/abi.md).  The same header serves the transformed output, which uses
 * only the ABI half.
 */
#ifndef ASYNCC_H
#define ASYNCC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Surface syntax ---------------------------------------------------- */

/* Marker calls: they do nothing and cost nothing, but they survive into the
 * AST, so the transpiler can find every await even inside macro arguments. */
static inline void ac__mark_await(void) {}
static inline void ac__mark_block_on(void) {}

/* Only clang (and so libclang, the transpiler's reader) knows `annotate`;
 * gcc would warn "attribute directive ignored" on every async function, so
 * there the marker is empty. */
#if defined(__has_attribute)
#if __has_attribute(annotate)
#define async __attribute__((annotate("asyncc.async")))
#endif
#endif
#ifndef async
#define async
#endif
#define await(e) (ac__mark_await(), (e))

/* Runs the async call `e` to completion from synchronous code and yields its
 * result.  In the sync view the call simply runs. */
#define ac_block_on(e) (ac__mark_block_on(), (e))

/* ---- ABI ---------------------------------------------------------------- */

typedef enum ac_poll { AC_PENDING = 0, AC_READY = 1 } ac_poll;

typedef struct ac_task ac_task;

/* The context a poll runs in: the task being polled, and what is left of
 * its cooperative budget for this poll (asyncc/task.h, ac_budget_spend).
 * Leaf futures keep the task to wake it when their event happens. */
typedef struct ac_cx {
  ac_task *task;
  unsigned budget;
} ac_cx;

/* Every future's poll and drop take the frame as `void *`, so a future can be
 * type-erased (tasks, block_on, combinators) by storing plain function
 * pointers: calling a function through a pointer of another type would be
 * undefined behaviour.  Each poll converts the pointer back on entry. */
typedef ac_poll (*ac_poll_fn)(void *frame, ac_cx *cx);
typedef void (*ac_drop_fn)(void *frame);

/* Makes `task` runnable again; it will be polled from the executor loop.
 * Waking a task that is already queued does nothing. */
void ac_task_wake(ac_task *task);

/* Per-task LIFO storage for frames whose size is only known at run time
 * (recursive calls, async functions defined in other files).  Blocks must
 * be freed in reverse order of allocation; steady state allocates nothing
 * from the general heap.  Returns NULL when out of memory. */
void *ac_frame_alloc(ac_cx *cx, size_t size);
/* Frees a block from ac_frame_alloc.  Needs no context, so drop functions
 * (which run outside any poll) can free the frames they own. */
void ac_frame_free(void *block);

/* Called by generated code when a dynamic frame cannot be allocated: the
 * runtime reports the failure and ends the task's block_on with AC_ENOMEM. */
ac_poll ac__frame_oom(ac_cx *cx);

/* Runs the future (frame, poll) to completion on the calling thread, driving
 * the libuv loop while it is pending.  The frame must already be initialised.
 * Returns 0, or a negative AC_E* code if the runtime could not start. */
int ac__block_on(void *frame, ac_poll_fn poll, ac_drop_fn drop);

/* ac__block_on for generated ac_block_on() calls, which have no way to
 * return an error: on failure it prints the error and exits with status 70
 * (EX_SOFTWARE). */
void ac__block_on_or_exit(void *frame, ac_poll_fn poll, ac_drop_fn drop);

/* The threaded flavour: later ac_block_on calls run on `n` worker threads
 * (the calling thread and n - 1 new ones), each with its own libuv loop;
 * spawned tasks are spread over them round-robin and stay on the worker
 * they start on.  0 means the ASYNCC_WORKERS environment variable, or 1 if
 * it is unset.  Returns 0, or AC_EINVAL if n > AC_MAX_WORKERS.  Not to be
 * called while a block_on runs on another thread. */
#define AC_MAX_WORKERS 64
int ac_runtime_set_workers(unsigned n);
/* The number of workers the next ac_block_on will use. */
unsigned ac_runtime_workers(void);

/* Generated static functions may go unused, like any static function. */
#if defined(__GNUC__) || defined(__clang__)
#define AC_MAYBE_UNUSED __attribute__((unused))
#else
#define AC_MAYBE_UNUSED
#endif

/* The type of a va_list parameter once C has adjusted it: where va_list is
 * an array (x86-64), a pointer to its element, which has no portable name.
 * Frames store va_list parameters with this type. */
#if defined(__x86_64__) || defined(__i386__) || defined(__powerpc__)
typedef __typeof__(*(__builtin_va_list *)0 + 0) ac_va_list_param;
#else /* va_list is a struct: it does not decay */
typedef __builtin_va_list ac_va_list_param;
#endif

/* Spends one unit of the task's cooperative budget; when none is left,
 * wakes the task and returns AC_PENDING (out of line, in the executor).
 * Generated polls call it as an async function starts, where nothing has
 * happened yet, so returning pending there is safe: the next poll starts
 * the function again.  So a loop awaiting async functions that never wait
 * still returns to the executor every AC_TASK_BUDGET calls. */
ac_poll ac_budget_spend(ac_cx *cx);
static inline ac_poll ac__budget_enter(ac_cx *cx) {
  if (cx->budget != 0) {
    cx->budget--;
    return AC_READY;
  }
  return ac_budget_spend(cx);
}

/* Suspends once with a self-wake; used by transpiler-instrumented builds
 * (asyncc --test-suspend) to force every await to suspend. */
ac_poll ac__test_suspend(ac_cx *cx);

/* The libuv loop of the calling thread's executor, for users who wrap
 * libuv-based code as futures (include <uv.h> to use it). */
struct uv_loop_s *ac_uv_loop(void);

/* ---- Errors ------------------------------------------------------------- */

#define AC_ENOMEM (-12)
#define AC_EINVAL (-22)

/* Runtime additions.  Like the two above, the values are the Linux errno
 * values negated, as libuv's UV_E* are (runtime/error.c checks this). */
#define AC_EBUSY (-16)   /* ac__block_on called while one runs (nested) */
#define AC_EDEADLK (-35) /* the future is pending with nothing to wake it */

/* Tasks and synchronisation (asyncc/task.h, asyncc/sync.h); libuv's values. */
#define AC_EAGAIN (-11)     /* try_* would have to wait */
#define AC_EPIPE (-32)      /* the channel or oneshot is closed */
#define AC_ECANCELED (-125) /* the task was aborted */
#define AC_EOF (-4095)      /* the channel is closed and drained */

/* I/O (asyncc/io.h); libuv's values. */
#define AC_ENOENT (-2)          /* no such file or directory */
#define AC_EBADF (-9)           /* bad file descriptor */
#define AC_EEXIST (-17)         /* the file exists (O_EXCL) */
#define AC_EADDRINUSE (-98)     /* the address is in use */
#define AC_ECONNRESET (-104)    /* the peer reset the connection */
#define AC_ENOTCONN (-107)      /* not connected, or already shut down */
#define AC_ETIMEDOUT (-110)     /* the connection timed out */
#define AC_ECONNREFUSED (-111)  /* nothing listens at the address */
#define AC_EAI_NONAME (-3008)   /* unknown host or service (DNS) */
#define AC_EXDEV (-18)          /* the socket belongs to another worker */
#define AC_EMFILE (-24)         /* the process is out of descriptors */
#define AC_ENOTSOCK (-88)       /* the stream is not a socket (a pipe) */
#define AC_ENOBUFS (-105)       /* a stream's buffer is too small */
#define AC_ESRCH (-3)           /* no such process */
#define AC_EACCES (-13)         /* permission denied */

const char *ac_strerror(int err);

/* ---- Runtime leaf futures ----------------------------------------------- */

/* await(ac_sleep(ms)): suspends the task for `ms` milliseconds. */
async void ac_sleep(uint64_t ms);

/* A pending sleep is a node of its executor's timer heap, kept in the
 * frame itself (runtime/timer.c): sleeping allocates nothing. */
struct ac__timer_node {
  struct ac__timer_node *child, *next, *prev; /* heap links */
  uint64_t deadline;                          /* on the loop's clock, ms */
  uint64_t seq;                               /* start order, for ties */
  ac_task *task;                              /* to wake */
};
struct ac_sleep_frame {
  uint64_t ms;
  struct ac__timer_node node;
  int state; /* not started, in the heap, fired, finished */
};
void ac_sleep_init(struct ac_sleep_frame *fr, uint64_t ms);
ac_poll ac_sleep_poll(void *frame, ac_cx *cx);
void ac_sleep_drop(void *frame);

/* await(ac_yield()): suspends once, letting every other ready task run. */
async void ac_yield(void);

struct ac_yield_frame {
  int yielded;
};
void ac_yield_init(struct ac_yield_frame *fr);
ac_poll ac_yield_poll(void *frame, ac_cx *cx);
void ac_yield_drop(void *frame);

#ifdef __cplusplus
}
#endif

#include <asyncc/task.h>
#include <asyncc/scope.h>
#include <asyncc/combine.h>
#include <asyncc/sync.h>
#include <asyncc/time.h>
#include <asyncc/stream.h>
#include <asyncc/udp.h>
#include <asyncc/process.h>
#include <asyncc/io.h>

#endif /* ASYNCC_H */
