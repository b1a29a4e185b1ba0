/* 01-future: an async function is a state machine that runs only when
 * polled.  add_one pauses once, in the middle. */
#include <asyncc.h>
#include <stdio.h>

static async int add_one(int n) {
  printf("add_one(%d): starts\n", n);
  await(ac_sleep(50));
  printf("add_one(%d): resumes after the sleep\n", n);
  return n + 1;
}

static async int main_async(void) {
  printf("main_async: awaits add_one(41)\n");
  int x = await(add_one(41));
  printf("main_async: add_one gave %d\n", x);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
