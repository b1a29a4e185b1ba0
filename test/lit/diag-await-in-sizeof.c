// Tests that an await in the operand of sizeof, which is never evaluated, is
// refused.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  // CHECK: diag-await-in-sizeof.c:[[@LINE+1]]:18: error: 'await' in the operand of 'sizeof'
  int n = sizeof(await(get()));
  await(ac_yield());
  return n;
}
