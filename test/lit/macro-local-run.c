// Tests that locals a macro declares, and for headers a macro writes whole or
// in part, work across awaits as in the sync view: the loop variable of a
// FOREACH, a REPEAT's hidden counter, a pasted name, and headers with parts
// left out.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: from_zero 10
// CHECK-NEXT: no_init 10
// CHECK-NEXT: foreach 3 5 7
// CHECK-NEXT: repeat 3
// CHECK-NEXT: timer 2
//
// The header a macro writes is printed expanded, its parts told apart.
// OUT-LABEL: static AC_MAYBE_UNUSED ac_poll no_init_poll(void *self, ac_cx *cx) {
// OUT:         /* NO_INIT, expanded */
// OUT-NEXT:    for (; fr->i < fr->n;) {
#include <asyncc.h>
#include <stdio.h>

#define FROM_ZERO i = 0; i < n; i++
#define NO_INIT ; i < n;
#define FOREACH(v, a, n) for (int v##_i = 0, v; v##_i < (n) && ((v = (a)[v##_i]), 1); v##_i++)
#define REPEAT(n) for (int repeat_ = 0; repeat_ < (n); repeat_++)
#define START_TIMER(name) int name##_ticks = 0
#define TICK(name) (name##_ticks++)

static async int one(int x) {
  await(ac_yield());
  return x;
}

static async int from_zero(int n) {
  int s = 0, i;
  for (FROM_ZERO)
    s += await(one(i));
  return s;
}

static async int no_init(int n) {
  int s = 0, i = 0;
  for (NO_INIT) {
    s += i++;
    await(ac_yield());
  }
  return s;
}

static async void foreach(void) {
  int a[] = {2, 4, 6};
  printf("foreach");
  FOREACH(x, a, 3) {
    printf(" %d", await(one(x)) + 1);
  }
  printf("\n");
}

static async int repeat(void) {
  int n = 0;
  REPEAT(3) {
    await(ac_yield());
    n++;
  }
  return n;
}

static async int timer(void) {
  START_TIMER(t);
  TICK(t);
  await(ac_yield());
  TICK(t);
  return t_ticks;
}

static async void all(void) {
  printf("from_zero %d\n", await(from_zero(5)));
  printf("no_init %d\n", await(no_init(5)));
  await(foreach());
  printf("repeat %d\n", await(repeat()));
  printf("timer %d\n", await(timer()));
}

int main(void) {
  ac_block_on(all());
  return 0;
}
