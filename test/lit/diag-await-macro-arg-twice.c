// Tests that an await in a macro argument that the macro expands twice is
// refused, since it would have to run twice.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

#define SQUARE(e) ((e) * (e))

async int get(void) {
  await(ac_yield());
  return 3;
}

async int caller(void) {
  // CHECK: diag-await-macro-arg-twice.c:[[@LINE+1]]:17: error: 'await' in a macro argument that the macro uses more than once
  return SQUARE(await(get()));
}
