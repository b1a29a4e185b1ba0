// Covers: struct and union results (small, large with arrays, nested) returned, assigned, passed on and checksummed.
#include <asyncc.h>
#include <stdio.h>

struct small {
  char a;
  short b;
};
struct big {
  int data[64];
  double avg;
  struct small tail;
};
union bits {
  double d;
  unsigned char raw[8];
};

static async struct small mk_small(int i) {
  await(ac_yield());
  struct small s = {(char)('a' + i), (short)(i * 100)};
  return s;
}

static async struct big mk_big(int seed) {
  struct big b;
  long sum = 0;
  for (int i = 0; i < 64; i++) {
    b.data[i] = (seed * 31 + i * 17) % 1000;
    sum += b.data[i];
  }
  await(ac_yield());
  b.avg = sum / 64.0;
  b.tail = await(mk_small(seed % 26));
  return b;
}

static async union bits mk_bits(double d) {
  union bits u;
  u.d = d;
  return u;
}

static async struct big twice(struct big b) {
  for (int i = 0; i < 64; i++)
    b.data[i] *= 2;
  await(ac_yield());
  b.avg *= 2;
  return b;
}

static unsigned ck(const struct big *b) {
  unsigned h = 1;
  for (int i = 0; i < 64; i++)
    h = h * 131u + (unsigned)b->data[i];
  return h + (unsigned)b->tail.a + (unsigned)b->tail.b;
}

static async int main_async(void) {
  struct small s = await(mk_small(3));
  printf("s=%c %d\n", s.a, s.b);
  struct big b = await(mk_big(7));
  printf("b ck=%u avg=%.3f tail=%c %d\n", ck(&b), b.avg, b.tail.a, b.tail.b);
  struct big b2 = await(twice(b));
  printf("b2 ck=%u avg=%.3f\n", ck(&b2), b2.avg);
  b = await(mk_big(11));
  b = await(twice(b));
  printf("b ck=%u avg=%.3f\n", ck(&b), b.avg);
  union bits u = await(mk_bits(1.0));
  unsigned h = 0;
  for (int i = 0; i < 8; i++)
    h = h * 7u + u.raw[i];
  printf("u h=%u\n", h);
  printf("direct %d %.3f\n", await(mk_big(2)).data[5], await(mk_big(3)).avg);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
