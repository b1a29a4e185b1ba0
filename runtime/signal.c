/* signal.c -- ac_signal: waits for a signal with a uv_signal_t.
 *
 * The handle lives in a runtime record, freed by its close callback, like
 * ac_sleep's timers.  It is started at the first poll and closed when the
 * future completes or is dropped, so the signal is caught only while
 * someone waits for it; libuv restores the default action once no handle
 * watches the signal any more.  Signals that arrive between the callback
 * and the poll that completes the future count as one. */
#include <assert.h>

#include "internal.h"

struct ac__signal {
  uv_signal_t handle;
  ac_task *task; /* to wake */
  int fired;
};

static void signal_cb(uv_signal_t *handle, int signum) {
  struct ac__signal *s = handle->data;
  (void)signum;
  s->fired = 1;
  ac_task_wake(s->task);
}

static void signal_close_cb(uv_handle_t *handle) { ac__free(handle->data); }

void ac_signal_init(struct ac_signal_frame *fr, int signum) {
  assert(fr != NULL);
  fr->signum = signum;
  fr->sig = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll signal_finish(struct ac_signal_frame *fr, int result) {
  if (fr->sig != NULL)
    uv_close((uv_handle_t *)&fr->sig->handle, signal_close_cb);
  fr->sig = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

static int signal_start(struct ac_signal_frame *fr, ac_cx *cx) {
  if (fr->signum <= 0)
    return AC_EINVAL;
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  struct ac__signal *s = ac__malloc(sizeof *s);
  if (s == NULL)
    return AC_ENOMEM;
  err = uv_signal_init(&ex->loop, &s->handle);
  if (err != 0) {
    ac__free(s); /* Not a handle of the loop: free it now. */
    return err;
  }
  s->handle.data = s;
  s->task = cx->task;
  s->fired = 0;
  fr->sig = s;
  fr->state = AC__OP_PENDING;
  /* libuv refuses numbers out of range, SIGKILL and SIGSTOP. */
  return uv_signal_start(&s->handle, signal_cb, fr->signum);
}

ac_poll ac_signal_poll(void *frame, ac_cx *cx) {
  struct ac_signal_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    int err = signal_start(fr, cx);
    if (err != 0)
      return signal_finish(fr, err);
  }
  if (!fr->sig->fired) {
    fr->sig->task = cx->task;
    return AC_PENDING;
  }
  return signal_finish(fr, fr->signum);
}

void ac_signal_drop(void *frame) {
  struct ac_signal_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    signal_finish(fr, AC_ECANCELED);
}
