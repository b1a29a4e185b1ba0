// Tests that awaiting a function defined further down, whose frame needs a type declared after the caller, is refused with a fix-it rather than emitting a frame of incomplete type.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static async int later(void);

static async int first(void) {
  // CHECK: diag-forward-callee-types.c:[[@LINE+1]]:10: error: 'later' is defined further down and its frame uses 'struct big', declared after 'first'; move the type (or 'later') above 'first'
  return await(later());
}

struct big {
  int a[2];
};

static async int later(void) {
  struct big b = {{1, 2}};
  await(ac_yield());
  return b.a[1];
}

int main(void) { return ac_block_on(first()); }
