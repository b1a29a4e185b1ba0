// Covers: awaits of void async functions in value-discarding positions: (void)await(f()), the left and middle operands of comma expressions whose value is used.
#include <asyncc.h>
#include <stdio.h>

static int n;

static async void work(void) {
  await(ac_yield());
  n++;
}

static async int main_async(void) {
  (void)await(work());
  printf("n=%d\n", n);
  int c = (await(work()), n);
  printf("c=%d\n", c);
  int d = (n++, await(work()), n * 10);
  printf("d=%d\n", d);
  int e = (await(work()), await(work()), n);
  printf("e=%d\n", e);
  if ((await(work()), n > 5))
    printf("n=%d > 5\n", n);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
