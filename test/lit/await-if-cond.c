// Tests that an await in an if condition runs before the if, and one in an
// else-if condition runs only on the else path.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[ST1:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB1:await_[0-9_]+]], fr->n);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB1]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    if (fr->sub.[[SUB1]].result > 1) {
// CHECK-NEXT:      fr->s = 1;
// CHECK-NEXT:    } else {
// CHECK-NEXT:      fr->state = [[ST2:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB2:await_[0-9_]+]], -fr->n);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      if (fr->sub.[[SUB2]].result < 0)
// CHECK-NEXT:        fr->s = 2;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = fr->s;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  if (await(get(n)) > 1)
    s = 1;
  else if (await(get(-n)) < 0)
    s = 2;
  return s;
}
