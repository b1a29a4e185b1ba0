// Covers: several awaits as arguments of one call (sync and async callees), awaits as printf arguments, awaits as arguments of sync calls nested in arguments.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static int sum3(int a, int b, int c) { return a * 100 + b * 10 + c; }

static async int asum3(int a, int b, int c) {
  await(ac_yield());
  return a * 100 + b * 10 + c;
}

static async double avg(double a, double b) { return (a + b) / 2; }

static async int main_async(void) {
  int r = sum3(await(val(1)), await(val(2)), await(val(3)));
  printf("r=%d\n", r);
  r = await(asum3(4, 5, r));
  printf("r=%d\n", r);
  printf("%d %d %d\n", await(val(7)), await(val(8)), await(val(9)));
  printf("%.3f\n", await(avg(3, 4.5)));
  r = sum3(1, await(val(r)), sum3(await(val(1)), await(val(0)), 2));
  printf("r=%d\n", r);
  r = sum3(sum3(await(val(1)), 2, 3), sum3(4, await(val(5)), 6), await(asum3(7, 8, 9)));
  printf("r=%d\n", r);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
