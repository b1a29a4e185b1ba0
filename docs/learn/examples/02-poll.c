/* 02-poll: a future written by hand, whose poll answers "pending" twice
 * before it answers "ready". */
#include <asyncc.h>
#include <stdio.h>

/* await(countdown(n)) is pending n times, then ready with the value n.
 * asyncc sees this prototype; the frame and the three functions below are
 * what it calls. */
static async int countdown(int n);

struct countdown_frame {
  int left;   /* polls still to answer "pending" */
  int result; /* what the await gives, once the poll says "ready" */
};

static void countdown_init(struct countdown_frame *fr, int n) {
  fr->left = n; /* lazy: nothing else happens until the first poll */
  fr->result = n;
}

static ac_poll countdown_poll(void *frame, ac_cx *cx) {
  struct countdown_frame *fr = frame;
  if (fr->left == 0)
    return AC_READY;
  printf("countdown: %d to go, so: pending\n", fr->left--);
  ac_task_wake(cx->task); /* poll me again, after the others */
  return AC_PENDING;
}

static void countdown_drop(void *frame) { (void)frame; }

/* A name for the trace and the task dump (asyncc/task.h): asyncc
 * registers one for every async function it writes. */
static const struct ac_future_info countdown_info = {
    countdown_poll, "countdown", NULL, NULL, 0, NULL};
__attribute__((constructor)) static void name_countdown(void) {
  ac__future_info_register(&countdown_info);
}

static async int main_async(void) {
  int n = await(countdown(2));
  printf("main_async: countdown(2) is ready with %d\n", n);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
