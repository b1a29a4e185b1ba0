// Covers: async functions whose prototypes name their parameters differently from the definition or not at all, and a definition placed after main().
#include <asyncc.h>
#include <stdio.h>

static async int scale(int factor, int value);
static async int shift(int, int);
static async int main_async(void);

int main(void) { return ac_block_on(main_async()); }

static async int scale(int k, int v) {
  await(ac_yield());
  return k * v;
}

static async int shift(int amount, int v) {
  int r = v << amount;
  await(ac_yield());
  return r;
}

static async int main_async(void) {
  int a = await(scale(3, 7));
  int b = await(shift(2, a));
  printf("a=%d b=%d\n", a, b);
  return 0;
}
