// Tests that awaiting an async function whose definition is in a header is
// refused where it is used, naming the header: asyncc rewrites only the file
// it is given, so no file would have the function's state machine.
// RUN: rm -f %t.c
// RUN: not %asyncc -I%S/Inputs %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include "inline-async.h"

static async int f(void) {
  // CHECK: diag-async-defined-in-header.c:[[@LINE+1]]:10: error: async function 'inc' is defined in {{.*}}inline-async.h:4, which asyncc does not rewrite; define it in one .c file and declare it in the header
  return await(inc(1));
}
