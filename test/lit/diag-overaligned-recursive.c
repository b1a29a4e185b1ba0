// Tests that a local aligned beyond max_align_t in a recursive async function, whose frames come from the frame arena, is refused.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static async int rec(int n) {
  // CHECK: diag-overaligned-recursive.c:[[@LINE+1]]:3: error: 'buf' asks for 64-byte alignment, more than frames allocated at run time get (16), and the frame of 'rec' is: it is called recursively
  _Alignas(64) char buf[16];
  buf[0] = (char)n;
  int below = n > 0 ? await(rec(n - 1)) : 0;
  return below + buf[0];
}

int main(void) { return ac_block_on(rec(3)); }
