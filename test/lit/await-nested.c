// Tests that an await nested in another await's argument completes first and
// its result is saved before the outer callee's sub-frame is initialised.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: enum caller_state {
// CHECK-NEXT:    CALLER_START,
// CHECK-NEXT:    [[IN:CALLER_L[0-9]+]], /* {{.*}} await(get(6)) */
// CHECK-NEXT:    [[OUT:CALLER_L[0-9]+_2]], /* {{.*}} await(get(await(get(6)) + 1)) */
// CHECK-NEXT:    CALLER_DONE,
//
// The inner result is read by the outer await's init, before anything
// else can use the sub-frames' union: straight from its sub-frame.
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[IN]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB1:await_[0-9_]+]], 6);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB1]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->state = [[OUT]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB2:await_[0-9_]+]], fr->sub.[[SUB1]].result + 1);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->result = fr->sub.[[SUB2]].result;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  return await(get(await(get(6)) + 1));
}
