// Tests that an unnamed struct declared in a for statement's init, with
// awaits in its initialiser, keeps the loop's condition and increment.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: 1 2 3 turns 3
#include <asyncc.h>
#include <stdio.h>

static async int val(int v) {
  await(ac_yield());
  return v;
}

static async int f(void) {
  int n = 0;
  for (struct { int lo, hi; } r = {await(val(1)), await(val(4))}; r.lo < r.hi;
       r.lo++) {
    await(ac_yield());
    printf("%d ", r.lo);
    if (++n > 10)
      break; /* a lost condition would loop forever */
  }
  return n;
}

int main(void) {
  printf("turns %d\n", ac_block_on(f()));
  return 0;
}
