// Covers: parameters named state, result and sub (the frame's own member names) in async functions with void and non-void results.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int f(int state, int result, int sub) {
  state += await(val(1));
  result *= await(val(2));
  sub -= await(val(3));
  return state + result + sub;
}

static async void g(int *out, int state) {
  int result = await(val(state * 2));
  *out = result + state;
}

static async int main_async(void) {
  int r = await(f(10, 20, 30));
  int o = 0;
  await(g(&o, 5));
  printf("r=%d o=%d\n", r, o);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
