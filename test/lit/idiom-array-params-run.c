// Tests that parameters of array type (through a typedef) and of type va_list
// are stored in the frame as the pointers C makes of them.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// CHECK: ends 5 sum 6 rows 9
#include <asyncc.h>
#include <stdarg.h>
#include <stdio.h>

typedef int vec4[4];

static async int ends(vec4 q) {
  await(ac_yield());
  return q[0] + q[3];
}

static async int sum(int n, va_list ap) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    await(ac_yield());
    s += va_arg(ap, int);
  }
  return s;
}

static async int rows(int m[][2], int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    await(ac_yield());
    s += m[i][1];
  }
  return s;
}

static int vsum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = ac_block_on(sum(n, ap));
  va_end(ap);
  return s;
}

int main(void) {
  vec4 v = {1, 2, 3, 4};
  int m[3][2] = {{0, 1}, {0, 3}, {0, 5}};
  printf("ends %d sum %d rows %d\n", ac_block_on(ends(v)), vsum(3, 1, 2, 3),
         ac_block_on(rows(m, 3)));
  return 0;
}
