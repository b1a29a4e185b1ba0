// Tests that init, poll and drop are static (and maybe unused) in the file
// that defines the function, and that a function other files can see gets its
// stub: the function under its own name, which sets up the call announced
// with ac__dyn_call.  A static function whose address is not taken has none.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines --implicit-check-not='{{^}}static int hidden({{.*}}'
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct hidden_frame {
// CHECK:       static AC_MAYBE_UNUSED void hidden_init(struct hidden_frame *, int);
// CHECK-NEXT:  static AC_MAYBE_UNUSED ac_poll hidden_poll(void *, ac_cx *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED void hidden_drop(void *);
// CHECK:       static AC_MAYBE_UNUSED void hidden_init(struct hidden_frame *fr, int x) {
// CHECK:       static AC_MAYBE_UNUSED ac_poll hidden_poll(void *self, ac_cx *cx) {
// CHECK:       static AC_MAYBE_UNUSED void hidden_drop(void *self) {
// CHECK:         fr->state = HIDDEN_DONE;
// CHECK-NEXT:  }
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void shown_init(struct shown_frame *fr) {
// CHECK:       static AC_MAYBE_UNUSED const struct ac_task_type shown_type = {
// CHECK-NEXT:      .poll = shown_poll,
// CHECK-NEXT:      .drop = shown_drop,
// CHECK-NEXT:      .name = "shown",
// CHECK-NEXT:      .result_offset = offsetof(struct shown_frame, result),
// CHECK-NEXT:      .result_size = sizeof(((struct shown_frame *)0)->result),
// CHECK-NEXT:  };
// CHECK-EMPTY:
// CHECK-NEXT:  /* shown itself, for other files and pointers: it sets up the call announced
// CHECK-NEXT:   * with ac__dyn_call. */
// CHECK-NEXT:  int shown(void) {
// CHECK-NEXT:    struct shown_frame *fr = ac__dyn_begin(sizeof *fr, &shown_type);
// CHECK-NEXT:    if (fr) {
// CHECK-NEXT:      shown_init(fr);
// CHECK-NEXT:      ac__dyn_end(fr);
// CHECK-NEXT:    }
// CHECK-NEXT:    return (int){0};
// CHECK-NEXT:  }
#include <asyncc.h>

static async int hidden(int x) {
  await(ac_yield());
  return x;
}

async int shown(void) {
  return await(hidden(4));
}
