/* resume.c -- a local that lives across an await, for test/tool/gdb.sh and
 * the determinism tests.  The LINE markers are found by the scripts. */
#include <asyncc.h>
#include <stdio.h>

static async int add_later(int a, int b) {
  int sum = a + b;
  for (int i = 0; i < 2; i++)
    await(ac_yield());
  int doubled = sum * 2; /* LINE:after-await */
  printf("doubled = %d\n", doubled);
  return doubled;
}

static async int main_async(void) {
  int r = await(add_later(20, 1));
  return r == 42 ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
