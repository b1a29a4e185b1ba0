// Covers: async function definitions in less common forms: static inline, a const-qualified return type, and specifiers in unusual order.
#include <asyncc.h>
#include <stdio.h>

static inline async int twice(int x) {
  await(ac_yield());
  return 2 * x;
}

static async int seven(void) {
  await(ac_yield());
  return 7;
}

static async const int konst(int x) {
  await(ac_yield());
  return x + 1;
}

async static int odd_order(int x) {
  await(ac_yield());
  return x - 1;
}

static async int main_async(void) {
  int a = await(twice(4));
  int b = await(seven());
  int c = await(konst(a + b));
  int d = await(odd_order(c));
  printf("a=%d b=%d c=%d d=%d\n", a, b, c, d);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
