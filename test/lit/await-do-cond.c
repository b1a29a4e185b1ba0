// Tests that a do-while whose condition awaits runs its awaits at the end of
// the body, with the body's own 'continue' redirected to the condition and a
// nested loop's left alone.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         do {
// CHECK:         {{loop_[0-9_]+}}:;
// CHECK-NEXT:      if (fr->s == 5)
// CHECK-NEXT:        goto [[NEXT:next_*]];
// CHECK-NEXT:      for (int j = 0; j < 2; j++)
// CHECK-NEXT:        continue;
// CHECK-NEXT:      fr->s++;
// CHECK-NEXT:    [[NEXT]]:;
// CHECK-NEXT:      fr->state = [[ST:CALLER_L[0-9_]+]];
// CHECK-NEXT:      get_init(&fr->sub.[[SUB:await_[0-9_]+]], fr->s);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (get_poll(&fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:    } while (fr->sub.[[SUB]].result < 10);
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

async int caller(void) {
  int s = 0;
  do {
    if (s == 5)
      continue;
    for (int j = 0; j < 2; j++)
      continue;
    s++;
  } while (await(get(s)) < 10);
  return s;
}
