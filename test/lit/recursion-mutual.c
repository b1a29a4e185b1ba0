// Tests that mutually recursive async functions both allocate the other's frame
// dynamically, since neither frame can embed the other.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct is_odd_frame;
// CHECK-DAG:     struct is_odd_frame *{{await_[0-9_]+}};
// CHECK-DAG:     struct is_even_frame *{{await_[0-9_]+}};
// CHECK-DAG:     if (!(fr->sub.{{await_[0-9_]+}} = ac_frame_alloc(cx, sizeof(struct is_odd_frame))))
// CHECK-DAG:     if (!(fr->sub.{{await_[0-9_]+}} = ac_frame_alloc(cx, sizeof(struct is_even_frame))))
#include <asyncc.h>

async int is_odd(int n);

async int is_even(int n) {
  if (n == 0)
    return 1;
  return await(is_odd(n - 1));
}

async int is_odd(int n) {
  if (n == 0)
    return 0;
  return await(is_even(n - 1));
}
