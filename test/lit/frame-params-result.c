// Tests that the frame holds the state, then the result, then every parameter
// in order, and that init copies the parameters in and sets the start state.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct scale_frame {
// CHECK-NEXT:    enum scale_state state;
// CHECK-NEXT:    long result;
// CHECK-NEXT:    int x;
// CHECK-NEXT:    const char *name;
// CHECK-NEXT:    double k;
// CHECK-NEXT:    union {
// CHECK-NEXT:      struct ac_yield_frame [[SUB:await_[0-9_]+]];
// CHECK-NEXT:    } sub;
// CHECK-NEXT:  };
// CHECK-NEXT:  static AC_MAYBE_UNUSED void scale_init(struct scale_frame *, int, const char *,
// CHECK-NEXT:                                         double);
// CHECK-NEXT:  static AC_MAYBE_UNUSED ac_poll scale_poll(void *, ac_cx *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED void scale_drop(void *);
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void scale_init(struct scale_frame *fr, int x,
// CHECK-NEXT:                                         const char *name, double k) {
// CHECK-NEXT:    fr->state = SCALE_START;
// CHECK-NEXT:    fr->x = x;
// CHECK-NEXT:    fr->name = name;
// CHECK-NEXT:    fr->k = k;
// CHECK-NEXT:  }
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll scale_poll(void *self, ac_cx *cx) {
// CHECK:         return AC_READY;
// CHECK:         fr->result = (long)(fr->x * fr->k) + (fr->name != 0);
#include <asyncc.h>

async long scale(int x, const char *name, double k) {
  await(ac_yield());
  return (long)(x * k) + (name != 0);
}
