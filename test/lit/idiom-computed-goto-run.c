// Tests that an await in the operand of a computed goto runs before the jump.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: a b
#include <asyncc.h>
#include <stdio.h>

static async int val(int v) {
  await(ac_yield());
  return v;
}

static async const char *pick(int k) {
  static void *const t[] = {&&a, &&b};
  goto *t[await(val(k))];
a:
  return "a";
b:
  return "b";
}

int main(void) {
  printf("%s %s\n", ac_block_on(pick(0)), ac_block_on(pick(1)));
  return 0;
}
