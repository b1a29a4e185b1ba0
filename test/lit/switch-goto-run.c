// Tests that awaits inside switch cases (with fallthrough) and around user
// gotos and labels keep C's control flow, since dispatch uses gotos rather than
// case labels.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      op 0: zero one
// CHECK-NEXT: op 1: one
// CHECK-NEXT: op 2: two
// CHECK-NEXT: op 3: other
// CHECK-NEXT: retry 1 2 3 done
#include <asyncc.h>

int printf(const char *, ...);

async int id(int x) {
  await(ac_yield());
  return x;
}

async void op(int k) {
  printf("op %d:", k);
  switch (k) {
  case 0:
    printf(" zero");
    await(ac_yield());
    /* fall through */
  case 1:
    printf(" %s", await(id(1)) ? "one" : "?");
    break;
  case 2: {
    int v = await(id(2));
    printf(" %s", v == 2 ? "two" : "?");
    break;
  }
  default:
    await(ac_yield());
    printf(" other");
  }
  printf("\n");
}

async void retry(void) {
  int tries = 0;
  printf("retry");
again:
  tries = await(id(tries + 1));
  printf(" %d", tries);
  if (tries < 3)
    goto again;
  printf(" done\n");
}

async int main_async(void) {
  for (int k = 0; k < 4; k++)
    await(op(k));
  await(retry());
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
