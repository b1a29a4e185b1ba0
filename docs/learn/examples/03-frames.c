/* 03-frames: awaits nest, and so do frames: each caller's frame holds the
 * frame of the call it awaits, so an await allocates nothing. */
#include <asyncc.h>
#include <stdio.h>

static async int leaf(int ms) {
  await(ac_sleep((uint64_t)ms));
  return ms;
}

static async int middle(int a) {
  int doubled = a * 2; /* used before the await only: stays a C local */
  printf("middle: doubled is %d\n", doubled);
  int kept = a + 1; /* used after the await: saved in the frame */
  int slept = await(leaf(30));
  return kept + slept;
}

static async int main_async(void) {
  int r = await(middle(10));
  printf("main_async: middle gave %d\n", r);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
