// Covers: loops with many iterations: 10000 awaits of a trivially ready async function, and 3000 awaits of ac_yield.
#include <asyncc.h>
#include <stdio.h>

static async int ready(int x) { return x + 1; }

static async void bump(unsigned *p) { *p = *p * 1103515245u + 12345u; }

static async int main_async(void) {
  long sum = 0;
  for (int i = 0; i < 10000; i++) {
    sum += await(ready(i));
    if (i % 2500 == 0)
      printf("i=%d sum=%ld\n", i, sum);
  }
  printf("sum=%ld\n", sum);
  unsigned seed = 1;
  int n = 0;
  while (n < 10000) {
    await(bump(&seed));
    n = await(ready(n));
  }
  printf("seed=%u n=%d\n", seed, n);
  for (int i = 0; i < 3000; i++)
    await(ac_yield());
  printf("yielded\n");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
