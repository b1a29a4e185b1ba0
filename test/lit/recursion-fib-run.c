// Tests that direct and mutual async recursion, with frames from the per-task
// frame arena, compute the same results as the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      fib(0) = 0
// CHECK-NEXT: fib(1) = 1
// CHECK-NEXT: fib(10) = 55
// CHECK-NEXT: fib(18) = 2584
// CHECK-NEXT: even(7) = 0 odd(7) = 1
// CHECK-NEXT: depth 200 = 200
#include <asyncc.h>

int printf(const char *, ...);

async long fib(int n) {
  if (n < 2)
    return n;
  long a = await(fib(n - 1));
  if (n % 4 == 0)
    await(ac_yield());
  return a + await(fib(n - 2));
}

async int is_odd(int n);

async int is_even(int n) {
  if (n == 0)
    return 1;
  return await(is_odd(n - 1));
}

async int is_odd(int n) {
  if (n == 0)
    return 0;
  return await(is_even(n - 1));
}

async int depth(int n) {
  int mine = n;
  if (n == 0)
    return 0;
  int below = await(depth(n - 1));
  return below + (mine - n) + 1;
}

async int main_async(void) {
  int ns[] = {0, 1, 10, 18};
  for (int i = 0; i < 4; i++)
    printf("fib(%d) = %ld\n", ns[i], await(fib(ns[i])));
  int e = await(is_even(7));
  printf("even(7) = %d odd(7) = %d\n", e, await(is_odd(7)));
  printf("depth 200 = %d\n", await(depth(200)));
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
