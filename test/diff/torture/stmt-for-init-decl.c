// Covers: for loops with init declarations (one and several declarators) whose variables live across awaits in the body.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int total = 0;
  for (int i = 0; i < 5; i++) {
    int v = await(val(i * 3));
    total += v;
    printf("i=%d v=%d total=%d\n", i, v, total);
  }
  for (int i = 0, j = 10; i < j; i += 2, j--) {
    total += await(val(i)) * j;
    printf("i=%d j=%d total=%d\n", i, j, total);
  }
  for (unsigned u = 1; u < 100u; u *= 3)
    total += (int)await(val((int)u));
  printf("total=%d\n", total);
  for (int i = await(val(2)); i < await(val(6)); i += await(val(1)))
    printf("awaiting header i=%d\n", i);
  for (int i = 0; i < 3; i++)
    for (int k = i; k < 3; k++)
      total += await(val(i + k));
  printf("final total=%d\n", total);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
