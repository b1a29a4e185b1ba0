// Covers: a named struct and a named enum type declared in the same declaration as locals that live across awaits (struct tag { ... } var = ...;).
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  struct range {
    int lo, hi;
  } r = {await(val(2)), 9}, other = {0, 0};
  enum level { LOW, HIGH } lv = HIGH;
  other.hi = await(val(r.hi * 2));
  struct range copy = r;
  await(ac_yield());
  printf("r=%d..%d other=%d..%d copy=%d lv=%d\n", r.lo, r.hi, other.lo, other.hi, copy.hi, (int)lv);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
