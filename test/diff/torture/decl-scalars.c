// Covers: scalar locals of every arithmetic type (char, short, long long, unsigned, float, double, _Bool, enum) initialised from awaits and kept across awaits.
#include <asyncc.h>
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };

static async int vi(int x) {
  await(ac_yield());
  return x;
}
static async double vd(double x) {
  await(ac_yield());
  return x;
}
static async long long vll(long long x) { return x; }
static async enum color vc(int i) { return i ? BLUE : GREEN; }

static async int main_async(void) {
  char c = (char)await(vi('q'));
  signed char sc = (signed char)await(vi(-5));
  unsigned char uc = (unsigned char)await(vi(250));
  short s = (short)await(vi(-1234));
  unsigned short us = (unsigned short)await(vi(65000));
  int i = await(vi(-7)), j = 3;
  unsigned u = (unsigned)await(vi(4000000));
  long l = await(vi(123456)) * 1000L;
  unsigned long ul = 99ul + (unsigned long)await(vi(1));
  long long ll = await(vll(1LL << 40));
  unsigned long long ull = (unsigned long long)await(vll(-1));
  float f = (float)await(vd(0.25));
  double d = await(vd(3.125));
  long double ld = await(vd(2.5)) * 2;
  _Bool b = await(vi(2));
  enum color col = await(vc(1)), col2 = await(vc(0));
  await(ac_yield());
  printf("c=%c sc=%d uc=%u s=%d us=%u\n", c, sc, uc, s, us);
  printf("i=%d j=%d u=%u l=%ld ul=%lu\n", i, j, u, l, ul);
  printf("ll=%lld ull=%llu\n", ll, ull);
  printf("f=%.4f d=%.4f ld=%.4Lf b=%d col=%d col2=%d\n", f, d, ld, b, col, col2);
  c++;
  s -= await(vi(6));
  ll += await(vll(5));
  f *= (float)await(vd(4.0));
  col = (enum color)(col - 1);
  printf("c=%c s=%d ll=%lld f=%.3f col=%d\n", c, s, ll, f, col);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
