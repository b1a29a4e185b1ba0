// Tests a recursive call inside a combinator's operand: the frame cannot hold
// itself, so the call goes through the function's stub, and each level's
// frame comes from the task's frame arena.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: leaves 8 depth 4
#include <asyncc.h>
#include <stdio.h>

/* The leaves of a full binary tree of the given depth, both halves at once. */
static async int leaves(int depth) {
  if (depth == 0) {
    await(ac_yield());
    return 1;
  }
  int l = 0, r = 0;
  await(ac_all(l = leaves(depth - 1), r = leaves(depth - 1)));
  return l + r;
}

static async int deepest(int n) {
  if (n == 0)
    return 0;
  int d = 0;
  await(ac_race(d = deepest(n - 1), ac_sleep(100000)));
  return d + 1;
}

int main(void) {
  printf("leaves %d depth %d\n", ac_block_on(leaves(3)),
         ac_block_on(deepest(4)));
  return 0;
}
