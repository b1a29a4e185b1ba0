// Tests that a type declared in an async function and needed by its frame, whose name is taken at file scope, is refused (it would move to file scope).
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

struct span {
  long lo;
};

static async int f(void) {
  // CHECK: diag-local-type-clash.c:[[@LINE+1]]:3: error: type 'span' declared in an async function moves to file scope, where its name is already taken; rename it
  struct span {
    int lo, hi;
  };
  struct span s = {1, 2};
  await(ac_yield());
  return s.lo + s.hi;
}

int main(void) { return ac_block_on(f()); }
