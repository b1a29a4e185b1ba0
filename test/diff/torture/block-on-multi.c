// Covers: several ac_block_on calls in sequence from main and from a synchronous helper, with void, int and struct results and arguments with side effects.
#include <asyncc.h>
#include <stdio.h>

struct pair {
  int a, b;
};

static int global;

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async void bump(int n) {
  for (int i = 0; i < n; i++)
    global += await(val(i));
}

static async struct pair mkpair(int a) {
  struct pair p = {a, await(val(a * a))};
  return p;
}

static int helper(int n) {
  ac_block_on(bump(n));
  return ac_block_on(val(global)) + 1;
}

int main(void) {
  ac_block_on(bump(4));
  printf("global=%d\n", global);
  int h = helper(3);
  printf("h=%d global=%d\n", h, global);
  struct pair p = ac_block_on(mkpair(global++));
  printf("p=%d,%d global=%d\n", p.a, p.b, global);
  int total = 0;
  for (int i = 0; i < 5; i++)
    total += ac_block_on(val(i * 3));
  printf("total=%d\n", total);
  return ac_block_on(val(total)) == 30 ? 0 : 5;
}
