/* spawn-join: two tasks run at the same time; main waits for both.
 *
 * ac_spawn(f(...)) makes the call a task of its own and returns a handle at
 * once; await(ac_join(h)) waits until that task has finished and gives its
 * result.  Both tasks sleep, and the sleeps overlap: the task spawned
 * second sleeps less, so it finishes first, and the whole run takes about
 * as long as the longer sleep (100 ms), not the sum of the two. */
#include <asyncc.h>
#include <stdio.h>

/* Sleeps `ms` milliseconds, says so, and returns `ms`. */
static async int nap(const char *who, int ms) {
  printf("%s: going to sleep for %d ms\n", who, ms);
  await(ac_sleep((uint64_t)ms));
  printf("%s: woke up after %d ms\n", who, ms);
  return ms;
}

static async int main_async(void) {
  /* ac_spawn only queues a task: it first runs when main_async suspends. */
  AC_TASK(int) slow = ac_spawn(nap("slow", 100));
  AC_TASK(int) fast = ac_spawn(nap("fast", 30));
  printf("main: spawned two tasks\n");

  /* Joining slow first is fine: fast keeps running meanwhile, and its
   * result waits in its task until it is joined. */
  int a = await(ac_join(slow));
  printf("main: joined slow, it returned %d\n", a);
  int b = await(ac_join(fast));
  printf("main: joined fast, it returned %d\n", b);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
