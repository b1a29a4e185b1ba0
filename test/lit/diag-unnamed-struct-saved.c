// Tests that a saved local whose type is an unnamed struct declared outside the
// function (so asyncc cannot name it) is refused at the local.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

struct {
  int a;
} shared;

async int caller(void) {
  // CHECK: diag-unnamed-struct-saved.c:[[@LINE+1]]:15: error: 's' has an unnamed struct, union or enum type and lives across an await
  __auto_type s = shared;
  await(ac_yield());
  return s.a;
}
