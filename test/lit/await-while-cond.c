// Tests that a while loop whose condition awaits becomes for (;;) with the
// await and a break test at the top, so 'continue' still re-runs the condition.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         for (;;) {
// CHECK:         {{loop_[0-9_]+}}:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->n);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      if (!(fr->sub.[[SUB]].result > fr->s))
// CHECK-NEXT:        break;
// CHECK-NEXT:      if (fr->s == 3)
// CHECK-NEXT:        continue;
// CHECK-NEXT:      fr->s++;
// CHECK-NEXT:    }
// CHECK-NEXT:    fr->result = fr->s;
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(int n) {
  int s = 0;
  while (await(get(n)) > s) {
    if (s == 3)
      continue;
    s++;
  }
  return s;
}
