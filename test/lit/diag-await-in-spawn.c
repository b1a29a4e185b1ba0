// Tests that an await in the arguments of a spawned call is refused once,
// at the spawn, for a call by name and through a pointer, with no error
// about the typeof and sizeof the sync view's spawn wraps the call in.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int add(int a, int b) { return a + b; }
static async int (*op)(int, int) = add;

static async int run(void) {
  // CHECK: diag-await-in-spawn.c:[[@LINE+1]]:20: error: 'await' inside ac_spawn(); await into a variable first
  AC_TASK(int) a = ac_spawn(add(await(val(1)), 2));
  // CHECK: diag-await-in-spawn.c:[[@LINE+1]]:20: error: 'await' inside ac_spawn(); await into a variable first
  AC_TASK(int) b = ac_spawn(op(1, await(val(2))));
  return await(ac_join(a)) + await(ac_join(b));
}

int main(void) { return ac_block_on(run()); }
