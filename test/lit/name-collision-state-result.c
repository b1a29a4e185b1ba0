// Tests that saved locals named 'state', 'result' and 'sub' get fresh frame
// field names, so they cannot clash with the frame's own members, and the
// output compiles.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct clash_frame {
// CHECK-NEXT:    enum clash_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    int [[STATE:state_[0-9]+]];
// CHECK-NEXT:    int [[RESULT:result_[0-9]+]];
// CHECK-NEXT:    int [[SUB:sub_[0-9]+]];
// CHECK-NEXT:    union {
// CHECK:         } sub;
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll clash_poll(void *self, ac_cx *cx) {
// CHECK:         fr->[[STATE]] = fr->n + 1;
// CHECK-NEXT:    fr->state = {{CLASH_L[0-9_]+}};
// CHECK:         fr->[[RESULT]] = fr->sub.{{await_[0-9_]+}}.result;
// CHECK-NEXT:    fr->[[SUB]] = 2;
// CHECK:         fr->result = fr->[[STATE]] + fr->[[RESULT]] + fr->[[SUB]];
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int clash(int n) {
  int state = n + 1;
  int result = await(get(state));
  int sub = 2;
  await(ac_yield());
  return state + result + sub;
}
