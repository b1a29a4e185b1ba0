// Tests that an await in a for body keeps the loop, with its init, condition
// and increment reading the saved loop variable from the frame.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct caller_frame {
// CHECK:         int i;
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         for (fr->i = 0; fr->i < fr->n; fr->i++) {
// CHECK:         {{loop_[0-9_]+}}:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->i);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      fr->s += fr->sub.[[SUB]].result;
// CHECK-NEXT:    }
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    s += await(get(i));
  }
  return s;
}
