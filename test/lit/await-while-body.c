// Tests that an await in a while body is lowered inside the loop, so each
// iteration suspends, and an unbraced body gets braces.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         while (fr->n-- > 0) {
// CHECK-NEXT:      if (ac__budget_enter(cx) == AC_PENDING) {
// CHECK-NEXT:        fr->state = [[LOOP:CALLER_L[0-9_]+_LOOP]];
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      }
// CHECK-NEXT:    {{loop_[0-9_]+}}:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->n);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      fr->s += fr->sub.[[SUB]].result;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = fr->s;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  while (n-- > 0)
    s += await(get(n));
  return s;
}
