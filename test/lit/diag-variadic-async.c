// Tests that a variadic async function is refused at its definition.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

// CHECK: diag-variadic-async.c:[[@LINE+1]]:1: error: async function 'sum' is variadic
async int sum(int n, ...) {
  await(ac_yield());
  return n;
}
