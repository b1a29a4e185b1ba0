// Tests that a saved local declared with __typeof__ gets a frame field of the
// type itself, since the typeof operand (a parameter here) is out of scope at
// file scope and 'typeof' is no C11 keyword.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct caller_frame {
// CHECK-NEXT:    enum caller_state state;
// CHECK-NEXT:    long result;
// CHECK-NEXT:    long n;
// CHECK-NEXT:    long k;
#include <asyncc.h>

async long caller(long n) {
  __typeof__(n) k = n * 2;
  await(ac_yield());
  return k;
}
