// Covers: for loops without init declarations, with empty parts (for(;;)), expression inits, and awaits in the condition.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) { return x; }

static async int lt(int a, int b) {
  await(ac_yield());
  return a < b;
}

static async int main_async(void) {
  int i, n = 0;
  for (i = 0; i < 4; i++)
    n += await(val(i));
  printf("n=%d i=%d\n", n, i);
  for (;;) {
    n -= await(val(1));
    if (n < 2)
      break;
  }
  printf("n=%d\n", n);
  i = 0;
  for (; await(lt(i, 5));) {
    i += 2;
    printf("i=%d\n", i);
  }
  for (i = await(val(3)); await(lt(i, 7)); i++)
    printf("i now %d\n", i);
  for (i = 0; i < 3;) {
    i += await(val(1));
    printf("step %d\n", i);
  }
  return n;
}

int main(void) { return ac_block_on(main_async()); }
