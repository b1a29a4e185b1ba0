// Covers: mutual recursion (is_even/is_odd, and a three-function cycle) through prototypes declared before the definitions.
#include <asyncc.h>
#include <stdio.h>

async int is_even(int n);
async int is_odd(int n);
static async int ping(int n, int *trace);

async int is_even(int n) {
  if (n == 0)
    return 1;
  return await(is_odd(n - 1));
}

async int is_odd(int n) {
  if (n == 0)
    return 0;
  if (n % 16 == 0)
    await(ac_yield());
  return await(is_even(n - 1));
}

static async int pong(int n, int *trace);
static async int pang(int n, int *trace) {
  *trace = *trace * 3 + 2;
  return n <= 0 ? 0 : 1 + await(ping(n - 1, trace));
}
static async int pong(int n, int *trace) {
  *trace = *trace * 3 + 1;
  await(ac_yield());
  return n <= 0 ? 0 : 1 + await(pang(n - 1, trace));
}
static async int ping(int n, int *trace) {
  *trace = (*trace * 3) % 1000003;
  return n <= 0 ? 0 : 1 + await(pong(n - 1, trace));
}

static async int main_async(void) {
  for (int n = 0; n < 10; n++)
    printf("%d: even=%d odd=%d\n", n, await(is_even(n)), await(is_odd(n)));
  printf("even(301)=%d\n", await(is_even(301)));
  int trace = 1;
  int r = await(ping(40, &trace));
  printf("r=%d trace=%d\n", r, trace);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
