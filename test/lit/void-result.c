// Tests that a void async function has no result field and no result accessor,
// and that 'return;' and falling off the end both complete it.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines --implicit-check-not='{{[>_]}}result' --implicit-check-not='{{ }}result;'
//
// CHECK-LABEL: struct tick_frame {
// CHECK-NEXT:    enum tick_state state;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    union {
// CHECK:         } sub;
// CHECK-NEXT:  };
// CHECK-NEXT:  static AC_MAYBE_UNUSED void tick_init(struct tick_frame *, int);
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll tick_poll(void *self, ac_cx *cx) {
// CHECK:         if (fr->n == 0) {
// CHECK-NEXT:      fr->state = TICK_DONE;
// CHECK-NEXT:      return AC_READY;
// CHECK-NEXT:    }
// CHECK:         if (ac_yield_poll(&fr->sub.{{await_[0-9_]+}}, cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->state = TICK_DONE;
// CHECK-NEXT:    return AC_READY;
// CHECK-NEXT:  }
// CHECK:       static AC_MAYBE_UNUSED const struct ac_task_type tick_type = {
// CHECK-NEXT:      .poll = tick_poll,
// CHECK-NEXT:      .drop = tick_drop,
// CHECK-NEXT:      .name = "tick",
// CHECK-NEXT:  };
// CHECK:       void tick(int n) {
// CHECK-NEXT:    struct tick_frame *fr = ac__dyn_begin(sizeof *fr, &tick_type);
// CHECK-NEXT:    if (fr) {
// CHECK-NEXT:      tick_init(fr, n);
// CHECK-NEXT:      ac__dyn_end(fr);
// CHECK-NEXT:    }
// CHECK-NEXT:  }
#include <asyncc.h>

async void tick(int n) {
  if (n == 0) {
    return;
  }
  await(ac_yield());
}
