// Tests that an async prototype becomes an incomplete frame struct and the
// init/poll/drop prototypes, and that a function defined in another file also
// gets its frame size and result accessor declared.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// A prototype of a function defined later in this file.
// CHECK-LABEL: struct later_frame;
// CHECK-NEXT:  void later_init(struct later_frame *, int, char *);
// CHECK-NEXT:  ac_poll later_poll(void *, ac_cx *);
// CHECK-NEXT:  void later_drop(void *);
//
// A static prototype keeps its linkage.
// CHECK-NEXT:  struct quiet_frame;
// CHECK-NEXT:  static AC_MAYBE_UNUSED void quiet_init(struct quiet_frame *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED ac_poll quiet_poll(void *, ac_cx *);
// CHECK-NEXT:  static AC_MAYBE_UNUSED void quiet_drop(void *);
//
// A function of another file: its frame is opaque.
// CHECK-NEXT:  struct remote_frame;
// CHECK-NEXT:  void remote_init(struct remote_frame *, double);
// CHECK-NEXT:  ac_poll remote_poll(void *, ac_cx *);
// CHECK-NEXT:  void remote_drop(void *);
// CHECK-NEXT:  struct remote_frame; /* defined in another file */
// CHECK-NEXT:  extern const size_t remote_frame_size;
// CHECK:       long remote_result(struct remote_frame *);
// CHECK-NEXT:  int between = 1;
//
// CHECK-LABEL: struct later_frame {
// CHECK-LABEL: void later_init(struct later_frame *fr, int a, char *s) {
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
