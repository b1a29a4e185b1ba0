// Covers: deeply nested recursion with an awaited argument pattern (Ackermann for small m, n) and a recursion depth of a few hundred frames.
#include <asyncc.h>
#include <stdio.h>

static long steps;

static async int ack(int m, int n) {
  steps++;
  if (m == 0)
    return n + 1;
  if (n == 0)
    return await(ack(m - 1, 1));
  int inner = await(ack(m, n - 1));
  return await(ack(m - 1, inner));
}

static async int depth(int n) {
  if (n == 0)
    return 0;
  if (n % 50 == 0)
    await(ac_yield());
  return 1 + await(depth(n - 1));
}

static async int main_async(void) {
  for (int m = 0; m <= 2; m++)
    for (int n = 0; n <= 3; n++) {
      int r = await(ack(m, n));
      printf("ack(%d,%d)=%d steps=%ld\n", m, n, r, steps);
    }
  int r = await(ack(3, 2));
  printf("ack(3,2)=%d steps=%ld\n", r, steps);
  printf("depth=%d\n", await(depth(400)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
