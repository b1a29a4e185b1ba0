// Covers: ac_block_on whose argument list contains another ac_block_on (the inner call runs to completion first).
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int add(int a, int b) {
  await(ac_yield());
  return a + b;
}

int main(void) {
  int r = ac_block_on(add(ac_block_on(val(5)), 6));
  printf("r=%d\n", r);
  return r == 11 ? 0 : 1;
}
