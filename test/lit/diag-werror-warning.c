// Tests that asyncc leaves warnings to cc, except under flags that make
// them errors: then a warning stops the run like any error.
// RUN: %asyncc %s -o %t.c 2>&1 | count 0
// RUN: not %asyncc -Werror %s -o %t.c 2>&1 | FileCheck %s
// RUN: not %asyncc -Werror=unused-variable %s -o %t.c 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNUSED
// RUN: not %asyncc -Wunused-variable -Werror %s -o %t.c 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNUSED
#include <asyncc.h>

// CHECK: diag-werror-warning.c:[[@LINE+1]]:2: error: checking -Werror
#warning checking -Werror

async int caller(int a) {
  // UNUSED: diag-werror-warning.c:[[@LINE+1]]:7: error: unused variable 'b'
  int b = 0;
  await(ac_yield());
  return a;
}
