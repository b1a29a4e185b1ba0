// Tests that an await in an ordinary function is refused at the await, with no
// output written.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

int sync_fn(void) {
  // CHECK: diag-await-outside-async.c:[[@LINE+1]]:10: error: 'await' outside an async function
  return await(get());
}
