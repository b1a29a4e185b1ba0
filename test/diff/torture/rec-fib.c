// Covers: direct recursion (async fib, recursive sum over an array) with results combined after several recursive awaits.
#include <asyncc.h>
#include <stdio.h>

static long calls;

static async long fib(int n) {
  calls++;
  if (n < 2)
    return n;
  long a = await(fib(n - 1));
  long b = await(fib(n - 2));
  return a + b;
}

static async int rsum(const int *a, int n) {
  if (n == 0)
    return 0;
  if (n == 1) {
    await(ac_yield());
    return a[0];
  }
  int half = n / 2;
  int left = await(rsum(a, half));
  return left + await(rsum(a + half, n - half));
}

static async int main_async(void) {
  for (int n = 0; n <= 15; n += 3) {
    long f = await(fib(n));
    printf("fib(%d)=%ld calls=%ld\n", n, f, calls);
  }
  int data[100];
  for (int i = 0; i < 100; i++)
    data[i] = i * i % 97;
  printf("rsum=%d\n", await(rsum(data, 100)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
