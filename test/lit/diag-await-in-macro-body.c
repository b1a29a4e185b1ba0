// Tests that an await written inside a macro's definition is refused where the
// macro is used.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

#define GET_TWICE() (await(get()) * 2)

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  // CHECK: diag-await-in-macro-body.c:[[@LINE+1]]:10: error: 'await' inside the definition of a macro
  return GET_TWICE();
}
