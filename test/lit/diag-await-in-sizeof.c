// Tests that an await in the operand of sizeof, which is never evaluated, is
// refused, once.
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
  // A VLA bound under sizeof, which libclang lists twice: one message.
  // CHECK: diag-await-in-sizeof.c:[[@LINE+1]]:24: error: 'await' in the operand of 'sizeof'
  n += (int)sizeof(int[await(get())]);
  return n;
}
