// Tests that parameters named 'fr' and 'cx' do not clash with the frame pointer
// of init or the context of poll.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct clash_frame {
// CHECK:       static AC_MAYBE_UNUSED void clash_init(struct clash_frame *[[FR:fr_[0-9]+]], int fr,
// CHECK-NEXT:                                         int cx) {
// CHECK-NEXT:    [[FR]]->state = CLASH_START;
// CHECK-NEXT:    [[FR]]->fr = fr;
// CHECK-NEXT:    [[FR]]->cx = cx;
// CHECK-NEXT:  }
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int clash(int fr, int cx) {
  return await(get(fr + cx));
}
