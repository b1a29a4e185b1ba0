// Covers: while loops with awaits in the condition and the body, break and continue (continue must re-run the awaiting condition).
#include <asyncc.h>
#include <stdio.h>

static int polls;

static async int below(int i, int n) {
  polls++;
  await(ac_yield());
  return i < n;
}

static async int val(int x) { return x; }

static async int main_async(void) {
  int i = 0, sum = 0;
  while (await(below(i, 10))) {
    i++;
    if (i % 3 == 0)
      continue;
    sum += await(val(i));
    printf("i=%d sum=%d polls=%d\n", i, sum, polls);
  }
  printf("after loop 1: i=%d sum=%d polls=%d\n", i, sum, polls);

  int j = 100;
  while (1) {
    j -= await(val(7));
    if (j < 50)
      break;
    if (j % 2)
      continue;
    printf("j=%d\n", j);
  }
  printf("after loop 2: j=%d\n", j);

  int k = 0;
  while (k < 5)
    k += await(val(2));
  printf("k=%d\n", k);

  int n = 0;
  while (await(val(n)) < 3 && await(below(n, 100)))
    n++;
  printf("n=%d polls=%d\n", n, polls);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
