// Covers: switch with awaits inside cases, fallthrough across awaits, default in the middle, break out of switch after an await, declarations in the switch body.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int run(int k) {
  int acc = 0;
  switch (k) {
    int scratch;
  case 0:
    acc += await(val(1));
    printf("case 0 acc=%d\n", acc);
    /* fall through */
  case 1:
    acc += await(val(10));
    printf("case 1 acc=%d\n", acc);
    break;
  default:
    scratch = await(val(k * 2));
    acc = scratch + 1;
    printf("default scratch=%d acc=%d\n", scratch, acc);
    /* fall through */
  case 5:
    acc += await(val(500));
    printf("case 5 acc=%d\n", acc);
    if (acc > 600)
      break;
    acc *= 2;
    /* fall through */
  case 6:
  case 7:
    acc -= await(val(3));
    printf("case 6/7 acc=%d\n", acc);
  }
  printf("run(%d) -> %d\n", k, acc);
  return acc;
}

static async int main_async(void) {
  int sum = 0;
  for (int k = 0; k < 9; k++)
    sum += await(run(k));
  switch (sum % 4) {
  case 0:
  case 1:
    printf("low %d\n", await(val(sum % 4)));
    break;
  case 2:
    printf("two\n");
    break;
  case 3:
    printf("three %d\n", await(val(3)));
  }
  switch (sum) {
  default:
    await(ac_yield());
    printf("default only\n");
  }
  printf("sum=%d\n", sum);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
