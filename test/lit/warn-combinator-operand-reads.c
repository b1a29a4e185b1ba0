// Tests the warning for an operand of ac_all or ac_race whose call reads
// a variable an earlier operand assigns: all the calls are made when the
// combinator starts, so it reads the value from before, where the sync
// view, which runs the operands in order, reads the new one.  Reads the
// two views agree on are not warned about.
// RUN: %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %cc -c %t.c -o %t.o
#include <asyncc.h>

static async int add(int a, int b) {
  await(ac_yield());
  return a + b;
}
static async int (*op)(int, int) = add;

static async int run(int k) {
  int m = 0, n = 0, r = 0;
  // CHECK: warn-combinator-operand-reads.c:[[@LINE+1]]:39: warning: 'm' is read here when ac_all starts, before the operand that assigns it completes (the sync view runs the operands one after another); assign it before the ac_all
  await(ac_all(m = add(1, 2), n = add(m, 1)));
  // CHECK: warn-combinator-operand-reads.c:[[@LINE+1]]:40: warning: 'n' is read here when ac_race starts
  r = await(ac_race(n += op(k, 1), add(n, 2), m = add(m, 3)));
  // CHECK: warn-combinator-operand-reads.c:[[@LINE+1]]:56: warning: 'm' is read here when ac_all starts
  await(ac_all(m = add(1, 2), ac_all(n = add(k, 1), op(m, 0))));
  /* Not warned: a later operand assigns what an earlier one reads, an
   * operand reads what it assigns itself, and nothing is assigned. */
  await(ac_all(n = add(m, 1), m = add(m, 2), r = add(k, k)));
  await(ac_all(add(k, 1), op(k, 2)));
  return m + n + r;
}

int main(void) { return ac_block_on(run(1)) == 0; }
