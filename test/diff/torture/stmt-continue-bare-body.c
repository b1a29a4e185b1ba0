// Covers: a loop body that is nothing but `continue;` (or `if (c) continue;`) in do-while and for loops whose condition or increment awaits.
#include <asyncc.h>
#include <stdio.h>

static int tests;

static async int lt(int a, int b) {
  tests++;
  await(ac_yield());
  return a < b;
}

static async int inc(int x) { return x + 1; }

static async int main_async(void) {
  int i = 0;
  do
    continue;
  while (await(lt(i++, 3)));
  printf("do: i=%d tests=%d\n", i, tests);
  int j;
  for (j = 0; j < 4; j = await(inc(j)))
    continue;
  printf("for: j=%d\n", j);
  int k = 0;
  do
    if (k % 2)
      continue;
  while (await(lt(k++, 5)));
  printf("do-if: k=%d tests=%d\n", k, tests);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
