/* 04-waker: a future that waits for a libuv timer.  Its poll keeps the
 * task to wake (cx->task); the timer's callback wakes it; the executor
 * then polls it again. */
#define _POSIX_C_SOURCE 200809L /* <uv.h> needs POSIX under -std=c11 */
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

/* await(timer_wait(ms)): ready once a timer of ms milliseconds fires. */
static async void timer_wait(uint64_t ms);

/* What the callback touches lives outside the frame: libuv holds the
 * handle until its close callback, which may come after the frame is
 * gone. */
struct timer_rec {
  uv_timer_t timer;
  ac_task *task; /* the waker: the task to wake when the timer fires */
  int fired;
};

struct timer_wait_frame {
  uint64_t ms;
  struct timer_rec *rec; /* NULL until first polled, and once released */
  int done;
};

static void timer_wait_init(struct timer_wait_frame *fr, uint64_t ms) {
  fr->ms = ms;
  fr->rec = NULL;
  fr->done = 0;
}

static void timer_fired(uv_timer_t *timer) {
  struct timer_rec *rec = timer->data;
  rec->fired = 1;
  ac_task_wake(rec->task); /* wake: queue the task to be polled again */
}

static void timer_closed(uv_handle_t *handle) { free(handle->data); }

static void timer_release(struct timer_wait_frame *fr) {
  if (fr->rec != NULL)
    uv_close((uv_handle_t *)&fr->rec->timer, timer_closed);
  fr->rec = NULL;
}

static ac_poll timer_wait_poll(void *frame, ac_cx *cx) {
  struct timer_wait_frame *fr = frame;
  if (fr->done)
    return AC_READY;
  if (fr->rec == NULL) { /* first poll: start the timer */
    fr->rec = malloc(sizeof *fr->rec);
    if (fr->rec == NULL)
      return ac__frame_oom(cx);
    uv_timer_init(ac_uv_loop(), &fr->rec->timer);
    fr->rec->timer.data = fr->rec;
    fr->rec->fired = 0;
    uv_timer_start(&fr->rec->timer, timer_fired, fr->ms, 0);
  }
  fr->rec->task = cx->task; /* remember whom to wake */
  if (!fr->rec->fired)
    return AC_PENDING;
  timer_release(fr);
  fr->done = 1;
  return AC_READY;
}

static void timer_wait_drop(void *frame) { timer_release(frame); }

static const struct ac_future_info timer_wait_info = {
    timer_wait_poll, "timer_wait", NULL, NULL, 0, NULL};
__attribute__((constructor)) static void name_timer_wait(void) {
  ac__future_info_register(&timer_wait_info);
}

static async int main_async(void) {
  await(timer_wait(50));
  printf("first wait over\n");
  await(timer_wait(50));
  printf("second wait over\n");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
