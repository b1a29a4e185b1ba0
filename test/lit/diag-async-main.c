// Tests that an async 'main' is refused: the program calls main as an
// ordinary function, and after the transformation there would be none.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

// CHECK: diag-async-main.c:[[@LINE+1]]:1: error: 'main' cannot be async: the program calls it as an ordinary function; rename it (say 'main_async') and call it from main with ac_block_on
async int main(void) {
  await(ac_yield());
  return 0;
}
