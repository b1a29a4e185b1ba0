// Tests that only locals live across an await are saved in the frame: a local
// dead before the await, one only used after it, and one in a block without an
// await stay C locals in poll.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct locals_frame {
// CHECK-NEXT:    enum locals_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    int kept;
// CHECK-NEXT:    union {
// CHECK-NEXT:      struct ac_yield_frame {{await_[0-9_]+}};
// CHECK-NEXT:    } sub;
// CHECK-NEXT:  };
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll locals_poll(void *self, ac_cx *cx) {
// CHECK:         int dead = fr->n * 2;
// CHECK-NEXT:    fr->kept = dead + 1;
// CHECK:         {
// CHECK-NEXT:      int inner = fr->kept;
// CHECK-NEXT:      fr->kept = inner + 1;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->state = LOCALS_L[[#@LINE+12]];
// CHECK:         int after = fr->kept;
// CHECK-NEXT:    fr->result = after;
#include <asyncc.h>

async int locals(int n) {
  int dead = n * 2;
  int kept = dead + 1;
  {
    int inner = kept;
    kept = inner + 1;
  }
  await(ac_yield());
  int after = kept;
  return after;
}
