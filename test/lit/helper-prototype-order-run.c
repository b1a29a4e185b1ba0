// Tests that the prototypes of the generated ac_block_on and ac_spawn helpers
// come right after the function's own declarations, where the types of its
// parameters are known: a struct declared after the first plain function
// that calls a helper stays one type.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: 1 2 3
#include <asyncc.h>
#include <stdio.h>

static async int f(int x) {
  await(ac_yield());
  return x;
}

static int g(void) { return ac_block_on(f(1)); }

struct s {
  int v;
};

static async int h(struct s *p) {
  await(ac_yield());
  return p->v;
}

static async int twice(struct s *p) {
  AC_TASK(int) t = ac_spawn(h(p));
  return await(ac_join(t)) + 1;
}

int main(void) {
  struct s v = {2};
  printf("%d %d %d\n", g(), ac_block_on(h(&v)), ac_block_on(twice(&v)));
  return 0;
}
