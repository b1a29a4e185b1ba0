// Tests that an enum declared in an async function whose frame needs its
// body's types is refused when a constant's name is also a parameter's, a
// local's or a file-scope declaration's: at file scope the constant would
// be hidden by the variable, or clash with the declaration.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

int level;

static async int f(int low) {
  struct pair {
    int a, b;
  } p = {1, 2};
  await(ac_yield());
  int high = p.a;
  {
    // CHECK: diag-local-enumerator-clash.c:[[@LINE+3]]:12: error: enumerator 'low' declared in an async function moves to file scope, where another declaration of 'low' would hide or clash with it; rename one of them
    // CHECK: diag-local-enumerator-clash.c:[[@LINE+2]]:17: error: enumerator 'high' declared
    // CHECK: diag-local-enumerator-clash.c:[[@LINE+1]]:23: error: enumerator 'level' declared
    enum { low, high, level } e = high;
    return p.b + e + low + high;
  }
}

int main(void) { return ac_block_on(f(0)); }
