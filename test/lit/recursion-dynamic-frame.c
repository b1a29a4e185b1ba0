// Tests that a recursive await gets its callee frame from ac_frame_alloc (a
// pointer in the sub union), reads the result before freeing it, and that drop
// drops and frees a live one.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: struct fib_frame {
// CHECK:         union {
// CHECK-NEXT:      struct fib_frame *[[SUB:await_[0-9_]+]];
// CHECK-NEXT:    } sub;
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll fib_poll(void *self, ac_cx *cx) {
// CHECK:         fr->state = [[ST:FIB_L[0-9_]+]];
// CHECK-NEXT:    if (!(fr->sub.[[SUB]] = ac_frame_alloc(cx, sizeof(struct fib_frame))))
// CHECK-NEXT:      return ac__frame_oom(cx);
// CHECK-NEXT:    fib_init(fr->sub.[[SUB]], fr->n - 1);
// CHECK-NEXT:  {{resume_[0-9_]+}}:;
// CHECK-NEXT:    if (fib_poll(fr->sub.[[SUB]], cx) == AC_PENDING)
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    [[T:t[_0-9]*]] = fr->sub.[[SUB]]->result;
// CHECK-NEXT:    ac_frame_free(fr->sub.[[SUB]]);
// CHECK-NEXT:    fr->result = fr->n * [[T]];
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void fib_drop(void *self) {
// CHECK-NEXT:    struct fib_frame *fr = self;
// CHECK-NEXT:    switch (fr->state) {
// CHECK-NEXT:    case [[ST]]:
// CHECK-NEXT:      if (fr->sub.[[SUB]]) {
// CHECK-NEXT:        fib_drop(fr->sub.[[SUB]]);
// CHECK-NEXT:        ac_frame_free(fr->sub.[[SUB]]);
// CHECK-NEXT:      }
// CHECK-NEXT:      break;
#include <asyncc.h>

async long fib(int n) {
  if (n < 2)
    return 1;
  return n * await(fib(n - 1));
}
