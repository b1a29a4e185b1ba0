// Tests that every refusal in the file is reported, in source order, before
// asyncc exits with no output.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

async int get(void) {
  await(ac_yield());
  return 1;
}

int plain(void);

async int first(void) {
  // CHECK: diag-multiple-refusals.c:[[@LINE+1]]:18: error: 'await' in the operand of 'sizeof'
  int n = sizeof(await(get()));
  await(ac_yield());
  return n;
}

async int second(void) {
  await(ac_yield());
  // CHECK: diag-multiple-refusals.c:[[@LINE+1]]:10: error: cannot await this expression
  return await(plain());
}
