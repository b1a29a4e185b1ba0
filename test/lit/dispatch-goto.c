// Tests that poll dispatches on the state with a switch whose cases jump to the
// resume label placed right before each await's poll.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll twice_poll(void *self, ac_cx *cx) {
// CHECK-NEXT:    struct twice_frame *fr = self;
// CHECK-NEXT:    switch (fr->state) {
// CHECK-NEXT:    case TWICE_START:
// CHECK-NEXT:      break;
// CHECK-NEXT:    case [[S1:TWICE_L[0-9_]+]]:
// CHECK-NEXT:      goto [[R1:resume_[0-9_]+]];
// CHECK-NEXT:    case [[S2:TWICE_L[0-9_]+]]:
// CHECK-NEXT:      goto [[R2:resume_[0-9_]+]];
// CHECK-NEXT:    case TWICE_DONE:
// CHECK-NEXT:      return AC_READY;
// CHECK-NEXT:    }
// CHECK:         fr->state = [[S1]];
// CHECK-NEXT:    ac_yield_init(&fr->sub.[[F1:await_[0-9_]+]]);
// CHECK-NEXT:  [[R1]]:;
// CHECK-NEXT:    if (ac_yield_poll(&fr->sub.[[F1]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->state = [[S2]];
// CHECK-NEXT:    ac_yield_init(&fr->sub.[[F2:await_[0-9_]+]]);
// CHECK-NEXT:  [[R2]]:;
// CHECK-NEXT:    if (ac_yield_poll(&fr->sub.[[F2]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->state = TWICE_DONE;
// CHECK-NEXT:    return AC_READY;
// CHECK-NEXT:  }
#include <asyncc.h>

async void twice(void) {
  await(ac_yield());
  await(ac_yield());
}
