// Covers: ac_sleep(0), ac_sleep(1) and ac_yield awaited in statements, loops, conditions (via comma) and nested callees.
#include <asyncc.h>
#include <stdio.h>

static async int slow(int x) {
  await(ac_sleep(1));
  await(ac_yield());
  await(ac_sleep(0));
  return x * 2;
}

static async int main_async(void) {
  int t = 0;
  await(ac_sleep(0));
  printf("after sleep(0)\n");
  await(ac_sleep(1));
  printf("after sleep(1)\n");
  await(ac_yield());
  printf("after yield\n");
  for (int i = 0; i < 5; i++) {
    await(ac_sleep((unsigned)(i % 2)));
    t += await(slow(i));
    printf("i=%d t=%d\n", i, t);
  }
  while ((await(ac_yield()), t > 3)) {
    t -= 4;
    printf("t=%d\n", t);
  }
  if ((await(ac_sleep(0)), t == 0))
    printf("zero\n");
  else
    printf("t=%d\n", t);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
