// Tests that a local with __attribute__((cleanup)) whose block awaits has its
// cleanup run once, when its scope ends -- at the closing brace, on break,
// continue and return, and when the task is dropped while suspended in the
// scope -- never at a suspension, in the order C gives.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// The sync view runs f and early alone: there, the spawned task would sleep.
// RUN: %cc -DSYNC_ONLY %s %ac_sync -o %t.sync && %t.sync | FileCheck %s --check-prefix=SYNC
//
// CHECK: release guard=1
// CHECK-NEXT: release other=0
// CHECK-NEXT: release inner=5
// CHECK-NEXT: release other=1
// CHECK-NEXT: release other=2
// CHECK-NEXT: release wrapped=3
// CHECK-NEXT: f = 9
// CHECK-NEXT: release early=7
// CHECK-NEXT: early = 7
// CHECK-NEXT: release held=8
// CHECK-NEXT: aborted
// SYNC: release guard=1
// SYNC-NEXT: release other=0
// SYNC-NEXT: release inner=5
// SYNC-NEXT: release other=1
// SYNC-NEXT: release other=2
// SYNC-NEXT: release wrapped=3
// SYNC-NEXT: f = 9
// SYNC-NEXT: release early=7
// SYNC-NEXT: early = 7
#include <asyncc.h>
#include <stdio.h>

static void say(const char *what, int *p) { printf("release %s=%d\n", what, *p); }
static void release_guard(int *p) { say("guard", p); }
static void release_other(int *p) { say("other", p); }
static void release_inner(int *p) { say("inner", p); }
static void release_wrapped(int *p) { say("wrapped", p); }
static void release_early(int *p) { say("early", p); }
#define AUTO_RELEASE(fn) __attribute__((cleanup(fn)))

static async int id(int x) {
  await(ac_yield());
  return x;
}

static async int f(void) {
  int total = 0;
  {
    __attribute__((cleanup(release_guard))) int guard = 1;
    total += await(id(guard));
  }
  for (int i = 0; i < 3; i++) {
    int other __attribute__((__cleanup__(release_other))) = i;
    if (i == 2)
      break;
    total += await(id(other));
    if (i == 0)
      continue;
    AUTO_RELEASE(release_inner) int inner = 5;
    total += await(id(inner)) - 5;
  }
  AUTO_RELEASE(release_wrapped) int wrapped = 3;
  total += await(id(wrapped));
  return total + 4;
}

static async int early(void) {
  AUTO_RELEASE(release_early) int early = 7;
  await(ac_yield());
  return early;
}

#ifndef SYNC_ONLY
static void release_held(int *p) { say("held", p); }

static async int held(void) {
  AUTO_RELEASE(release_held) int held = 8;
  await(ac_sleep(100000));
  return held;
}

static async int all(void) {
  printf("f = %d\n", await(f()));
  printf("early = %d\n", await(early()));
  AC_TASK(int) t = ac_spawn(held());
  await(ac_yield());
  await(ac_yield());
  ac_task_abort(t);
  await(ac_join(t));
  printf("aborted\n");
  return 0;
}
#endif

int main(void) {
#ifdef SYNC_ONLY
  printf("f = %d\n", ac_block_on(f()));
  printf("early = %d\n", ac_block_on(early()));
  return 0;
#else
  return ac_block_on(all());
#endif
}
