// Tests that locals declared with typeof of an array, of a function's
// address and of an element live across awaits with the types they name.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: 70 sizeof 12
#include <asyncc.h>
#include <stdio.h>

static int twice(int x) { return 2 * x; }

static async int f(void) {
  int arr[3] = {1, 2, 3};
  __typeof__(arr) copy;
  __typeof__(&twice) fp = twice;
  __typeof__(arr[0]) *p = &copy[1];
  for (int i = 0; i < 3; i++)
    copy[i] = arr[i] * 10;
  await(ac_yield());
  printf("%d sizeof %zu\n", copy[2] + fp(*p), sizeof copy);
  return 0;
}

int main(void) { return ac_block_on(f()); }
