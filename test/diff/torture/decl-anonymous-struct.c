// Covers: locals of unnamed struct and union types (declared in the declaration itself) living across awaits.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  struct {
    int a, b;
  } pair = {1, 2};
  union {
    int i;
    unsigned u;
  } num;
  num.i = await(val(-1));
  pair.b += await(val(40));
  printf("pair=%d,%d num=%u\n", pair.a, pair.b, num.u);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
