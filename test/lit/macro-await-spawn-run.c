// Tests that await, ac_spawn and ac_block_on written inside a macro's
// definition work where the macro is used, and that an await in an argument
// the macro expands twice, directly or through another macro, runs twice, as
// in the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: twice 2 square 12 outer 20 calls 5
// CHECK-NEXT: spawn work(1)
// CHECK-NEXT: spawned 11 logged 12
// CHECK-NEXT: block_on 4 5
//
// OUT-LABEL: static AC_MAYBE_UNUSED ac_poll caller_poll(void *self, ac_cx *cx) {
// OUT:         /* GET_TWICE(), expanded */
// OUT:         /* SQUARE(await(get())), expanded */
#include <asyncc.h>
#include <stdio.h>

#define GET_TWICE() (await(get()) * 2)
#define SQUARE(e) ((e) * (e))
#define OUTER(e) SQUARE(e)
#define SPAWN_LOGGED(call) (printf("spawn %s\n", #call) >= 0 ? ac_spawn(call) : NULL)
#define KEEP(h) (h)
#define RUN(x) report(ac_block_on(work(x)))

static int calls;
static int value = 1;

static async int get(void) {
  await(ac_yield());
  calls++;
  return value++;
}

async int work(int x) {
  await(ac_yield());
  return x + 10;
}

static async int caller(void) {
  int t = GET_TWICE();
  value = 3;
  int s = SQUARE(await(get()));
  value = 4;
  int o = OUTER(await(get()));
  printf("twice %d square %d outer %d calls %d\n", t, s, o, calls);
  AC_TASK(int) a = SPAWN_LOGGED(work(1));
  AC_TASK(int) b = KEEP(ac_spawn(work(2)));
  int ra = await(ac_join(a)), rb = await(ac_join(b));
  printf("spawned %d logged %d\n", ra, rb);
  return 0;
}

static int report(int v) { return v - 10; }

int main(void) {
  int r = ac_block_on(caller());
  printf("block_on %d %d\n", RUN(4), report(KEEP(ac_block_on(work(5)))));
  return r;
}
