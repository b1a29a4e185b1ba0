// Tests that --test-suspend makes each await suspend once, between the callee's
// init and its resume label, and changes nothing else.
// RUN: %asyncc --no-line --test-suspend %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:    ac_yield_init(&fr->sub.[[SUB:await_[0-9_]+]]);
// CHECK-NEXT:    if (ac__test_suspend(cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (ac_yield_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->state = CALLER_DONE;
#include <asyncc.h>

async void caller(void) {
  await(ac_yield());
}
