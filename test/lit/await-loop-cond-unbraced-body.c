// Tests that a loop whose condition awaits keeps the awaits of an unbraced body
// written on its own line.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// CHECK:         for (;;) {
// CHECK:         {{loop_[0-9_]+}}:;
// CHECK-NEXT:      fr->state = [[ST1:CALLER_L[0-9_]+]];
// CHECK-NEXT:      id_init(&fr->sub.[[SUB1:await_[0-9_]+]], fr->n);
// CHECK:           if (!(fr->sub.[[SUB1]].result))
// CHECK-NEXT:        break;
// CHECK-NEXT:      fr->state = [[ST2:CALLER_L[0-9_]+]];
// CHECK-NEXT:      id_init(&fr->sub.[[SUB2:await_[0-9_]+]], fr->n--);
// CHECK-NEXT:    {{resume_[0-9_]+}}:;
// CHECK-NEXT:      if (id_poll(&fr->sub.[[SUB2]], cx) == AC_PENDING)
// CHECK-NEXT:        return AC_PENDING;
// CHECK-NEXT:      g(fr->sub.[[SUB2]].result);
#include <asyncc.h>

void g(int);

async int id(int x) {
  await(ac_yield());
  return x;
}

async void caller(int n) {
  while (await(id(n)))
    g(await(id(n--)));
}
