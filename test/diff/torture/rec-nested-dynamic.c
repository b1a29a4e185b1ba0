// Covers: recursive awaits nested inside each other's arguments (Ackermann written as await(ack(m-1, await(ack(m, n-1))))) and several recursive awaits in one expression, with struct results.
#include <asyncc.h>
#include <stdio.h>

struct stats {
  long calls;
  int max[4];
};

static async int ack(int m, int n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return await(ack(m - 1, 1));
  return await(ack(m - 1, await(ack(m, n - 1))));
}

static async long tri(int n) { return n == 0 ? 0 : n + await(tri(n - 1)) + await(tri(0)) * await(tri(n - 1)); }

static async struct stats gather(int n) {
  struct stats s = {1, {n, n * 2, n * 3, n * 4}};
  if (n == 0)
    return s;
  struct stats a = await(gather(n - 1)), b = await(gather(n / 2));
  s.calls += a.calls + b.calls;
  for (int i = 0; i < 4; i++) {
    int m = a.max[i] > b.max[i] ? a.max[i] : b.max[i];
    if (m > s.max[i])
      s.max[i] = m;
  }
  await(ac_yield());
  return s;
}

static async int main_async(void) {
  for (int m = 0; m <= 2; m++)
    for (int n = 0; n <= 3; n++) {
      int r = await(ack(m, n));
      printf("ack(%d,%d)=%d\n", m, n, r);
    }
  long t = await(tri(20));
  printf("tri=%ld\n", t);
  struct stats s = await(gather(12));
  printf("calls=%ld max=%d,%d,%d,%d\n", s.calls, s.max[0], s.max[1], s.max[2], s.max[3]);
  printf("direct=%ld\n", await(gather(5)).calls + await(gather(6)).max[3]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
