/* 04-callbacks: the program of 04-waker.c written with libuv callbacks
 * alone, as C programs do without async: the state machine is written by
 * hand, and each callback must know which step comes next. */
#define _POSIX_C_SOURCE 200809L /* <uv.h> needs POSIX under -std=c11 */
#include <stdio.h>
#include <uv.h>

struct program {
  uv_timer_t timer;
  int step; /* where the program is: the state, kept by hand */
};

static void on_timer(uv_timer_t *timer) {
  struct program *p = timer->data;
  switch (p->step++) {
  case 0:
    printf("first wait over\n");
    uv_timer_start(timer, on_timer, 50, 0); /* what comes next */
    break;
  case 1:
    printf("second wait over\n");
    uv_close((uv_handle_t *)timer, NULL);
    break;
  }
}

int main(void) {
  uv_loop_t loop;
  struct program p = {.step = 0};
  uv_loop_init(&loop);
  uv_timer_init(&loop, &p.timer);
  p.timer.data = &p;
  uv_timer_start(&p.timer, on_timer, 50, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  return uv_loop_close(&loop);
}
