// Covers: async functions returning function pointers (written with and without a typedef) and pointers to arrays, called on the awaited result.
#include <asyncc.h>
#include <stdio.h>

typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
static int rows[2][3] = {{1, 2, 3}, {4, 5, 6}};

static async binop pick(int k) {
  await(ac_yield());
  return k ? mul : add;
}

static async int (*pick2(int k))(int, int) {
  await(ac_yield());
  return k ? add : mul;
}

static async int (*row(int i))[3] {
  await(ac_yield());
  return &rows[i];
}

static async int main_async(void) {
  binop f = await(pick(1));
  printf("f=%d\n", f(6, 7));
  printf("direct=%d\n", await(pick(0))(6, 7));
  int (*g)(int, int) = await(pick2(1));
  printf("g=%d\n", g(6, 7));
  printf("direct2=%d\n", await(pick2(0))(6, 7));
  int (*r)[3] = await(row(1));
  printf("r=%d %d %d\n", (*r)[0], (*r)[1], (*r)[2]);
  printf("direct3=%d\n", (*await(row(0)))[2]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
