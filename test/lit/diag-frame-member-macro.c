// Tests that a macro named like a member every frame has ('state',
// 'result', 'sub') is refused, once, at the first async function defined:
// the generated code could not name the member.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

#define result outcome
static int outcome = 3;

// CHECK: diag-frame-member-macro.c:[[@LINE+1]]:1: error: every frame has a member named 'result' (docs/abi.md), which {{.*}}diag-frame-member-macro.c:9 defines as a macro; rename or #undef the macro
static async int f(void) {
  await(ac_yield());
  return result;
}

static async int g(void) { return await(f()); }

int main(void) { return ac_block_on(g()) - 3; }
