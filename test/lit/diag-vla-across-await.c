// Tests that a variable-length array live across an await is refused at the
// await, with a note at the array's declaration.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int caller(int n) {
  int v[n];
  v[0] = 1;
  // CHECK: diag-vla-across-await.c:[[@LINE+4]]:3: error: variable-length array 'v' would live across this await
  // CHECK-NEXT: {{^}}  await(ac_yield());
  // CHECK-NEXT: {{^}}  ^
  // CHECK-NEXT: diag-vla-across-await.c:[[@LINE-5]]:7: note: 'v' is declared here
  await(ac_yield());
  return v[0];
}
