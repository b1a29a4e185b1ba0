// Covers: recursion 300 levels deep where each level passes the address of its own 1 KiB local array to the next and reads it back after the callee's awaits (dynamic frames must never move).
#include <asyncc.h>
#include <stdio.h>

static async void fill(int depth, unsigned *parent) {
  unsigned mine[256];
  for (int i = 0; i < 256; i++)
    mine[i] = (unsigned)depth;
  if (depth % 7 == 0)
    await(ac_yield());
  if (depth > 0)
    await(fill(depth - 1, mine));
  unsigned sum = 0;
  for (int i = 0; i < 256; i += 51)
    sum += mine[i];
  if (parent) {
    await(ac_yield());
    for (int i = 0; i < 256; i++)
      parent[i] += sum + (unsigned)i;
  }
}

static async int main_async(void) {
  unsigned top[256] = {0};
  await(fill(300, top));
  unsigned h = 0;
  for (int i = 0; i < 256; i++)
    h = h * 33u + top[i];
  printf("top[0]=%u top[255]=%u h=%u\n", top[0], top[255], h);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
