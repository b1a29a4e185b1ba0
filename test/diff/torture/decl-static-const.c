// Covers: static locals (persisting across calls and awaits, including static arrays) and const locals (scalar, array, struct, pointer-to-const) in async functions.
#include <asyncc.h>
#include <stdio.h>

struct cfg {
  int a, b;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int counter(void) {
  static int n;
  static int hist[4] = {1, 1, 1, 1};
  n++;
  int mine = n;
  await(ac_yield());
  hist[mine % 4] += await(val(mine));
  printf("counter call %d n=%d hist=%d,%d,%d,%d\n", mine, n, hist[0], hist[1], hist[2], hist[3]);
  return n;
}

static async int main_async(void) {
  const int limit = await(val(5));
  const double scale = 1.5;
  const int table[3] = {await(val(2)), 4, 8};
  const struct cfg c = {await(val(3)), 4};
  const char *const msg = "const pointer";
  static const char *names[] = {"zero", "one", "two"};
  int total = 0;
  for (int i = 0; i < limit; i++)
    total += await(counter());
  await(ac_yield());
  printf("limit=%d scale=%.1f table=%d,%d,%d c=%d,%d %s total=%d\n", limit, scale, table[0],
         table[1], table[2], c.a, c.b, msg, total);
  printf("%s %s\n", names[await(val(1))], names[table[0]]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
