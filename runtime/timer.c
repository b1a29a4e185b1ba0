/* timer.c -- ac_sleep, the runtime's timer leaf future.
 *
 * A sleep frame holds only a pointer to a runtime-owned record with the
 * uv_timer_t, because a libuv handle must stay alive until its close
 * callback runs, which may be after the frame is gone.  Records are not
 * closed when a sleep ends: they are stopped and cached on the loop, so
 * steady-state sleeping does not touch the heap.  The cache is closed with
 * the loop (loop.c).
 *
 * ac_sleep(0) still suspends: it completes on the next turn of the loop,
 * after other ready tasks and due timers, like a timer of 0 in libuv.  The
 * loop's clock is updated before each start so that a sleep never ends
 * early because the loop's cached time is stale. */
#include <assert.h>

#include "internal.h"

/* Where a finished or dropped sleep frame points: it is never started
 * again, and drop and poll know there is nothing to release. */
static struct ac__timer finished;

static void timer_cb(uv_timer_t *handle) {
  struct ac__timer *t = handle->data;
  t->fired = 1;
  ac_task_wake(t->task);
}

static void timer_close_cb(uv_handle_t *handle) { ac__free(handle->data); }

/* Takes a stopped record from the cache, or makes a new one; NULL when out
 * of memory. */
static struct ac__timer *timer_get(struct ac__exec *ex) {
  struct ac__timer *t = ex->timer_cache;
  if (t != NULL) {
    ex->timer_cache = t->next;
    ex->timer_cache_len--;
    return t;
  }
  t = ac__malloc(sizeof *t);
  if (t == NULL)
    return NULL;
  uv_timer_init(&ex->loop, &t->handle); /* Cannot fail. */
  t->handle.data = t;
  return t;
}

/* Stops `t` and caches it, or closes it when the cache is full. */
static void timer_put(struct ac__timer *t) {
  struct ac__exec *ex = ac__container_of(t->handle.loop, struct ac__exec, loop);
  uv_timer_stop(&t->handle);
  t->task = NULL;
  if (ex->timer_cache_len >= AC__TIMER_CACHE_MAX) {
    uv_close((uv_handle_t *)&t->handle, timer_close_cb);
    return;
  }
  t->next = ex->timer_cache;
  ex->timer_cache = t;
  ex->timer_cache_len++;
}

void ac__timer_cache_close(struct ac__exec *ex) {
  while (ex->timer_cache != NULL) {
    struct ac__timer *t = ex->timer_cache;
    ex->timer_cache = t->next;
    uv_close((uv_handle_t *)&t->handle, timer_close_cb);
  }
  ex->timer_cache_len = 0;
}

unsigned ac__test_timer_cache_len(void) {
  return ac__exec_current()->timer_cache_len;
}

void ac_sleep_init(struct ac_sleep_frame *fr, uint64_t ms) {
  assert(fr != NULL);
  fr->ms = ms;
  fr->timer = NULL;
}

static ac_poll sleep_start(struct ac_sleep_frame *fr, ac_cx *cx) {
  struct ac__exec *ex = cx->task->ex;
  struct ac__timer *t = timer_get(ex);
  if (t == NULL)
    return ac__frame_oom(cx);
  t->task = cx->task;
  t->fired = 0;
  uv_update_time(&ex->loop);
  uv_timer_start(&t->handle, timer_cb, fr->ms, 0); /* Cannot fail. */
  fr->timer = t;
  return AC_PENDING;
}

ac_poll ac_sleep_poll(void *frame, ac_cx *cx) {
  struct ac_sleep_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->timer == NULL)
    return sleep_start(fr, cx);
  if (fr->timer == &finished)
    return AC_READY;
  if (!fr->timer->fired) {
    fr->timer->task = cx->task;
    return AC_PENDING;
  }
  timer_put(fr->timer);
  fr->timer = &finished;
  return AC_READY;
}

/* Stops a pending sleep's timer and returns its record; a sleep never
 * polled or already finished holds nothing. */
void ac_sleep_drop(void *frame) {
  struct ac_sleep_frame *fr = frame;
  assert(fr != NULL);
  if (fr->timer != NULL && fr->timer != &finished)
    timer_put(fr->timer);
  fr->timer = &finished;
}
