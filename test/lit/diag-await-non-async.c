// Tests that awaiting a call of an ordinary function is refused at the await.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

int plain(void);

async int caller(void) {
  await(ac_yield());
  // CHECK: diag-await-non-async.c:[[@LINE+1]]:10: error: cannot await this expression: 'await' needs a call of an async function
  return await(plain());
}
