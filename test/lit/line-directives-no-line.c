// Tests that --no-line drops every #line directive from the output.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines --implicit-check-not='{{^}}#line'
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll work_poll(void *self, ac_cx *cx) {
// CHECK:         }
// CHECK-EMPTY:
// CHECK-NEXT:    fr->state = {{WORK_L[0-9_]+}};
#include <asyncc.h>

async int work(void) {
  await(ac_yield());
  return 1;
}
