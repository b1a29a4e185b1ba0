// Tests that an await in the operand of __typeof__, which is never evaluated,
// is refused.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  // CHECK: diag-await-in-typeof.c:[[@LINE+1]]:14: error: 'await' in {{.*}}not evaluated
  __typeof__(await(get())) k = 3;
  await(ac_yield());
  return k;
}
