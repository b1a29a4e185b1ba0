// Covers: over-aligned locals (_Alignas(32), _Alignas(64)) living across awaits in a non-recursive async function; the alignment is printed.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int leaf(int n) {
  _Alignas(64) char buf[16];
  buf[0] = (char)n;
  await(ac_yield());
  return (int)((size_t)(void *)buf % 64) + buf[0] - n;
}

static async int main_async(void) {
  _Alignas(32) int a[4] = {1, 2, 3, 4};
  _Alignas(64) char b = 'b';
  a[0] = await(val(5));
  printf("a%%32=%d b%%64=%d a0=%d b=%c\n", (int)((size_t)(void *)a % 32),
         (int)((size_t)(void *)&b % 64), a[0], b);
  printf("leaf=%d\n", await(leaf(5)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
