/* 05-executor: what the executor does between polls.  A yield puts the
 * task back on the run queue at once; a sleep leaves the queue empty, and
 * the executor blocks in the libuv loop until the timer fires. */
#include <asyncc.h>
#include <stdio.h>

static async int main_async(void) {
  printf("yield once\n");
  await(ac_yield());
  printf("sleep 50 ms\n");
  await(ac_sleep(50));
  printf("done\n");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
