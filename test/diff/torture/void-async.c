// Covers: void async functions with early returns (in loops, after awaits, in switch), falling off the end, and void awaits as statements.
#include <asyncc.h>
#include <stdio.h>

static int log_[32];
static int nlog;

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async void record(int x) {
  if (nlog >= 32)
    return;
  log_[nlog++] = await(val(x));
}

static async void scan(int limit) {
  for (int i = 0;; i++) {
    if (i >= limit)
      return;
    await(record(i * i));
    switch (await(val(i))) {
    case 3:
      await(record(-3));
      return;
    default:
      break;
    }
  }
}

static async void nothing(int x) {
  if (x)
    await(ac_yield());
}

static async int main_async(void) {
  await(scan(2));
  await(scan(10));
  await(nothing(0));
  await(nothing(1));
  await(record(100));
  for (int i = 0; i < nlog; i++)
    printf("%d ", log_[i]);
  printf("\nnlog=%d\n", nlog);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
