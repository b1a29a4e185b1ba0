// Tests that a program sleeping with await(ac_sleep(ms)) across nested async
// calls runs to completion with its output in program order.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      start
// CHECK-NEXT: slept 1 -> 2
// CHECK-NEXT: slept 2 -> 4
// CHECK-NEXT: slept 3 -> 6
// CHECK-NEXT: total 12
// CHECK-NEXT: exit 12
#include <asyncc.h>

int printf(const char *, ...);

async int nap(int i) {
  await(ac_sleep(5));
  await(ac_sleep(0));
  printf("slept %d -> %d\n", i, i * 2);
  return i * 2;
}

async int main_async(void) {
  printf("start\n");
  int total = 0;
  for (int i = 1; i <= 3; i++)
    total += await(nap(i));
  printf("total %d\n", total);
  return total;
}

int main(void) {
  int r = ac_block_on(main_async());
  printf("exit %d\n", r);
  return 0;
}
