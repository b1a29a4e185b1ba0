/* yield.c -- ac_yield and the forced suspension used by --test-suspend.
 *
 * Both suspend by waking their own task before returning AC_PENDING: the
 * task goes to the back of the run queue, so every task that was already
 * ready, and the loop (see executor.c), run before it is polled again. */
#include <assert.h>

#include "internal.h"

void ac_yield_init(struct ac_yield_frame *fr) {
  assert(fr != NULL);
  fr->yielded = 0;
}

ac_poll ac_yield_poll(void *frame, ac_cx *cx) {
  struct ac_yield_frame *fr = frame;
  assert(fr != NULL);
  if (fr->yielded)
    return AC_READY;
  fr->yielded = 1;
  return ac__test_suspend(cx);
}

/* A yield holds nothing. */
void ac_yield_drop(void *frame) { (void)frame; }

ac_poll ac__test_suspend(ac_cx *cx) {
  assert(cx != NULL && cx->task != NULL);
  ac_task_wake(cx->task);
  return AC_PENDING;
}
