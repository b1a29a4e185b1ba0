// Tests that a macro which stringizes its argument prints the argument as
// written, even when the argument names a saved local or holds an await:
// the invocation is printed expanded and `#e` keeps the original spelling.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: x + 1 = 2
// CHECK-NEXT: await(g(x)) * 2 = 4
// CHECK-NEXT: check passed: x == 1 && y[0] == 'k'
// CHECK-NEXT: check failed: await(g(x)) > 5 (main.c)
// CHECK-NEXT: "x" is 1
//
// OUT-LABEL: static AC_MAYBE_UNUSED ac_poll show_poll(void *self, ac_cx *cx) {
// OUT:         /* SHOW(x + 1), expanded */
// OUT-NEXT:    printf("%s = %d\n", "x + 1", (fr->x + 1));
#include <asyncc.h>
#include <stdio.h>

#define SHOW(e) printf("%s = %d\n", #e, (e))
#define CHECK(c)                                                               \
  ((c) ? (void)printf("check passed: %s\n", #c)                                \
       : (void)printf("check failed: %s (%s)\n", #c, "main.c"))
#define STR(a) #a
#define NAMED(v) printf("\"%s\" is %d\n", STR(v), v)

static async int g(int v) {
  await(ac_yield());
  return v + 1;
}

static async void show(void) {
  int x = 1;
  const char *y = "k";
  await(ac_yield());
  SHOW(x + 1);
  SHOW(await(g(x)) * 2);
  CHECK(x == 1 && y[0] == 'k');
  CHECK(await(g(x)) > 5);
  NAMED(x);
}

int main(void) {
  ac_block_on(show());
  return 0;
}
