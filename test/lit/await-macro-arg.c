// Tests that an await written in a macro argument expanded once is lowered, and
// the macro call keeps its text with the await replaced by the result.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:    get_init(&fr->sub.[[SUB:await_[0-9_]+]], 7);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->result = DOUBLE(fr->sub.[[SUB]].result);
#include <asyncc.h>

#define DOUBLE(e) ((e) * 2)

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  return DOUBLE(await(get(7)));
}
