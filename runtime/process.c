/* process.c -- child processes over uv_spawn, with pipes as streams.
 *
 * The process record holds the uv_process_t and the child's outcome;
 * libuv's exit callback records it and wakes the pending wait, if any.
 * The record is freed by the handle's close callback.  Each pipe is a
 * stream (stream.c) whose uv_pipe_t libuv connects to the child. */
#include <assert.h>
#include <string.h>

#include "internal.h"
#include "sock.h"

struct ac_process {
  uv_process_t handle;
  struct ac__exec *owner;
  atomic_int closing;
  struct ac__deferred close_work;
  struct ac_process_wait_frame *waiter; /* the pending wait, or NULL */
  int exited;
  int status; /* as ac_process_wait yields it */
};

static void process_close_cb(uv_handle_t *handle) { ac__free(handle->data); }

static void exit_cb(uv_process_t *handle, int64_t exit_status,
                    int term_signal) {
  ac_process *p = handle->data;
  p->exited = 1;
  p->status = term_signal != 0 ? 128 + term_signal : (int)exit_status;
  if (p->waiter != NULL)
    ac_task_wake(p->waiter->task);
}

/* Fills libuv's stdio containers from opts, making a pipe stream for each
 * AC_STDIO_PIPE in pipes[]: 0 or an error (pipes made so far closed). */
static int stdio_setup(const struct ac_process_options *opts,
                       struct ac__exec *ex, uv_stdio_container_t *stdio,
                       ac_stream *pipes[3]) {
  for (int i = 0; i < 3; i++) {
    pipes[i] = NULL;
    switch (opts->stdio[i]) {
    case AC_STDIO_INHERIT:
      stdio[i].flags = UV_INHERIT_FD;
      stdio[i].data.fd = i;
      break;
    case AC_STDIO_NULL:
      stdio[i].flags = UV_IGNORE; /* /dev/null for 0, 1 and 2 */
      break;
    case AC_STDIO_PIPE:
      ac__ignore_sigpipe();
      if ((pipes[i] = ac__stream_new(ex, AC__STREAM_PIPE)) == NULL) {
        for (int j = 0; j < i; j++)
          ac_stream_close(pipes[j]);
        return AC_ENOMEM;
      }
      /* The flags say how the child uses its end. */
      stdio[i].flags =
          UV_CREATE_PIPE | (i == 0 ? UV_READABLE_PIPE : UV_WRITABLE_PIPE);
      stdio[i].data.stream = &pipes[i]->h.stream;
      break;
    default:
      for (int j = 0; j < i; j++)
        ac_stream_close(pipes[j]);
      return AC_EINVAL;
    }
  }
  return 0;
}

int ac_process_spawn(const struct ac_process_options *opts, ac_process **out,
                     ac_stream *pipes[3]) {
  if (out == NULL)
    return AC_EINVAL;
  *out = NULL;
  ac_stream *made[3];
  if (opts == NULL || opts->file == NULL || opts->args == NULL ||
      opts->args[0] == NULL)
    return AC_EINVAL;
  int want_pipes = 0;
  for (int i = 0; i < 3; i++)
    want_pipes |= opts->stdio[i] == AC_STDIO_PIPE;
  if (want_pipes && pipes == NULL)
    return AC_EINVAL;
  struct ac__exec *ex = ac__exec_current();
  int err = ac__loop_open(ex);
  if (err != 0)
    return err;
  ac_process *p = ac__malloc(sizeof *p);
  if (p == NULL)
    return AC_ENOMEM;
  memset(p, 0, sizeof *p);
  uv_stdio_container_t stdio[3];
  if ((err = stdio_setup(opts, ex, stdio, made)) != 0) {
    ac__free(p);
    return err;
  }
  uv_process_options_t o;
  memset(&o, 0, sizeof o);
  o.exit_cb = exit_cb;
  o.file = opts->file;
  o.args = (char **)opts->args;
  o.env = (char **)opts->env;
  o.cwd = opts->cwd;
  o.stdio_count = 3;
  o.stdio = stdio;
  p->handle.data = p;
  p->owner = ex;
  err = uv_spawn(&ex->loop, &p->handle, &o);
  /* A handle uv_spawn failed with is still the loop's until closed. */
  if (err != 0) {
    uv_close((uv_handle_t *)&p->handle, process_close_cb);
    for (int i = 0; i < 3; i++)
      ac_stream_close(made[i]);
    return err;
  }
  for (int i = 0; i < 3; i++) {
    if (made[i] != NULL)
      ac__stream_take_fd(made[i]);
    if (pipes != NULL)
      pipes[i] = made[i];
  }
  *out = p;
  return 0;
}

int ac_process_pid(const ac_process *p) {
  return p != NULL ? uv_process_get_pid(&p->handle) : AC_EINVAL;
}

int ac_process_kill(ac_process *p, int signum) {
  if (p == NULL)
    return AC_EINVAL;
  if (p->exited)
    return AC_ESRCH;
  return uv_process_kill(&p->handle, signum);
}

static void process_close_now(ac_process *p) {
  if (p->waiter != NULL) {
    p->waiter->p = NULL;
    ac_task_wake(p->waiter->task);
    p->waiter = NULL;
  }
  uv_close((uv_handle_t *)&p->handle, process_close_cb);
}

static void process_close_routed(struct ac__deferred *d) {
  process_close_now(ac__container_of(d, ac_process, close_work));
}

void ac_process_close(ac_process *p) {
  if (p == NULL || atomic_exchange(&p->closing, 1))
    return;
  if (p->owner == ac__exec_current()) {
    process_close_now(p);
  } else {
    p->close_work.fn = process_close_routed;
    ac__run_on(p->owner, &p->close_work);
  }
}

/* ---- wait ---------------------------------------------------------------- */

void ac_process_wait_init(struct ac_process_wait_frame *fr, ac_process *p) {
  assert(fr != NULL);
  fr->p = p;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll wait_finish(struct ac_process_wait_frame *fr, int result) {
  if (fr->p != NULL && fr->p->waiter == fr)
    fr->p->waiter = NULL;
  fr->p = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

ac_poll ac_process_wait_poll(void *frame, ac_cx *cx) {
  struct ac_process_wait_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    ac_process *p = fr->p;
    int err = p == NULL                  ? AC_EINVAL
              : p->owner != ac__exec_current() ? AC_EXDEV
              : p->waiter != NULL        ? AC_EBUSY
                                         : 0;
    if (err != 0) {
      fr->p = NULL;
      return wait_finish(fr, err);
    }
    p->waiter = fr;
    fr->state = AC__OP_PENDING;
  }
  if (fr->p == NULL) /* The process was closed. */
    return wait_finish(fr, AC_ECANCELED);
  if (fr->p->exited)
    return wait_finish(fr, fr->p->status);
  fr->task = cx->task;
  return AC_PENDING;
}

void ac_process_wait_drop(void *frame) {
  struct ac_process_wait_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    wait_finish(fr, AC_ECANCELED);
}
