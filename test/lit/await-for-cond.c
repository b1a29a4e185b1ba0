// Tests that a for loop whose condition awaits keeps its init and increment
// in the for header, and tests the awaited condition at the top of the body,
// after the loop's budget check.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         for (fr->i = 0; ; fr->i++) {
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
// CHECK-NEXT:      if (!(fr->i < fr->sub.[[SUB]].result))
// CHECK-NEXT:        break;
// CHECK-NEXT:      fr->s += fr->i;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = fr->s;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  for (int i = 0; i < await(get(n)); i++)
    s += i;
  return s;
}
