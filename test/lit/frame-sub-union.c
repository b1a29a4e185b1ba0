// Tests that each awaited callee's frame is embedded, one member per await, in
// the frame's 'sub' union, after the saved locals, with the callee's frame
// declared first.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct leaf_frame {
// CHECK-LABEL: struct other_frame {
// CHECK-LABEL: struct outer_frame {
// CHECK-NEXT:    enum outer_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int a;
// CHECK-NEXT:    union {
// CHECK-NEXT:      struct leaf_frame [[A1:await_[0-9_]+]];
// CHECK-NEXT:      struct other_frame [[A2:await_[0-9_]+]];
// CHECK-NEXT:      struct leaf_frame [[A3:await_[0-9_]+]];
// CHECK-NEXT:    } sub;
// CHECK-NEXT:  };
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll outer_poll(void *self, ac_cx *cx) {
// CHECK:         leaf_init(&fr->sub.[[A1]], 1);
// CHECK:         other_init(&fr->sub.[[A2]]);
// CHECK:         leaf_init(&fr->sub.[[A3]], fr->a);
#include <asyncc.h>

async int leaf(int x) {
  await(ac_yield());
  return x;
}

async double other(void) {
  await(ac_yield());
  return 0.5;
}

async int outer(void) {
  int a = await(leaf(1));
  a += (int)await(other());
  return await(leaf(a));
}
