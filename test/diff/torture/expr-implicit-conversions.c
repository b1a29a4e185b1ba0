// Covers: awaits under &&, ||, ?: and comma whose value is converted
// implicitly (to long, double, _Bool, a pointer), and a compound literal
// holding an await that decays to a pointer used after later awaits.
#include <asyncc.h>
#include <stdbool.h>
#include <stdio.h>

static int evals;

static async int side(int x) {
  evals++;
  await(ac_yield());
  return x;
}

static async long widen(void) {
  long r = 100;
  r = await(side(1)) && await(side(0));
  printf("and r=%ld\n", r);
  r += await(side(0)) || await(side(3));
  printf("or r=%ld\n", r);
  r = await(side(1)) && await(side(2)) || await(side(0));
  printf("and-or r=%ld\n", r);
  long l = await(side(0)) ? await(side(5)) : await(side(6));
  printf("cond l=%ld\n", l);
  double d = (await(side(1)), await(side(7)));
  d += await(side(2)) > 1 ? await(side(3)) : 0;
  printf("comma d=%.1f\n", d);
  bool b = await(side(0)) || await(side(9));
  printf("bool b=%d\n", b);
  unsigned char c = 300 + (await(side(1)) && await(side(1)));
  printf("char c=%u\n", c);
  return r + l + (long)d + b + c;
}

static int sum3(const int *p) { return p[0] + p[1] + p[2]; }

static async int literals(void) {
  int *p = (int[]){await(side(4)), await(side(5)), 6};
  await(ac_yield());
  int s = sum3(p);
  const int *q = (const int[]){1, await(side(2)) ? 20 : 0, 3};
  await(ac_yield());
  s += sum3(q) + sum3((int[]){await(side(1)), 1, 1});
  printf("literals s=%d\n", s);
  return s;
}

static async int main_async(void) {
  long w = await(widen());
  int s = await(literals());
  printf("w=%ld s=%d evals=%d\n", w, s, evals);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
