// Tests awaits in GNU C's expressions: a statement expression, the operand
// of `a ?: b` (evaluated once), and the association a _Generic selects.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: stmt 7 elvis 3 5 generic 4 calls 5
#include <asyncc.h>
#include <stdio.h>

static int calls;

static async int val(int v) {
  await(ac_yield());
  calls++;
  return v;
}

static async void f(void) {
  int s = ({
    int a = await(val(3));
    a + await(val(4));
  });
  int e1 = await(val(3)) ?: 9;
  int e2 = await(val(0)) ?: 5;
  int g = _Generic(1.0, double: await(val(4)), default: 0);
  printf("stmt %d elvis %d %d generic %d calls %d\n", s, e1, e2, g, calls);
}

int main(void) {
  ac_block_on(f());
  return 0;
}
