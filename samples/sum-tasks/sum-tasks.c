/* sum-tasks: split a sum across N tasks, then join them and add up.
 *
 * Each task sums the squares of its own slice of 1..LIMIT, yielding to the
 * others now and then, so the N tasks take turns on the one thread.  The
 * handles are kept in an array, AC_TASK(long long) like any other type; each
 * join gives back the task's result with its C type (no void * casts).  In
 * the sync view each task runs to the end as it is spawned, and the program
 * prints the same lines: the results do not depend on the interleaving. */
#include <asyncc.h>
#include <stdio.h>

#define TASKS 8
#define LIMIT 80000

/* The sum of k*k for k in [from, to), yielding every 1000 terms. */
static async long long sum_squares(long long from, long long to) {
  long long sum = 0;
  for (long long k = from; k < to; k++) {
    sum += k * k;
    if (k % 1000 == 0)
      await(ac_yield());
  }
  return sum;
}

static async int main_async(void) {
  AC_TASK(long long) tasks[TASKS];
  long long slice = LIMIT / TASKS;
  for (int i = 0; i < TASKS; i++)
    tasks[i] = ac_spawn(sum_squares(1 + i * slice, 1 + (i + 1) * slice));
  printf("spawned %d tasks, each summing %lld squares\n", TASKS, slice);

  long long total = 0;
  for (int i = 0; i < TASKS; i++) {
    long long part = await(ac_join(tasks[i]));
    printf("task %d: squares %lld..%lld sum to %lld\n", i, 1 + i * slice,
           (i + 1) * slice, part);
    total += part;
  }

  /* Check against the closed form n(n+1)(2n+1)/6. */
  long long n = LIMIT;
  long long expect = n * (n + 1) * (2 * n + 1) / 6;
  printf("total %lld, closed form %lld: %s\n", total, expect,
         total == expect ? "equal" : "DIFFERENT");
  return total == expect ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
