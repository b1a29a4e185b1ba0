// Tests that setjmp in an async function that awaits is refused, when spelled
// through <setjmp.h>'s macro.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>
#include "Inputs/setjmp.h"

static jmp_buf env;

async int caller(void) {
  // CHECK: diag-setjmp-in-async.c:[[@LINE+1]]:7: error: setjmp in an async function that awaits
  if (setjmp(env))
    return 1;
  await(ac_yield());
  return 0;
}
