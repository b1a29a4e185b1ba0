// Tests that awaits in the then- and else-branches of an if stay in place, that
// an unbraced branch gets braces around its lowered await, and that a local
// assigned after each await (never live across one) stays a C local.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         int s = 0;
// CHECK-NEXT:    if (fr->n > 0) {
// CHECK-NEXT:      fr->state = [[ST1:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB1:await_[0-9_]+]], 1);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB1]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      s = fr->sub.[[SUB1]].result;
// CHECK-NEXT:    } else {
// CHECK-NEXT:      fr->state = [[ST2:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB2:await_[0-9_]+]], 2);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      s = fr->sub.[[SUB2]].result;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = s;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  if (n > 0) {
    s = await(get(1));
  } else
    s = await(get(2));
  return s;
}
