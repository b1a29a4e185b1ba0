// Covers: awaits in for-increments, with continue in the body (continue must still run the awaiting increment) and nested loops.
#include <asyncc.h>
#include <stdio.h>

static int incs;

static async int next(int i) {
  incs++;
  await(ac_yield());
  return i + 1;
}

static async int val(int x) { return x; }

static async int main_async(void) {
  int sum = 0;
  for (int i = 0; i < 10; i = await(next(i))) {
    if (i % 3 == 1)
      continue;
    sum += i;
    printf("i=%d sum=%d incs=%d\n", i, sum, incs);
  }
  printf("sum=%d incs=%d\n", sum, incs);

  int j;
  for (j = 0; j < 20; j += await(val(3))) {
    if (j == 6)
      continue;
    for (int k = 0; k < 3; k = await(next(k))) {
      if (k == 1)
        continue;
      printf("j=%d k=%d\n", j, k);
    }
  }
  printf("j=%d incs=%d\n", j, incs);

  int a = 0, b = 0;
  for (a = 0; a < 4; a++, b = await(next(b)))
    if (a == 2)
      continue;
  printf("a=%d b=%d\n", a, b);

  int c = 0;
  for (int m = 0; await(val(m)) < 5; m = await(next(m))) {
    c += m;
    if (m & 1)
      continue;
    c *= 2;
  }
  printf("c=%d incs=%d\n", c, incs);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
