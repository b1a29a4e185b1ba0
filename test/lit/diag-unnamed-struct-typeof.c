// Tests that a saved local declared with __typeof__ of an unnamed file-scope
// struct is refused like any other unnamed-type local.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

struct {
  int a;
} shared;

async int caller(void) {
  // CHECK: diag-unnamed-struct-typeof.c:[[@LINE+1]]:22: error: 's' has an unnamed struct, union or enum type and lives across an await
  __typeof__(shared) s = shared;
  await(ac_yield());
  return s.a;
}
