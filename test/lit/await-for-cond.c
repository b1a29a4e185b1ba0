// Tests that a for loop whose condition awaits moves the init in front (in a
// block of its own), keeps the increment in the for header, and tests the
// awaited condition at the top of the body.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         {
// CHECK-NEXT:      fr->i = 0;
// CHECK-NEXT:      for (; ; fr->i++) {
// CHECK-NEXT:        fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:        get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->n);
// CHECK-NEXT:      {{resume_[0-9_]+}}:;
// CHECK-NEXT:        if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:          return AC_PENDING;
// CHECK-NEXT:        if (!(fr->i < fr->sub.[[SUB]].result))
// CHECK-NEXT:          break;
// CHECK-NEXT:        fr->s += fr->i;
// CHECK-NEXT:      }
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
