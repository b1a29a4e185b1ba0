// Tests the error for an await in an argument of a macro that also puts
// the argument in an operand that is not evaluated, as glibc's assert
// does in GNU modes (`(void) sizeof ((expr) ? 1 : 0)` to type-check it):
// the error names the macro, where the user sees no sizeof.  An await the
// user writes in a sizeof keeps the plain error.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

void check_failed(const char *what);
#define CHECK(e) ((void)sizeof((e) ? 1 : 0), (e) ? (void)0 : check_failed(#e))

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int run(void) {
  // CHECK: diag-await-in-macro-sizeof.c:[[@LINE+1]]:9: error: 'await' in an argument of macro 'CHECK', which also puts it in the operand of 'sizeof' or '_Alignof', where it is not evaluated; await into a variable first
  CHECK(await(val(1)) == 1);
  // CHECK: diag-await-in-macro-sizeof.c:[[@LINE+1]]:26: error: 'await' in the operand of 'sizeof' or '_Alignof', which is not evaluated
  return (int)sizeof(1 + await(val(2)));
}

int main(void) { return ac_block_on(run()); }
