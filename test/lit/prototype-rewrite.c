// Tests what becomes of async prototypes: the prototype of a function defined
// later in this file stays (it declares the function's stub) and the state
// machine's prototypes follow it; a static one whose address is not taken
// needs no stub, so only the state machine's prototypes stand in for it; the
// prototype of a function defined in another file stays as written (the call
// goes through that file's stub).
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
// RUN: %asyncc %s -o %t.c && %cc -c %t.c -o %t.o
//
// CHECK-LABEL: async int later(int a, char *s);
// CHECK-NEXT:  struct later_frame;
// CHECK-NEXT:  static AC_MAYBE_UNUSED void later_init(struct later_frame *, int, char *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED ac_poll later_poll(void *, ac_cx *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED void later_drop(void *);
// CHECK-NEXT:  struct quiet_frame;
// CHECK-NEXT:  static AC_MAYBE_UNUSED void quiet_init(struct quiet_frame *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED ac_poll quiet_poll(void *, ac_cx *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED void quiet_drop(void *);
// CHECK-NEXT:  async long remote(double d);
// CHECK-NEXT:  int between = 1;
//
// CHECK-LABEL: struct later_frame {
// CHECK-LABEL: static AC_MAYBE_UNUSED void later_init(struct later_frame *fr, int a, char *s) {
// CHECK:         ac__dyn_call(&fr->sub.{{await_[0-9_]+}}, AC_DYN_AWAIT, cx, NULL);
// CHECK-NEXT:    (void)remote(1.0);
#include <asyncc.h>

async int later(int a, char *s);
static async void quiet(void);
async long remote(double d);
int between = 1;

async int later(int a, char *s) {
  await(quiet());
  return a + s[0] + (int)await(remote(1.0));
}

static async void quiet(void) {
  await(ac_yield());
}
