// Tests that async functions returning and taking structs by value work across
// awaits, including a member read straight from an await's result.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      p = (3, 4) name=pt
// CHECK-NEXT: sum = (4, 6) name=sum
// CHECK-NEXT: x only = 10
// CHECK-NEXT: big[0]=0 big[63]=126
// CHECK-NEXT: pair .a=7 .b=2.5
#include <asyncc.h>

int printf(const char *, ...);

struct point {
  int x, y;
  char name[8];
};

struct big {
  long v[64];
};

typedef struct {
  int a;
  double b;
} pair_t;

async struct point make(int x, int y, const char *name) {
  struct point p = {x, y, {0}};
  await(ac_yield());
  for (int i = 0; name[i] && i < 7; i++)
    p.name[i] = name[i];
  return p;
}

async struct point add(struct point a, struct point b) {
  await(ac_yield());
  struct point r = await(make(a.x + b.x, a.y + b.y, "sum"));
  return r;
}

async struct big fill(void) {
  struct big b;
  for (int i = 0; i < 64; i++) {
    b.v[i] = 2 * i;
    if (i % 16 == 0)
      await(ac_yield());
  }
  return b;
}

async pair_t mkpair(int a) {
  await(ac_yield());
  return (pair_t){a, 2.5};
}

async int main_async(void) {
  struct point p = await(make(3, 4, "pt"));
  printf("p = (%d, %d) name=%s\n", p.x, p.y, p.name);
  struct point one = {1, 2, "one"};
  struct point s = await(add(one, p));
  printf("sum = (%d, %d) name=%s\n", s.x, s.y, s.name);
  printf("x only = %d\n", await(make(10, 20, "x")).x);
  struct big b = await(fill());
  printf("big[0]=%ld big[63]=%ld\n", b.v[0], b.v[63]);
  pair_t q = await(mkpair(7));
  printf("pair .a=%d .b=%.1f\n", q.a, q.b);
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
