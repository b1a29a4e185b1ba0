// Tests that an #include inside an async function's body is refused at
// the directive (the included code is in another file, which asyncc does
// not rewrite), once per directive and per function, while an #include
// in an ordinary function is left alone.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static async int f(void) {
  int k = 0;
  await(ac_yield());
  // CHECK: diag-include-in-async-body.c:[[@LINE+1]]:1: error: #include inside async function 'f'; asyncc rewrites only the file it is given, so the included code could not be transformed
#include "Inputs/body-statements.inc"
  return k;
}

static async int g(void) {
  int k = 0;
  await(ac_yield());
  {
    // CHECK: diag-include-in-async-body.c:[[@LINE+1]]:1: error: #include inside async function 'g'
#include "Inputs/body-statements.inc"
  }
  return k;
}

int sync_sum(void) {
  int k = 1;
#include "Inputs/body-statements.inc"
  return k;
}

int main(void) { return ac_block_on(f()) + ac_block_on(g()) + sync_sum(); }
