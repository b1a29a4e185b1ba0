// Tests that 'x = await(f());' and 'x += await(f());' assign the callee's
// result straight from its sub-frame after the poll.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->x = 0;
// CHECK-NEXT:    fr->state = [[ST1:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB1:await_[0-9_]+]], 1);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB1]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->x = fr->sub.[[SUB1]].result;
// CHECK-NEXT:    fr->state = [[ST2:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB2:await_[0-9_]+]], fr->x);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->x += fr->sub.[[SUB2]].result * 2;
// CHECK-NEXT:    fr->result = fr->x;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  int x = 0;
  x = await(get(1));
  x += await(get(x)) * 2;
  return x;
}
