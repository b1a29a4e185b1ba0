// Covers: large frames (a 64 KiB local array across awaits) in a direct call and in a recursion 40 levels deep with a 4 KiB array per level.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async unsigned deep(int n) {
  int local[1024];
  for (int i = 0; i < 1024; i++)
    local[i] = i * n;
  await(ac_yield());
  unsigned below = n > 0 ? await(deep(n - 1)) : 0u;
  unsigned h = below;
  for (int i = 0; i < 1024; i += 100)
    h = h * 31u + (unsigned)local[i];
  return h;
}

static async int main_async(void) {
  int big[16384];
  for (int i = 0; i < 16384; i++)
    big[i] = await(val(i % 251));
  unsigned h = 0;
  for (int i = 0; i < 16384; i++)
    h = h * 131u + (unsigned)big[i];
  printf("big h=%u\n", h);
  printf("deep=%u\n", await(deep(40)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
