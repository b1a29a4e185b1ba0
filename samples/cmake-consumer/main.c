/* main.c -- awaits fetch() from fetch.c in a loop and sums the results. */
#include <stdio.h>

#include "fetch.h"

static async int sum_fetches(int n) {
  int sum = 0;
  for (int i = 1; i <= n; i++) {
    int v = await(fetch(i));
    printf("fetch(%d) = %d\n", i, v);
    sum += v;
  }
  return sum;
}

static async int main_async(void) {
  int sum = await(sum_fetches(3));
  printf("sum = %d\n", sum);
  return sum == 12 ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
