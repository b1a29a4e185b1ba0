// Covers: a chain of hand-written async functions of different shapes (void, struct, pointer results) calling each other several levels deep.
#include <asyncc.h>
#include <stdio.h>

struct acc {
  int n;
  long sum;
};

static async int leaf(int x) {
  await(ac_yield());
  return x + 1;
}

static async void level3(struct acc *a, int x) {
  a->n++;
  a->sum += await(leaf(x));
}

static async struct acc level2(int from, int to) {
  struct acc a = {0, 0};
  for (int i = from; i < to; i++)
    await(level3(&a, i));
  return a;
}

static async struct acc *level1(struct acc *out, int k) {
  struct acc part = await(level2(0, k));
  out->n += part.n;
  out->sum += part.sum;
  part = await(level2(k, 2 * k));
  out->n += part.n;
  out->sum += part.sum * 2;
  return out;
}

static async long level0(void) {
  struct acc total = {0, 0};
  for (int k = 1; k <= 5; k++) {
    struct acc *p = await(level1(&total, k));
    printf("k=%d n=%d sum=%ld same=%d\n", k, p->n, p->sum, p == &total);
  }
  return total.sum;
}

static async int main_async(void) {
  long s = await(level0());
  printf("s=%ld\n", s);
  return (int)(s % 7);
}

int main(void) { return ac_block_on(main_async()); }
