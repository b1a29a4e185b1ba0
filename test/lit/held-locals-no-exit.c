// Tests that a local whose address the runtime holds, or that has a cleanup,
// is saved in the frame when its scope contains a suspension, even when no
// path leads from that suspension to the end of the scope: the task can still
// be dropped there, and the drop uses the local.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: struct spinner_frame {
// CHECK-NEXT:    enum spinner_state state;
// CHECK-NEXT:    int *out;
// CHECK-NEXT:    struct ac_cleanup c;
// CHECK-LABEL: struct guarded_frame {
// CHECK-NEXT:    enum guarded_state state;
// CHECK-NEXT:    int g;
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void guarded_drop(void *self) {
// CHECK:           release(&fr->g);
#include <asyncc.h>

static void cancelled(void *arg) { *(int *)arg = 1; }
static void release(int *p) { (void)p; }

static async void spinner(int *out) {
  struct ac_cleanup c;
  ac_cleanup_push(&c, cancelled, out);
  for (;;)
    await(ac_yield());
}

static async void guarded(void) {
  __attribute__((cleanup(release))) int g = 1;
  for (;;)
    await(ac_yield());
}
