// Covers: unnamed struct and enum types declared with variables in an async function whose body's types move to file scope (a named type lives across an await): saved and unsaved variables of them, several unnamed types on one line, and an unnamed enum declared on its own.
#include <asyncc.h>
#include <stdio.h>

static async int id(int x) {
  await(ac_yield());
  return x;
}

static async int f(int n) {
  struct named { int v; } nv = {n};
  int k = await(id(nv.v));
  enum { A = 3, B } e = B;
  enum { C = 7 };
  struct { int x; } saved = {C};
  k += await(id(saved.x + e + A));
  struct { int x; } unsaved = {k};
  printf("unsaved %d\n", unsaved.x);
  enum { E1 = 4 } e1 = E1;
  printf("e1 %d\n", e1);
  struct { int a; } x = {1}; struct { long b; } y = {2}; enum { P = 5 } p = P, q = P + 1;
  k += await(id(x.a + (int)y.b + p + q));
  printf("f k=%d nv=%d e=%d saved=%d\n", k, nv.v, e, saved.x);
  return k;
}

static async int g(void) {
  struct { int a; } x = {10}; enum { Q = 1 } q = Q;
  await(ac_yield());
  return x.a + q;
}

static async int main_async(void) {
  int a = await(f(2));
  int b = await(g());
  printf("a=%d b=%d\n", a, b);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
