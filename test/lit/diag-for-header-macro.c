// Tests that a for statement whose header a macro writes is refused when
// it awaits (asyncc cannot tell its parts apart), with or without a part
// left out, and that asyncc does not stop on it.
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %asyncc -DALL_PARTS %s -o %t.c 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ALL --implicit-check-not=error:
#include <asyncc.h>

#define FROM_ZERO i = 0; i < n; i++
#define NO_INIT ; i < n;

static async int one(int x) {
  await(ac_yield());
  return x;
}

#ifdef ALL_PARTS
static async int all_parts(int n) {
  int s = 0, i;
  // ALL: diag-for-header-macro.c:[[@LINE+2]]:8: error: 'i' lives across an await but is named inside a macro's definition
  // ALL: diag-for-header-macro.c:[[@LINE+1]]:3: error: cannot tell the parts of this 'for' statement apart: its header comes from a macro
  for (FROM_ZERO)
    s += await(one(i));
  return s;
}
#else
static async int no_init(int n) {
  int s = 0, i = 0;
  // CHECK: diag-for-header-macro.c:[[@LINE+1]]:3: error: cannot tell the parts of this 'for' statement apart: its header comes from a macro
  for (NO_INIT) {
    s += i++;
    await(ac_yield());
  }
  return s;
}
#endif
