// Covers: return statements whose expressions hold awaits under &&, ||, ?:, comma, casts and struct construction.
#include <asyncc.h>
#include <stdio.h>

struct pt {
  int x, y;
};

static int evals;

static async int v(int x) {
  evals++;
  await(ac_yield());
  return x;
}

static async int r_and(int a, int b) { return await(v(a)) && await(v(b)); }
static async int r_or(int a, int b) { return await(v(a)) || await(v(b)); }
static async int r_cond(int c) { return c ? await(v(10)) : await(v(20)) + 1; }
static async int r_comma(int a) { return (await(v(a)), await(v(a + 1))); }
static async double r_cast(int a) { return (double)await(v(a)) / 4; }
static async struct pt r_struct(int a) {
  struct pt p = {await(v(a)), await(v(a * 2))};
  return p;
}
static async int r_nested(int n) { return n <= 0 ? 0 : n + await(r_nested(n - 1)); }

static async int main_async(void) {
  int r;
  r = await(r_and(1, 0));
  printf("and %d %d\n", r, evals);
  r = await(r_and(0, 1));
  printf("and %d %d\n", r, evals);
  r = await(r_or(1, 0));
  printf("or %d %d\n", r, evals);
  r = await(r_or(0, 5));
  printf("or %d %d\n", r, evals);
  r = await(r_cond(1));
  printf("cond %d %d\n", r, evals);
  r = await(r_cond(0));
  printf("cond %d %d\n", r, evals);
  r = await(r_comma(3));
  printf("comma %d %d\n", r, evals);
  printf("cast %.2f\n", await(r_cast(9)));
  struct pt p = await(r_struct(4));
  printf("pt %d %d\n", p.x, p.y);
  printf("nested %d\n", await(r_nested(10)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
