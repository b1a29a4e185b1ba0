// Tests that an await in one arm of ?: runs only on that arm's path, with the
// value carried in a frame temporary, and the other arm not awaited.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         int [[C:cond[_0-9]*]];
// CHECK-NEXT:    if (fr->n) {
// CHECK-NEXT:      [[C]] = side(3);
// CHECK-NEXT:    } else {
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], 2);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      [[C]] = fr->sub.[[SUB]].result;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = ([[C]]) + 1;
#include <asyncc.h>

int side(int x);

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  return (n ? side(3) : await(get(2))) + 1;
}
