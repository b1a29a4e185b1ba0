// Tests that a user label spelled like a generated resume label (resume_<line>
// of an await) does not clash: the generated label gets another name.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll clash_poll(void *self, ac_cx *cx) {
// CHECK:         case CLASH_L[[#@LINE+16]]:
// CHECK-NEXT:      goto [[RES:resume_[0-9]+_[0-9]+]];
// CHECK:       [[RES]]:;
// CHECK-NEXT:    if (get_poll(&fr->sub.{{await_[0-9_]+}}, cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    goto resume_[[#@LINE+11]];
// CHECK-NEXT:  resume_[[#@LINE+10]]:
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

/* The user's label must be resume_<the await's line>. */
async int clash(int n) {
  await(get(n)); goto resume_23;
resume_23:
  return n;
}
