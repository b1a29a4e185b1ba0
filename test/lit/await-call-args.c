// Tests that awaits in two arguments of a plain call run in order before the
// call, the first result saved in a temporary because the second await reuses
// the sub-frame storage.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         get_init(&fr->sub.[[SUB1:await_[0-9_]+]], 4);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB1]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->[[T:t[_0-9]*]] = fr->sub.[[SUB1]].result;
// CHECK-NEXT:    fr->state = {{CALLER_L[0-9]+_2}};
// CHECK-NEXT:    get_init(&fr->sub.[[SUB2:await_[0-9]+_2]], 5);
// CHECK-NEXT:  {{resume_[0-9]+_2}}:;
// CHECK-NEXT:    if (get_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->result = pair(fr->[[T]], fr->sub.[[SUB2]].result);
#include <asyncc.h>

int pair(int a, int b);

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  return pair(await(get(4)), await(get(5)));
}
