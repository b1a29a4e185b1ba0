// Tests that a static async function gets static (and maybe-unused) init, poll
// and drop, and exports no frame size or result accessor.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines --implicit-check-not='hidden_frame_{{s}}ize' --implicit-check-not='hidden_{{r}}esult'
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
// The public function exports its frame size and result for other files.
// CHECK-LABEL: void shown_init(struct shown_frame *fr) {
// CHECK:       const size_t shown_frame_size = sizeof(struct shown_frame);
// CHECK-NEXT:  int shown_result(struct shown_frame *fr);
// CHECK-NEXT:  int shown_result(struct shown_frame *fr) {
// CHECK-NEXT:    return fr->result;
// CHECK-NEXT:  }
#include <asyncc.h>

static async int hidden(int x) {
  await(ac_yield());
  return x;
}

async int shown(void) {
  return await(hidden(4));
}
