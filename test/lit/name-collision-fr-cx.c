// Tests that locals named 'fr', 'cx' and 'self' that stay C locals in poll do
// not clash with poll's own frame, context and self parameters.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// The generated names must differ from the user's (asyncc appends underscores).
// CHECK-LABEL: struct clash_frame {
// CHECK:       static AC_MAYBE_UNUSED ac_poll clash_poll(void *[[SELF:self_[0-9]+]], ac_cx *[[CX:cx_[0-9]+]]) {
// CHECK-NEXT:    struct clash_frame *[[FR:fr_[0-9]+]] = [[SELF]];
// CHECK:         int fr = [[FR]]->n, cx = 2, self = 3;
// CHECK-NEXT:    [[FR]]->n = fr + cx + self;
// CHECK:         if (get_poll(&[[FR]]->sub.{{await_[0-9_]+}}, [[CX]]) == AC_PENDING)
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int clash(int n) {
  int fr = n, cx = 2, self = 3;
  n = fr + cx + self;
  await(get(n));
  return n;
}
