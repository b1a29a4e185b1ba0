// Tests that user comments are printed with the statement they belong to --
// before the statements an await is lowered to, never after them -- and that a
// body moved into the state machine is re-indented as a whole.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines --strict-whitespace
//
// CHECK-LABEL:static AC_MAYBE_UNUSED ac_poll sum_poll(void *self, ac_cx *cx) {
// CHECK:{{^}}  /* adds up one() of each number below n */
// CHECK-NEXT:  fr->s = 0;
// CHECK-NEXT:  // each step awaits
// CHECK-NEXT:  for (fr->i = 0; fr->i < fr->n; fr->i++) {
// CHECK-NEXT:    if (ac__budget_enter(cx) == AC_PENDING) {
// CHECK-NEXT:      fr->state = SUM_L{{[0-9]+}}_LOOP;
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    }
// CHECK-NEXT:  loop_{{[0-9]+}}:;
// CHECK-NEXT:    fr->state = SUM_L{{[0-9]+}};
// CHECK-NEXT:    one_init(&fr->sub.await_{{[0-9]+}}, fr->i);
// CHECK-NEXT:  resume_{{[0-9]+}}:;
// CHECK-NEXT:    if (one_poll(&fr->sub.await_{{[0-9]+}}, cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->s += fr->sub.await_{{[0-9]+}}.result; /* an oddly indented body */
// CHECK-NEXT:    if (fr->s > 100)
// CHECK-NEXT:      break; // far enough
// CHECK-NEXT:  }
// CHECK-NEXT:  /* the last comment of the body */
// CHECK-NEXT:  // done
// CHECK-NEXT:  fr->result = fr->s;
// CHECK-NEXT:  fr->state = SUM_DONE;
// CHECK-NEXT:  return AC_READY;
// CHECK-LABEL:static AC_MAYBE_UNUSED ac_poll quiet_poll(void *self, ac_cx *cx) {
// CHECK:    if (ac_yield_poll(&fr->sub.await_{{[0-9]+}}, cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    if (limit < 0)
// CHECK-NEXT:      break; // kept where it was, the if is unchanged
#include <asyncc.h>

static async int one(int x) {
  await(ac_yield());
  return x;
}

static async int sum(int n) {  /* adds up one() of each number below n */
  int s = 0;
  // each step awaits
  for (int i = 0; i < n; i++) {
        s += await(one(i));   /* an oddly indented body */
        if (s > 100)
              break;          // far enough
  }
      /* the last comment of the body */
  return s; // done
}

static int limit = 100;

static async int quiet(void) {
  int s = 0;
  for (int i = 0; i < 3; i++) {
    await(ac_yield());
    if (limit < 0)
      break; // kept where it was, the if is unchanged
    s++;
  }
  return s;
}
