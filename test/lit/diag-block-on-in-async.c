// Tests that ac_block_on inside an async function, which would block its own
// executor, is refused.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

async int caller(void) {
  await(ac_yield());
  // CHECK: diag-block-on-in-async.c:[[@LINE+1]]:10: error: ac_block_on() inside an async function would block its executor
  return ac_block_on(get());
}
