// Covers: two async functions whose names differ only in case (step and STEP), both awaiting.
#include <asyncc.h>
#include <stdio.h>

static async int step(int x) {
  await(ac_yield());
  return x + 1;
}

static async int STEP(int x) {
  await(ac_yield());
  return x * 10;
}

static async int main_async(void) {
  int a = await(step(1));
  int b = await(STEP(a));
  printf("a=%d b=%d\n", a, b);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
