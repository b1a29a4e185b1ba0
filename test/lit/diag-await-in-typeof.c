// Tests that an await in a type is refused: in the operand of __typeof__,
// which is never evaluated, and in an array bound.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  // CHECK: diag-await-in-typeof.c:[[@LINE+1]]:14: error: 'await' in a type (an array bound, or the operand of 'typeof'); await into a variable first
  __typeof__(await(get())) k = 3;
  await(ac_yield());
  {
    // CHECK: diag-await-in-typeof.c:[[@LINE+1]]:13: error: 'await' in a type
    int arr[await(get())];
    arr[0] = 1;
    k += arr[0];
  }
  return k;
}
