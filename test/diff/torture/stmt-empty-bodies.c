// Covers: statements with empty or single-statement bodies around awaits: while (await(f()));, for (; await(f()););, if (await(f()));, switch without braces, do ; while (await(f())).
#include <asyncc.h>
#include <stdio.h>

static int n;

static async int step(int limit) {
  n++;
  await(ac_yield());
  return n < limit;
}

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  while (await(step(5)));
  printf("n=%d\n", n);
  for (; await(step(9)););
  printf("n=%d\n", n);
  if (await(step(100)));
  printf("n=%d\n", n);
  do ; while (await(step(14)));
  printf("n=%d\n", n);
  int x = 0;
  switch (await(val(1)))
  case 1:
    x = await(val(11));
  printf("x=%d\n", x);
  switch (x)
  default:
    x += await(val(5));
  printf("x=%d\n", x);
  if (x > 0) {
  } else {
  }
  for (int i = 0; i < 3; i++, await(step(1000)))
    ;
  printf("n=%d\n", n);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
