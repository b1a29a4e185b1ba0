// Tests that saved locals of unnamed struct and union types declared in the
// body get their types named after the function and line, moved in front of the
// frame.
// REQUIRES: runtime
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s --check-prefix=OUT
//
// CHECK-LABEL: /* async caller: {{.*}} */
// CHECK-NEXT:  struct [[S:caller_anon_[0-9_]+]] { int a; };
// CHECK-NEXT:  union [[U:caller_anon_[0-9_]+]] { int i; float f; };
// CHECK:       struct caller_frame {
// CHECK-NEXT:    enum caller_state state;
// CHECK-NEXT:    int result;
// CHECK-NEXT:    struct [[S]] s;
// CHECK-NEXT:    struct [[S]] *p;
// CHECK-NEXT:    union [[U]] u;
//
// OUT: 12
#include <asyncc.h>

int printf(const char *, ...);

async int caller(void) {
  struct { int a; } s = {5}, *p = &s;
  union { int i; float f; } u;
  u.i = 2;
  await(ac_yield());
  return s.a + p->a + u.i;
}

int main(void) {
  printf("%d\n", ac_block_on(caller()));
  return 0;
}
