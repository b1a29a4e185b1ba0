// Tests that a compiler error inside the expansion of asyncc's await macro is
// reported where the macro is used, with a note naming the macro, as clang
// reports it: an await at file scope, and an await with no operand.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static async int g(void) {
  await(ac_yield());
  return 1;
}

// CHECK: diag-macro-error-location.c:[[@LINE+4]]:9: error: initializer element is not a compile-time constant
// CHECK-NEXT: int x = await(g());
// CHECK-NEXT: {{^        \^}}
// CHECK-NEXT: asyncc.h:{{[0-9]+}}:{{[0-9]+}}: note: expanded from macro 'await'
int x = await(g());

static async int f(void) {
  // CHECK: diag-macro-error-location.c:[[@LINE+2]]:3: error: expected expression
  // CHECK: asyncc.h:{{[0-9]+}}:{{[0-9]+}}: note: expanded from macro 'await'
  await();
  return 0;
}
