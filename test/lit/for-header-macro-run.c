// Tests that a for statement whose header a macro writes, with a part
// left out, is kept as it is when it does not await, and that the locals
// it uses survive the awaits around it, as in the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: sum 10 base 7
#include <asyncc.h>
#include <stdio.h>

#define UP_TO_FIVE ; i < 5;

static async int sum(int base) {
  int s = 0;
  await(ac_yield());
  {
    int i = 0;
    for (UP_TO_FIVE) {
      s += i;
      i++;
    }
  }
  await(ac_yield());
  printf("sum %d base %d\n", s, base);
  return s;
}

int main(void) {
  return ac_block_on(sum(7)) == 10 ? 0 : 1;
}
