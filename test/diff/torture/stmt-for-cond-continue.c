// Covers: continue in for and while loops whose condition awaits (the increment and the awaiting condition must both run after continue).
#include <asyncc.h>
#include <stdio.h>

static int tests;

static async int check(int i, int n) {
  tests++;
  await(ac_yield());
  return i < n;
}

static async int main_async(void) {
  int seen = 0;
  for (int i = 0; await(check(i, 8)); i++) {
    if (i % 2)
      continue;
    seen = seen * 10 + i;
    printf("i=%d seen=%d tests=%d\n", i, seen, tests);
  }
  int w = 0;
  while (await(check(w, 6))) {
    w++;
    if (w != 3)
      continue;
    printf("w reached 3, tests=%d\n", tests);
  }
  int x = 0;
  for (; await(check(x, 4));) {
    x++;
    switch (x) {
    case 2:
      continue;
    default:
      printf("x=%d\n", x);
    }
  }
  printf("seen=%d w=%d x=%d tests=%d\n", seen, w, x, tests);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
