// Covers: goto and case labels that jump into the bodies of loops whose condition or increment awaits (the jump skips the awaiting test), including Duff's device over an awaiting do-while.
#include <asyncc.h>
#include <stdio.h>

static int tests;

static async int lt(int a, int b) {
  tests++;
  await(ac_yield());
  return a < b;
}

static async int inc(int x) {
  await(ac_yield());
  return x + 1;
}

static async int copy(int *to, const int *from, int count) {
  int n = (count + 2) / 3, done = 0;
  switch (count % 3) {
  case 0:
    do {
      *to++ = *from++;
      done++;
    case 2:
      *to++ = *from++;
      done++;
    case 1:
      *to++ = *from++;
      done++;
    } while (await(lt(0, --n)));
  }
  return done;
}

static async int main_async(void) {
  int i = 10;
  goto in_while;
  while (await(lt(i, 13))) {
    printf("while top i=%d\n", i);
  in_while:
    printf("in while i=%d tests=%d\n", i, tests);
    i++;
  }
  int j = 50;
  goto in_do;
  do {
    printf("do top j=%d\n", j);
  in_do:
    j -= 20;
    printf("in do j=%d\n", j);
  } while (await(lt(0, j)));
  int k;
  for (k = 100; k < 103; k = await(inc(k))) {
    if (k == 100)
      goto skip;
    printf("for k=%d\n", k);
  skip:;
  }
  goto in_for;
  for (k = 0; await(lt(k, 2)); k++) {
  in_for:
    printf("in for k=%d tests=%d\n", k, tests);
  }
  int src[7] = {1, 2, 3, 4, 5, 6, 7}, dst[7] = {0};
  for (int count = 1; count <= 7; count += 3) {
    int done = await(copy(dst, src, count));
    printf("count=%d done=%d dst=%d %d %d %d %d %d %d\n", count, done, dst[0], dst[1], dst[2],
           dst[3], dst[4], dst[5], dst[6]);
  }
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
