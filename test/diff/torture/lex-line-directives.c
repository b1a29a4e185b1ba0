// Covers: #line directives inside an async function that make several awaits report the same line number or go backwards.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int a, b, c;
#line 100
  a = await(val(1));
#line 100
  b = await(val(2));
#line 50 "elsewhere.c"
  c = await(val(3));
#line 100
  c += await(val(a + b));
  printf("a=%d b=%d c=%d\n", a, b, c);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
