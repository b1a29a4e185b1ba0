// Covers: async results of type void, char, short, int, unsigned, long long, float, double, long double, _Bool, enum, size_t, all used in expressions.
#include <asyncc.h>
#include <stdio.h>
#include <stddef.h>

enum dir { N, E, S, W };

static int side;

static async void v(void) {
  side++;
  await(ac_yield());
}
static async char c(void) { return 'z'; }
static async short sh(int x) {
  await(ac_yield());
  return (short)(x * 3);
}
static async unsigned u(void) { return 4000000000u; }
static async long long ll(void) {
  await(ac_yield());
  return -(1LL << 50);
}
static async float f(void) { return 0.5f; }
static async double d(void) {
  await(ac_yield());
  return 1e-3;
}
static async long double ld(void) { return 1.25L; }
static async _Bool b(int x) { return x > 3; }
static async enum dir turn(enum dir x) {
  await(ac_yield());
  return (enum dir)((x + 1) % 4);
}
static async size_t sz(void) { return sizeof(struct { char c[37]; }); }

static async int main_async(void) {
  await(v());
  await(v());
  printf("side=%d\n", side);
  printf("c=%c sh=%d u=%u ll=%lld\n", await(c()), await(sh(-7)), await(u()), await(ll()));
  printf("f=%.3f d=%.5f ld=%.3Lf\n", await(f()), await(d()), await(ld()));
  printf("b=%d %d\n", await(b(2)), await(b(9)));
  enum dir x = N;
  for (int i = 0; i < 6; i++)
    x = await(turn(x));
  printf("x=%d sz=%zu\n", x, await(sz()));
  double mix = await(f()) + await(d()) * await(sh(2)) - (double)await(c());
  printf("mix=%.4f\n", mix);
  return await(b(1)) ? 1 : 0;
}

int main(void) { return ac_block_on(main_async()); }
