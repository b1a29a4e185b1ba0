// Tests that alloca in an async function that awaits is refused, when spelled
// through <alloca.h>'s macro.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>
#include "Inputs/alloca.h"

async int caller(int n) {
  // CHECK: diag-alloca-in-async.c:[[@LINE+1]]:13: error: alloca in an async function that awaits
  char *p = alloca(n);
  p[0] = 1;
  await(ac_yield());
  return p[0];
}
