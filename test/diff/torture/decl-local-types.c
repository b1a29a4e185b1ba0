// Covers: struct, enum and typedef types declared inside an async function, with locals of those types living across awaits.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  struct span {
    int lo, hi;
  };
  enum mode { SLOW, FAST };
  typedef long counter;
  struct span s = {await(val(1)), await(val(9))};
  enum mode m = FAST;
  counter c = 0;
  for (int i = s.lo; i < s.hi; i++)
    c += await(val(i));
  m = c > 20 ? SLOW : FAST;
  printf("s=%d..%d c=%ld m=%d\n", s.lo, s.hi, c, (int)m);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
