// Tests that 'return await(f());' stores the callee's result as the function's
// result, sets the done state and returns ready.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->n + 1);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->result = fr->sub.[[SUB]].result;
// CHECK-NEXT:    fr->state = CALLER_DONE;
// CHECK-NEXT:    return AC_READY;
// CHECK-NEXT:  }
#include <asyncc.h>

async double get(int x) {
  await(ac_yield());
  return x;
}

async double caller(int n) {
  return await(get(n + 1));
}
