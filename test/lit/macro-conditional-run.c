// Tests that an await in the argument of a macro that supplies a ?: operator
// and uses the argument twice runs as often as in the sync view: once when
// the other operand wins, twice when it wins itself.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: max 9 calls 2
// CHECK-NEXT: max 5 calls 1
// CHECK-NEXT: min 2 calls 2
// CHECK-NEXT: clamp 7 calls 4
//
// OUT-LABEL: static AC_MAYBE_UNUSED ac_poll pick_poll(void *self, ac_cx *cx) {
// OUT:         /* MAX(await(next(v)), 5), expanded */
#include <asyncc.h>
#include <stdio.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define CLAMP(x, lo, hi) MIN(MAX(x, lo), hi)

static int calls;

static async int next(int v) {
  await(ac_yield());
  calls++;
  return v;
}

static async int pick(int v) {
  calls = 0;
  int m = MAX(await(next(v)), 5);
  return m;
}

static async void all(void) {
  int m = await(pick(9));
  printf("max %d calls %d\n", m, calls);
  m = await(pick(1));
  printf("max %d calls %d\n", m, calls);
  calls = 0;
  m = MIN(await(next(2)), 4);
  printf("min %d calls %d\n", m, calls);
  calls = 0;
  m = CLAMP(await(next(7)), 0, 10);
  printf("clamp %d calls %d\n", m, calls);
}

int main(void) {
  ac_block_on(all());
  return 0;
}
