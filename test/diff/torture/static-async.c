// Covers: static async functions, extern async functions, prototypes before definitions, and async functions that never await.
#include <asyncc.h>
#include <stdio.h>

static async int twice(int x);
async int thrice(int x);

static async int never(int x) { return x - 1; }

async int thrice(int x) {
  await(ac_yield());
  return x * 3;
}

static async int twice(int x) { return x + await(never(x + 1)); }

static async void noop(void) {}

static async int main_async(void) {
  int a = await(twice(5));
  await(noop());
  int b = await(thrice(a));
  int six = await(thrice(2));
  int c = await(never(six + 0));
  printf("a=%d b=%d c=%d\n", a, b, c);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
