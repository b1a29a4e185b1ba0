// Tests that a 'return' in a GNU statement expression that a macro's
// definition writes is refused in an async function (it cannot be
// rewritten there), while one written in the file is accepted.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

#define TRY(e)                                                                 \
  ({                                                                           \
    int r_ = (e);                                                              \
    if (r_ < 0)                                                                \
      return r_;                                                               \
    r_;                                                                        \
  })

static int check(int x) { return x; }

static async int f(int n) {
  await(ac_yield());
  int ok = ({ if (n < 0) return n; n; });
  // CHECK: diag-return-in-macro-stmt-expr.c:[[@LINE+1]]:15: error: 'return' in a statement expression that a macro's definition writes; asyncc cannot rewrite it there, so return outside the macro
  return ok + TRY(check(n));
}

int main(void) { return ac_block_on(f(1)); }
