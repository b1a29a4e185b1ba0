/* abort: cancelling a task from outside, and telling that it was.
 *
 * ac_task_abort(h) cancels the task behind h: the next time the executor
 * runs, the task's frames are dropped where they stand (its pending sleep
 * is stopped), and it never runs again.  The handle must still be joined;
 * the join of an aborted task completes at once with a zeroed result, and
 * ac_task_aborted(h) / ac_task_error(h) say why before the join.  Aborting
 * a task that has already finished changes nothing: its join gives its
 * real result. */
#include <asyncc.h>
#include <stdio.h>

/* A job that would take `ms` milliseconds, then return `value`. */
static async int job(const char *name, int ms, int value) {
  printf("%s: started, needs %d ms\n", name, ms);
  await(ac_sleep((uint64_t)ms));
  printf("%s: finished\n", name);
  return value;
}

/* Reports on a task, then joins it. */
static async void report_and_join(const char *name, AC_TASK(int) h) {
  int err = ac_task_error(h);
  printf("%s: aborted=%d, error=%d (%s)\n", name, ac_task_aborted(h), err,
         ac_strerror(err));
  int result = await(ac_join(h));
  printf("%s: join gave %d\n", name, result);
}

static async int main_async(void) {
  AC_TASK(int) quick = ac_spawn(job("quick", 10, 7));
  AC_TASK(int) endless = ac_spawn(job("endless", 60000, 99));

  await(ac_sleep(100)); /* quick is done by now; endless is asleep */
  printf("main: aborting both\n");
  ac_task_abort(quick);   /* finished already: nothing happens */
  ac_task_abort(endless); /* dropped while it sleeps */

  await(report_and_join("quick", quick));
  await(report_and_join("endless", endless));
  printf("main: done, without waiting the 60 s\n");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
