// Tests that the temporaries lowering makes go through the same liveness as
// locals: one not live across an await stays a C local of the poll function,
// and two whose lives do not overlap share storage in the frame.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct f_frame {
// CHECK-NEXT:    enum f_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    int a;
// CHECK-NEXT:    int b;
// CHECK-NEXT:    int c;
// CHECK-NEXT:    int d;
// CHECK-NEXT:    union {
// CHECK-NEXT:      int [[T1:t[_0-9]*]];
// CHECK-NEXT:      int [[T2:t[_0-9]*]];
// CHECK-NEXT:    };
// CHECK-NEXT:    union {
//
// The operands of && and || and the value of ?: are C locals.
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll f_poll(void *self, ac_cx *cx) {
// CHECK:         int [[COND:cond[_0-9]*]];
// CHECK-NEXT:    [[COND]] = (fr->n > 0) != 0;
// CHECK:         fr->a = [[COND]];
// CHECK:         fr->[[T1]] = fr->sub.{{await_[0-9_]+}}.result;
// CHECK:         fr->d = fr->[[T1]] * 10 + fr->sub.{{await_[0-9_]+}}.result;
// CHECK:         fr->[[T2]] = fr->sub.{{await_[0-9_]+}}.result;
#include <asyncc.h>

static async int one(int x) {
  await(ac_yield());
  return x;
}

static async int f(int n) {
  int a = n > 0 && await(one(n)) > 1;
  int b = n < 0 || await(one(-n)) > 1;
  int c = n ? await(one(1)) : 0;
  int d = await(one(2)) * 10 + await(one(3));
  int e = await(one(4)) * 10 + await(one(5));
  return a + b + c + d + e;
}
