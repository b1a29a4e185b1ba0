// Tests that 'await(f());' as a statement becomes init, resume label and poll,
// with the result never read.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         side();
// CHECK-NEXT:    fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB:await_[0-9_]+]], 1);
// CHECK-NEXT:  [[RES:resume_[0-9_]+]]:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    side();
// CHECK-NEXT:    fr->state = CALLER_DONE;
// CHECK-NEXT:    return AC_READY;
// CHECK-NEXT:  }
#include <asyncc.h>

void side(void);

async int get(int x) {
  await(ac_yield());
  return x;
}

async void caller(void) {
  side();
  await(get(1));
  side();
}
