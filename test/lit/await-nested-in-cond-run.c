// Tests that an if condition that is an await with awaits nested in its arguments (behind commas and assignments) lowers every await, in order.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.s.c && %cc %t.s.c %ac_rt -o %t.s && %t.s | FileCheck %s
// REQUIRES: runtime
//
// CHECK: f(2) f(2) f(2) f(5) taken x=1 z=2
#include <asyncc.h>

int printf(const char *, ...);

static async int f(int a) {
  await(ac_yield());
  printf("f(%d) ", a);
  return a;
}

static int g(int a, int b) { return a + b; }
static int *gp;

static async int main_async(void) {
  int x = 0, y = 1, z = 5;
  gp = &z;
  if (await(f(g((((x |= y), await(f(((*gp) = await(f(await(f(2))))))))), 3))))
    printf("taken x=%d z=%d\n", x, z);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
