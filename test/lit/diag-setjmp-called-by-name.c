// Tests that setjmp and alloca are refused when the file names them in the
// call itself, not through a macro, and that a function whose name only
// begins like theirs is not.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

typedef long jmp_buf[8];
int _setjmp(jmp_buf env);
int setjmp_count(int n);
void *alloca_pool(unsigned long n);

static jmp_buf env;

async int caller(int n) {
  // CHECK: diag-setjmp-called-by-name.c:[[@LINE+1]]:7: error: setjmp in an async function that awaits
  if (_setjmp(env))
    return 1;
  // CHECK: diag-setjmp-called-by-name.c:[[@LINE+1]]:13: error: alloca in an async function that awaits
  char *p = __builtin_alloca(n);
  char *q = alloca_pool(n);
  p[0] = (char)setjmp_count(n);
  await(ac_yield());
  return p[0] + q[0];
}
