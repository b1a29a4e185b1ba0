// Tests that ac_block_on(f(args)) becomes a call of a generated static
// f_block_on helper, declared with f's own prototypes (so that any later code
// may call it), defined once at the end of the file.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED void compute_drop(void *);
// CHECK-NEXT:  int compute(int n, const char *s);
// CHECK-NEXT:  static int compute_block_on(int, const char *);
// CHECK-EMPTY:
// CHECK-NEXT:  static AC_MAYBE_UNUSED void compute_init(struct compute_frame *fr, int n,
// CHECK-NEXT:                                           const char *s) {
// CHECK-LABEL: static AC_MAYBE_UNUSED void tick_drop(void *);
// CHECK-NEXT:  void tick(void);
// CHECK-NEXT:  static void tick_block_on(void);
// CHECK-LABEL: int helper_unrelated(void) { return 0; }
// CHECK-NEXT:  int main(void) {
// CHECK-NEXT:    int a = compute_block_on(1, "x");
// CHECK-NEXT:    tick_block_on();
// CHECK-NEXT:    return a + compute_block_on(a, "y");
// CHECK-NEXT:  }
// CHECK-NEXT:  /* asyncc: helpers and ac_dump_tasks metadata for this file. */
// CHECK-EMPTY:
// CHECK-NEXT:  static int compute_block_on(int p0, const char *p1) {
// CHECK-NEXT:    struct compute_frame fr;
// CHECK-NEXT:    compute_init(&fr, p0, p1);
// CHECK-NEXT:    ac__block_on_or_exit(&fr, compute_poll, compute_drop);
// CHECK-NEXT:    return fr.result;
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  static void tick_block_on(void) {
// CHECK-NEXT:    struct tick_frame fr;
// CHECK-NEXT:    tick_init(&fr);
// CHECK-NEXT:    ac__block_on_or_exit(&fr, tick_poll, tick_drop);
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  static const struct ac_await_info compute_{{await_[0-9_]+}}[] = {
#include <asyncc.h>

async int compute(int n, const char *s) {
  await(ac_yield());
  return n + s[0];
}

async void tick(void) {
  await(ac_yield());
}

int helper_unrelated(void);
int helper_unrelated(void) { return 0; }
int main(void) {
  int a = ac_block_on(compute(1, "x"));
  ac_block_on(tick());
  return a + ac_block_on(compute(a, "y"));
}
