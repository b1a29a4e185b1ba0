/* blocking.c -- ac_spawn_blocking: a function run on libuv's thread pool.
 *
 * The uv_work_t lives in a heap record, not in the frame: the pool owns it
 * until the after-work callback runs on the loop thread, which may be
 * after the frame was dropped.  A dropped operation cannot stop the work;
 * it marks the record abandoned, and the callback frees it and discards
 * the result.  block_on waits for abandoned work before it returns
 * (ac__blocking_wait), so no request outlives the loop. */
#include <assert.h>

#include "internal.h"

struct ac__blocking {
  uv_work_t work;
  struct ac__exec *ex;
  ac_blocking_fn fn;
  void *arg;
  void *result;  /* written by the pool thread */
  ac_task *task; /* to wake; NULL once abandoned */
  int finished;
};

static void work_cb(uv_work_t *work) {
  struct ac__blocking *b = work->data;
  b->result = b->fn(b->arg);
}

static void after_work_cb(uv_work_t *work, int status) {
  struct ac__blocking *b = work->data;
  (void)status; /* Never UV_ECANCELED: the runtime does not uv_cancel. */
  b->ex->blocking_inflight--;
  b->finished = 1;
  if (b->task == NULL) {
    ac__free(b);
    return;
  }
  ac_task_wake(b->task);
}

void ac_spawn_blocking_init(struct ac_spawn_blocking_frame *fr,
                            ac_blocking_fn fn, void *arg) {
  assert(fr != NULL);
  fr->result = NULL;
  fr->fn = fn;
  fr->arg = arg;
  fr->req = NULL;
  fr->done = 0;
}

static ac_poll blocking_start(struct ac_spawn_blocking_frame *fr, ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0) {
    ac__task_fail(cx->task, err);
    return AC_PENDING;
  }
  struct ac__blocking *b = ac__malloc(sizeof *b);
  if (b == NULL)
    return ac__frame_oom(cx);
  *b = (struct ac__blocking){.ex = ex, .fn = fr->fn, .arg = fr->arg};
  b->work.data = b;
  b->task = cx->task;
  /* Cannot fail: the loop and both callbacks are valid. */
  err = uv_queue_work(&ex->loop, &b->work, work_cb, after_work_cb);
  assert(err == 0);
  (void)err;
  ex->blocking_inflight++;
  fr->req = b;
  return AC_PENDING;
}

ac_poll ac_spawn_blocking_poll(void *frame, ac_cx *cx) {
  struct ac_spawn_blocking_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->done)
    return AC_READY;
  if (fr->fn == NULL) {
    fr->done = 1;
    return AC_READY;
  }
  if (fr->req == NULL)
    return blocking_start(fr, cx);
  if (!fr->req->finished) {
    fr->req->task = cx->task;
    return AC_PENDING;
  }
  fr->result = fr->req->result;
  ac__free(fr->req);
  fr->req = NULL;
  fr->done = 1;
  return AC_READY;
}

void ac_spawn_blocking_drop(void *frame) {
  struct ac_spawn_blocking_frame *fr = frame;
  assert(fr != NULL);
  struct ac__blocking *b = fr->req;
  fr->req = NULL;
  fr->done = 1;
  if (b == NULL)
    return;
  if (b->finished)
    ac__free(b); /* Its result is discarded. */
  else
    b->task = NULL; /* after_work_cb frees it. */
}

void ac__blocking_wait(struct ac__exec *ex) {
  while (ex->blocking_inflight > 0)
    uv_run(&ex->loop, UV_RUN_ONCE);
}
