// Tests that a C error in the input is reported as clang prints it (with the
// source line and caret), with exit status 1 and no output file.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
// RUN: sh -c '%asyncc %s -o %t.c 2>/dev/null; test $? -eq 1'
#include <asyncc.h>

async int caller(int a) {
  await(ac_yield());
  // CHECK: diag-parse-error.c:[[@LINE+3]]:14: error: expected expression
  // CHECK-NEXT: {{^}}  return a + ;{{$}}
  // CHECK-NEXT: {{^}}             ^{{$}}
  return a + ;
}
