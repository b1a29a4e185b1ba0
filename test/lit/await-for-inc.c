// Tests that an await in a for-increment runs at the end of the body behind a
// label that the body's 'continue' jumps to, so 'continue' still runs the
// increment.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         for (fr->i = 0; fr->i < fr->n;) {
// CHECK:         {{loop_[0-9_]+}}:;
// CHECK-NEXT:      if (fr->i == 2)
// CHECK-NEXT:        goto [[NEXT:next_*]];
// CHECK-NEXT:      fr->s += fr->i;
// CHECK-NEXT:    [[NEXT]]:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], 1);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      fr->i += fr->sub.[[SUB]].result;
// CHECK-NEXT:    }
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  for (int i = 0; i < n; i += await(get(1))) {
    if (i == 2)
      continue;
    s += i;
  }
  return s;
}
