// Tests that the names asyncc makes up inside a poll function (the frame
// pointer, the context, temporaries) avoid the names of macros, which would
// otherwise replace them; the program agrees with the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: k 1004 cond
#include <asyncc.h>
#include <stdio.h>

#define fr frame_pointer_macro
#define cx context_macro
#define self 0
#define t 1000
#define cond "cond"

static async int id(int x) {
  await(ac_yield());
  return x;
}

static async int f(int n) {
  int k = n ? await(id(1)) : await(id(2));
  k += await(id(3)) && await(id(4));
  k += await(id(2)) + t;
  return k;
}

int main(void) {
  printf("k %d %s\n", ac_block_on(f(1)), cond);
  return 0;
}
