// Covers: ac_block_on in expression positions: two in one expression, with macro constants and nested sync calls as arguments, member access on a struct result, inside macro arguments, and on functions defined after main.
#include <asyncc.h>
#include <stdio.h>

#define N 3
#define SHOW(label, v) printf("%s=%d\n", label, (v))

struct pt {
  int x, y;
};

static async int val(int x);
static async struct pt mk(int a, int b);

static int twice(int x) { return 2 * x; }

int main(void) {
  int a = ac_block_on(val(1)) + ac_block_on(val(N));
  SHOW("a", a);
  SHOW("b", ac_block_on(val(twice(N) + 1)));
  int c = ac_block_on(mk(N, 4)).y;
  SHOW("c", c);
  struct pt p = ac_block_on(mk(twice(N), twice(3)));
  printf("p=%d,%d\n", p.x, p.y);
  return a == 4 && c == 4 ? 0 : 1;
}

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async struct pt mk(int a, int b) {
  struct pt p = {await(val(a)), await(val(b))};
  return p;
}
