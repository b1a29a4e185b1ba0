// Covers: union locals and struct locals with bit-fields, written from awaits and read across awaits (including bit-field compound assignment).
#include <asyncc.h>
#include <stdio.h>

struct flags {
  unsigned a : 3;
  unsigned b : 5;
  signed c : 4;
  unsigned : 0;
  unsigned d : 12;
};
union word {
  unsigned u;
  unsigned char bytes[4];
  struct {
    unsigned short lo, hi;
  } halves;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  struct flags f = {1, 2, -3, 100};
  union word w = {.u = 0};
  union word w2 = {0x01020304u};
  printf("f %u %u %d %u\n", f.a, f.b, f.c, f.d);
  f.a = (unsigned)await(val(9));
  f.b += (unsigned)await(val(40));
  f.c = await(val(-8));
  f.d |= (unsigned)await(val(0xf00));
  printf("f %u %u %d %u\n", f.a, f.b, f.c, f.d);
  w.halves.lo = (unsigned short)await(val(0x1234));
  w.halves.hi = (unsigned short)await(val(0x5678));
  await(ac_yield());
  printf("w.u=%x w2.u=%x\n", w.u, w2.u);
  w2.u ^= w.u;
  unsigned sum = 0;
  for (int i = 0; i < 4; i++)
    sum = sum * 257u + w2.bytes[await(val(i))];
  printf("sum=%u\n", sum);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
