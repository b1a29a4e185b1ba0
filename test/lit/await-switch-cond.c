// Tests that an await in a switch condition runs before the switch, whose case
// labels stay untouched by the goto dispatch.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         if (get_poll(&fr->sub.[[SUB:await_[0-9_]+]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    switch (fr->sub.[[SUB]].result) {
// CHECK-NEXT:    case 1:
// CHECK-NEXT:      fr->s = 10;
// CHECK-NEXT:      break;
// CHECK-NEXT:    default:
// CHECK-NEXT:      break;
// CHECK-NEXT:    }
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  switch (await(get(n))) {
  case 1: s = 10; break;
  default: break;
  }
  return s;
}
