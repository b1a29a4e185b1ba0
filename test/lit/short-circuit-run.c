// Tests that an awaited operand of &&, || and ?: is neither run nor awaited
// when C would not evaluate it, counted by the callee's side effect.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      and 0 0 -> 0 calls=0
// CHECK-NEXT: and 1 0 -> 0 calls=1
// CHECK-NEXT: and 1 1 -> 1 calls=1
// CHECK-NEXT: or 1 0 -> 1 calls=0
// CHECK-NEXT: or 0 0 -> 0 calls=1
// CHECK-NEXT: or 0 1 -> 1 calls=1
// CHECK-NEXT: cond 1 -> 10 calls=1 left=1 right=0
// CHECK-NEXT: cond 0 -> 20 calls=1 left=0 right=1
// CHECK-NEXT: chain -> 1 calls=3
// CHECK-NEXT: if-and skipped calls=0
// CHECK-NEXT: while-or 3 calls=1
#include <asyncc.h>

int printf(const char *, ...);

static int calls, left, right;

async int count(int x) {
  calls++;
  await(ac_yield());
  return x;
}

async int lhs(int x) {
  left++;
  return await(count(x));
}

async int rhs(int x) {
  right++;
  return await(count(x));
}

async int main_async(void) {
  int vals[3][2] = {{0, 0}, {1, 0}, {1, 1}};
  for (int i = 0; i < 3; i++) {
    calls = 0;
    int a = vals[i][0], b = vals[i][1];
    int r = a && await(count(b));
    printf("and %d %d -> %d calls=%d\n", a, b, r, calls);
  }
  int ovals[3][2] = {{1, 0}, {0, 0}, {0, 1}};
  for (int i = 0; i < 3; i++) {
    calls = 0;
    int a = ovals[i][0], b = ovals[i][1];
    int r = a || await(count(b));
    printf("or %d %d -> %d calls=%d\n", a, b, r, calls);
  }
  for (int c = 1; c >= 0; c--) {
    calls = left = right = 0;
    int r = c ? await(lhs(10)) : await(rhs(20));
    printf("cond %d -> %d calls=%d left=%d right=%d\n", c, r, calls, left,
           right);
  }
  calls = 0;
  int r = await(count(1)) && (await(count(0)) || 1) &&
          (0 || await(count(1)) || await(count(1)));
  printf("chain -> %d calls=%d\n", r, calls);
  calls = 0;
  int zero = 0;
  if (zero && await(count(1)))
    printf("if-and taken\n");
  else
    printf("if-and skipped calls=%d\n", calls);
  calls = 0;
  int n = 0;
  while (n < 3 || await(count(0)))
    n++;
  printf("while-or %d calls=%d\n", n, calls);
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
