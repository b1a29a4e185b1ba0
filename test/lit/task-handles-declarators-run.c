// Tests that one declaration declares several task handles, void and not, that their joins stay typed, and that a spawned task detached at once runs to its end.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// REQUIRES: runtime, sync-runtime
//
// CHECK: sum=30 ticks=2 detached=1
#include <asyncc.h>

int printf(const char *, ...);

static async int work(int x) {
  await(ac_yield());
  return x * 10;
}

static async void tick(int *ticks) {
  await(ac_yield());
  ++*ticks;
}

static async int main_async(void) {
  int ticks = 0, detached = 0;
  AC_TASK(int) a = ac_spawn(work(1)), b = ac_spawn(work(2));
  AC_TASK(void) c = ac_spawn_void(tick(&ticks)), d = ac_spawn_void(tick(&ticks));
  ac_task_detach(ac_spawn_void(tick(&detached)));
  _Static_assert(sizeof b == sizeof(int *), "b is a handle");
  _Static_assert(sizeof d == sizeof(void *), "d is a handle");
  int sum = await(ac_join(a)) + await(ac_join(b));
  await(ac_join_void(c));
  await(ac_join_void(d));
  await(ac_yield());
  printf("sum=%d ticks=%d detached=%d\n", sum, ticks, detached);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
