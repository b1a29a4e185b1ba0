// Tests that macros which `return` work in async functions as in the sync
// view: a do-while TRY, an if-return RETURN_IF, and a statement-expression
// TRY_EXPR, with and without awaits in their arguments.  Each invocation that
// must be rewritten is printed expanded, with a comment naming it.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: run 4 -> 5
// CHECK-NEXT: run -3 -> -3
// CHECK-NEXT: guard 4 -> 4
// CHECK-NEXT: guard 11 -> -2
// CHECK-NEXT: guard -5 -> -1
// CHECK-NEXT: chain 3 -> 2
// CHECK-NEXT: chain 0 -> -1
// CHECK-NEXT: chain -7 -> -8
//
// OUT-LABEL: static AC_MAYBE_UNUSED ac_poll run_poll(void *self, ac_cx *cx) {
// OUT:         /* TRY(a), expanded */
// OUT-NEXT:    do {
// OUT-NEXT:      int rc_ = (a);
// OUT-NEXT:      if (rc_ < 0) {
// OUT-NEXT:        fr->result = rc_;
// OUT-NEXT:        fr->state = RUN_DONE;
// OUT-NEXT:        return AC_READY;
// OUT-NEXT:      }
// OUT-NEXT:    } while (0);
// OUT-NEXT:    fr->result = a + 1;
#include <asyncc.h>
#include <stdio.h>

#define TRY(e)                                                                 \
  do {                                                                         \
    int rc_ = (e);                                                             \
    if (rc_ < 0)                                                               \
      return rc_;                                                              \
  } while (0)
#define RETURN_IF(c, v) if (c) return (v)
#define TRY_EXPR(e)                                                            \
  ({                                                                           \
    int r_ = (e);                                                              \
    if (r_ < 0)                                                                \
      return r_;                                                               \
    r_;                                                                        \
  })

static async int step(int x) {
  await(ac_yield());
  return x;
}

static async int run(int x) {
  int a = await(step(x));
  TRY(a);
  return a + 1;
}

static async int guard(int x) {
  int a = await(step(x));
  RETURN_IF(a > 10, -2);
  RETURN_IF(a < 0, await(step(-1)));
  return a;
}

static async int chain(int x) {
  int a = await(step(x));
  int b = TRY_EXPR(await(step(a)) - 1);
  TRY(await(step(b)) - 1);
  return b;
}

static async int all(void) {
  printf("run 4 -> %d\n", await(run(4)));
  printf("run -3 -> %d\n", await(run(-3)));
  printf("guard 4 -> %d\n", await(guard(4)));
  printf("guard 11 -> %d\n", await(guard(11)));
  printf("guard -5 -> %d\n", await(guard(-5)));
  printf("chain 3 -> %d\n", await(chain(3)));
  printf("chain 0 -> %d\n", await(chain(0)));
  printf("chain -7 -> %d\n", await(chain(-7)));
  return 0;
}

int main(void) { return ac_block_on(all()); }
