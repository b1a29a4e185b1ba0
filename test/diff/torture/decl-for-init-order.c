// Covers: for-init declarations with several declarators in order: later ones read earlier ones, some are arrays or structs, some await.
#include <asyncc.h>
#include <stdio.h>

struct pair {
  int a, b;
};

static int ticks;
static int tick(void) { return ++ticks; }

static async int read_ticks(void) {
  await(ac_yield());
  return ticks;
}

static async int main_async(void) {
  for (int i = tick(), j = await(read_ticks()); i < 3; i++) {
    await(ac_yield());
    printf("i=%d j=%d\n", i, j);
  }
  for (int k = 5, a[2] = {k, k + 1}; k < 7; k++) {
    await(ac_yield());
    printf("k=%d a=%d,%d\n", k, a[0], a[1]);
  }
  for (int k = 3, *pk = &k; k < 5; k++) {
    await(ac_yield());
    printf("k=%d *pk=%d\n", k, *pk);
  }
  for (struct pair p = {1, 2}; p.a < 3; p.a++) {
    await(ac_yield());
    printf("p=%d,%d\n", p.a, p.b);
  }
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
