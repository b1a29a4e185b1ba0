// Tests that an await on the right of || runs only when the left operand is
// false.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         int [[C:cond[_0-9]*]];
// CHECK-NEXT:    [[C]] = (side(2)) != 0;
// CHECK-NEXT:    if (![[C]]) {
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->n);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      [[C]] = (fr->sub.[[SUB]].result) != 0;
// CHECK-NEXT:    }
// CHECK-NEXT:    if ([[C]]) {
// CHECK-NEXT:      fr->result = 1;
#include <asyncc.h>

int side(int x);

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  if (side(2) || await(get(n)))
    return 1;
  return 0;
}
