// Tests that the left operand of a comma runs as a statement before an await on
// its right, and the comma's value is the await's result.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         side(5);
// CHECK-NEXT:    fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB:await_[0-9_]+]], 3);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    int e = (fr->sub.[[SUB]].result);
// CHECK-NEXT:    fr->result = e;
#include <asyncc.h>

int side(int x);

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  int e = (side(5), await(get(3)));
  return e;
}
