// Covers: loop bodies that declare locals shadowing names (a global, an enum constant, an outer local) used by the loop's awaiting condition or increment, which must still see the outer names.
#include <asyncc.h>
#include <stdio.h>

static int limit = 3;
enum { STEP = 1 };

static async int lt(int a, int b) {
  await(ac_yield());
  return a < b;
}

static async int add(int a, int b) { return a + b; }

static async int main_async(void) {
  int i = 0;
  do {
    int limit = 100;
    i++;
    printf("do i=%d inner limit=%d\n", i, limit);
  } while (await(lt(i, limit)));
  int j = 0;
  while (await(lt(j, limit))) {
    int limit = 50;
    j++;
    printf("while j=%d inner limit=%d\n", j, limit);
  }
  for (int k = 0; k < 6; k = await(add(k, STEP))) {
    int STEP = 3;
    printf("for k=%d inner STEP=%d\n", k, STEP);
  }
  int n = 0, base = 2;
  do {
    int base = 1000;
    n++;
    printf("do n=%d inner base=%d\n", n, base);
  } while (await(lt(n, base + 1)));
  printf("i=%d j=%d n=%d\n", i, j, n);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
