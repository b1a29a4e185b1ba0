/* 08-cancel: a task is cancelled by dropping its frame: whatever it was
 * waiting for is released, and its cleanup hooks run. */
#include <asyncc.h>
#include <stdio.h>

/* A cleanup hook: runs if the task is dropped while the hook is pushed. */
static void on_drop(void *arg) {
  (void)arg;
  printf("cleanup: worker dropped\n");
}

static async int worker(void) {
  struct ac_cleanup hook;
  ac_cleanup_push(&hook, on_drop, NULL);
  await(ac_sleep(50));
  printf("worker: step 1 done\n");
  await(ac_sleep(60000)); /* a long step 2: a minute */
  printf("worker: step 2 done\n");
  ac_cleanup_pop(&hook, 0);
  return 2;
}

static async int main_async(void) {
  AC_TASK(int) w = ac_spawn(worker());
  await(ac_sleep(250));
  ac_task_abort(w);
  printf("main_async: aborted the worker\n");
  int steps = await(ac_join(w));
  printf("main_async: the join gave %d\n", steps);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
