// Tests that 'T x = await(f());' stores into the frame when x lives across a
// later await, and stays a C declaration in poll when it does not.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct caller_frame {
// CHECK-NEXT:    enum caller_state state;
// CHECK-NEXT:    long result;
// CHECK-NEXT:    long kept;
// CHECK-NEXT:    union {
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         if (get_poll(&fr->sub.[[SUB1:await_[0-9_]+]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->kept = fr->sub.[[SUB1]].result;
// CHECK:         if (get_poll(&fr->sub.[[SUB2:await_[0-9_]+]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    long last = fr->sub.[[SUB2]].result + 1;
// CHECK-NEXT:    fr->result = fr->kept + last;
#include <asyncc.h>

async long get(long x) {
  await(ac_yield());
  return x;
}

async long caller(void) {
  long kept = await(get(1));
  long last = await(get(2)) + 1;
  return kept + last;
}
