/* yield-fairness: tasks share the thread by suspending.
 *
 * The executor is cooperative: a task runs until it awaits something that
 * is not ready, and only then can another task run.  await(ac_yield())
 * suspends exactly once, putting the task at the back of the run queue, so
 * two tasks that yield after each step take turns.  The same two tasks
 * without the yield run one after the other, each to the end. */
#include <asyncc.h>
#include <stdio.h>

/* Prints `steps` steps, yielding after each one if `polite`. */
static async void worker(const char *name, int steps, int polite) {
  for (int i = 1; i <= steps; i++) {
    printf("  %s step %d\n", name, i);
    if (polite)
      await(ac_yield());
  }
}

/* Runs two workers as tasks and waits for both. */
static async void run_pair(int polite) {
  AC_TASK(void) a = ac_spawn_void(worker("ping", 4, polite));
  AC_TASK(void) b = ac_spawn_void(worker("pong", 4, polite));
  await(ac_join_void(a));
  await(ac_join_void(b));
}

static async int main_async(void) {
  printf("with ac_yield after each step:\n");
  await(run_pair(1));
  printf("without it:\n");
  await(run_pair(0));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
