// Tests that saved locals of sibling blocks, never live at the same time, share
// storage in an anonymous union of the frame.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// The largest variable is placed first; each other goes into the union it
// grows least, so the double b shares with c rather than with a.
// CHECK-LABEL: struct caller_frame {
// CHECK-NEXT:    enum caller_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    int n;
// CHECK-NEXT:    int a;
// CHECK-NEXT:    union {
// CHECK-NEXT:      double b;
// CHECK-NEXT:      int c;
// CHECK-NEXT:    };
// CHECK-NEXT:    union {
#include <asyncc.h>

async int caller(int n) {
  int s = 0;
  if (n) {
    int a = n;
    double b = 2.5;
    await(ac_yield());
    s = a + (int)b;
  } else {
    int c = -n;
    await(ac_yield());
    s = c;
  }
  return s;
}
