// Tests that an awaited call's argument that starts or ends inside a macro
// invocation (in its argument or in its body) is rewritten whole: the
// macro is called again on the rewritten argument, as in the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT
// CHECK: 6 11 17 8 11 14 4 9 10
// CHECK-NEXT: spawned 6 shared 10 block_on 8
#include <asyncc.h>
#include <stdio.h>

#define ID(x) x
#define PLUS_ONE(x) x + 1
#define TWO(x) x, 2

static async int get(int v) {
  await(ac_yield());
  return v;
}

static async int times(int v, int w) {
  await(ac_yield());
  return v * w;
}

/* An await inside a macro invocation that writes several arguments: the
 * invocation keeps its text, with the await's result in the await's
 * place. */
static async int shared(int a) {
  // OUT: times_init(&fr->sub.await_[[#@LINE+1]]_2, TWO(fr->sub.await_[[#@LINE+1]].result));
  return await(times(TWO(await(get(a)))));
}

static async int edges(int a, int d) {
  // OUT: get_init(&fr->sub.await_[[#@LINE+1]], PLUS_ONE(fr->a));
  int r1 = await(get(PLUS_ONE(a)));
  // OUT: get_init(&fr->sub.await_[[#@LINE+1]], 2 * PLUS_ONE(fr->a));
  int r2 = await(get(2 * PLUS_ONE(a)));
  // OUT: get_init(&fr->sub.await_[[#@LINE+1]], 12 + ID(fr->a));
  int r3 = await(get(12 + ID(a)));
  // OUT: get_init(&fr->sub.await_[[#@LINE+1]]_2, fr->sub.await_[[#@LINE+1]].result + ID(fr->a));
  int r4 = await(get(await(get(d)) + ID(a)));
  int r5 = await(get(ID(a) + 6));
  int r6 = await(get(1 + ID(await(get(a))) + PLUS_ONE(d) + ID(4)));
  int r7 = await(get(PLUS_ONE(d) * 2 - 1));
  int r8 = await(get(ID(d) * ID(d)));
  // A macro that writes two arguments is called again whole.
  // OUT: times_init(&fr->sub.await_[[#@LINE+1]], TWO(fr->a));
  int r9 = await(times(TWO(a)));
  await(ac_yield());
  printf("%d %d %d %d %d %d %d %d %d\n", r1, r2, r3, r4, r5, r6, r7, r8, r9);
  // So is one in a spawned call and in a combinator's branch.
  AC_TASK(int) h = ac_spawn(times(TWO(d)));
  await(ac_all(times(TWO(a)), times(TWO(d))));
  printf("spawned %d", await(ac_join(h)));
  printf(" shared %d", await(shared(a)));
  return r1;
}

int main(void) {
  ac_block_on(edges(5, 3));
  printf(" block_on %d\n", ac_block_on(times(TWO(4))));
  return 0;
}
