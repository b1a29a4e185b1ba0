// Covers: continue and break spelled through macros inside loops whose condition or increment awaits.
#include <asyncc.h>
#include <stdio.h>

#define SKIP continue
#define SKIP_IF(c) if (c) continue
#define STOP break

static async int inc(int x) {
  await(ac_yield());
  return x + 1;
}

static async int lt(int a, int b) { return a < b; }

static async int main_async(void) {
  int sum = 0;
  for (int i = 0; i < 10; i = await(inc(i))) {
    if (i % 3 == 0)
      SKIP;
    sum += i;
  }
  printf("sum=%d\n", sum);
  int n = 0, odd = 0;
  do {
    n++;
    SKIP_IF(n % 2 == 0);
    odd++;
    if (n > 100)
      STOP;
  } while (await(lt(n, 9)));
  printf("n=%d odd=%d\n", n, odd);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
