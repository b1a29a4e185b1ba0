// Tests that --for-reading writes C to read: no #line directives, the
// body's comments kept, and it still compiles.
// RUN: %asyncc --for-reading %s -o %t.c
// RUN: FileCheck %s --match-full-lines --implicit-check-not='{{^}}#line' < %t.c
// RUN: %cc -c %t.c -o %t.o
//
// CHECK-LABEL: enum work_state {
// CHECK-NEXT:    WORK_START,
// CHECK-NEXT:    [[ST:WORK_L[0-9]+]], /* line [[#@LINE+9]]: await(ac_yield()) */
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll work_poll(void *self, ac_cx *cx) {
// CHECK:         /* Comments in the body stay. */
// CHECK-NEXT:    fr->state = [[ST]];
// CHECK-NEXT:    ac_yield_init(&fr->sub.await_{{[0-9]+}});
#include <asyncc.h>

async int work(int n) {
  /* Comments in the body stay. */
  await(ac_yield());
  return n + 1;
}
