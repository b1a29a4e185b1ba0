// Tests that an await in the controlling expression of _Generic, which is never
// evaluated, is refused.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  // CHECK: diag-await-in-generic.c:[[@LINE+1]]:20: error: 'await' in the controlling expression of a '_Generic' selection, which is not evaluated
  int m = _Generic(await(get()), int: 1, default: 2);
  await(ac_yield());
  return m;
}
