// Tests that drop switches on the state and drops exactly the sub-frame live in
// each await state, then marks the frame done.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// A function that never awaits has nothing to drop.
// CHECK-LABEL: static AC_MAYBE_UNUSED void leaf_drop(void *self) {
// CHECK-NEXT:    struct leaf_frame *fr = self;
// CHECK-NEXT:    fr->state = LEAF_DONE;
// CHECK-NEXT:  }
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void pair_drop(void *self) {
// CHECK-NEXT:    struct pair_frame *fr = self;
// CHECK-NEXT:    switch (fr->state) {
// CHECK-NEXT:    case [[S1:PAIR_L[0-9_]+]]:
// CHECK-NEXT:      leaf_drop(&fr->sub.[[F1:await_[0-9_]+]]);
// CHECK-NEXT:      break;
// CHECK-NEXT:    case [[S2:PAIR_L[0-9_]+]]:
// CHECK-NEXT:      ac_sleep_drop(&fr->sub.[[F2:await_[0-9_]+]]);
// CHECK-NEXT:      break;
// CHECK-NEXT:    default:
// CHECK-NEXT:      break;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->state = PAIR_DONE;
// CHECK-NEXT:  }
#include <asyncc.h>

async int leaf(void) {
  return 7;
}

async int pair(void) {
  int x = await(leaf());
  await(ac_sleep(10));
  return x;
}
