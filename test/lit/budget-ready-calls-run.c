// Tests that a task looping on awaits of an async function that never waits still returns to the executor every AC_TASK_BUDGET calls, so another task makes progress.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// REQUIRES: runtime
//
// CHECK: the loop was stopped by the other task: yes
// CHECK-NEXT: longest run between turns: between 1 and AC_TASK_BUDGET
#include <asyncc.h>

int printf(const char *, ...);

static unsigned turns; /* how many times the other task has run */
static int stop;       /* set by the other task after 1000 turns */

static async int ready(int x) { return x + 1; }

/* Counts the calls made between two turns of the other task.  Without a
 * turn for others it would spin forever: it gives up after 10^7 calls. */
static async void spinner(long *longest, int *stopped) {
  unsigned seen = turns;
  long run = 0;
  for (long calls = 0; !stop && calls < 10000000; calls++) {
    run = await(ready((int)run));
    if (turns != seen) {
      seen = turns;
      if (run - 1 > *longest)
        *longest = run - 1;
      run = 0;
    }
  }
  *stopped = stop;
}

static async void other(void) {
  for (int i = 0; i < 1000; i++) {
    turns++;
    await(ac_yield());
  }
  stop = 1;
}

static async int main_async(void) {
  long longest = 0;
  int stopped = 0;
  AC_TASK(void) s = ac_spawn_void(spinner(&longest, &stopped));
  AC_TASK(void) o = ac_spawn_void(other());
  await(ac_join_void(o));
  await(ac_join_void(s));
  printf("the loop was stopped by the other task: %s\n",
         stopped ? "yes" : "no");
  printf("longest run between turns: %s\n",
         longest >= 1 && longest <= AC_TASK_BUDGET ? "between 1 and AC_TASK_BUDGET"
                                                   : "out of bounds");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
