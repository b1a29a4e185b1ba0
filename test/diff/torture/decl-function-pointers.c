// Covers: locals of function pointer type, arrays of function pointers, pointers to arrays and arrays of pointers, kept across awaits.
#include <asyncc.h>
#include <stdio.h>

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
static int sub2(int a, int b) { return a - b; }

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int (*op)(int, int) = add;
  int (*ops[3])(int, int) = {add, mul, sub2};
  int row[4] = {1, 2, 3, 4};
  int (*prow)[4] = &row;
  int *ptrs[2] = {&row[1], &row[3]};
  int grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
  int (*g)[3] = grid;
  await(ac_yield());
  printf("op=%d\n", op(await(val(2)), 3));
  for (int i = 0; i < 3; i++)
    printf("ops[%d]=%d\n", i, ops[i](await(val(7)), await(val(i + 2))));
  op = ops[await(val(1))];
  printf("op now=%d\n", op(6, 7));
  int two = await(val(2));
  (*prow)[two] = 30;
  *ptrs[1] += await(val(100));
  g[1][2] = await(val(60));
  await(ac_yield());
  printf("row=%d %d %d %d grid12=%d g01=%d\n", row[0], row[1], row[2], row[3], grid[1][2], g[0][1]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
