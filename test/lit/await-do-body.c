// Tests that an await in a do-while body stays inside the loop, whose condition
// is left as written.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         do {
// CHECK-NEXT:      if (ac__budget_enter(cx) == AC_PENDING) {
// CHECK-NEXT:        fr->state = [[LOOP:CALLER_L[0-9_]+_LOOP]];
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      }
// CHECK-NEXT:    {{loop_[0-9_]+}}:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->s);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      fr->s += fr->sub.[[SUB]].result;
// CHECK-NEXT:    } while (fr->s < 100);
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x + 1;
}

async int caller(void) {
  int s = 0;
  do {
    s += await(get(s));
  } while (s < 100);
  return s;
}
