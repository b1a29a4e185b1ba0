// Tests that a task scope's join waits for every task spawned into it, and that the scope does not return before its tasks are done.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// REQUIRES: runtime, sync-runtime
//
// CHECK: joined: err=0 pending=0 done=100 sum=4950
// CHECK-NEXT: void tasks: err=0 ticks=3
// CHECK-NEXT: empty scope: err=0
// CHECK-NEXT: closed scope: join=-22 add=-22
#include <asyncc.h>

int printf(const char *, ...);

static async void child(int i, int *sum, int *done) {
  await(ac_sleep((uint64_t)(i % 7)));
  await(ac_yield());
  *sum += i;
  ++*done;
}

static async int one(int *ticks) {
  await(ac_yield());
  return ++*ticks;
}

static async int main_async(void) {
  int sum = 0, done = 0;
  ac_scope s;
  ac_scope_init(&s);
  for (int i = 0; i < 100; i++)
    ac_scope_add(&s, ac_spawn_void(child(i, &sum, &done)));
  int err = await(ac_scope_join(&s));
  printf("joined: err=%d pending=%zu done=%d sum=%d\n", err,
         ac_scope_pending(&s), done, sum);

  int ticks = 0;
  ac_scope_init(&s);
  for (int i = 0; i < 3; i++)
    ac_scope_add(&s, ac_spawn(one(&ticks)));
  err = await(ac_scope_join(&s));
  printf("void tasks: err=%d ticks=%d\n", err, ticks);

  ac_scope_init(&s);
  printf("empty scope: err=%d\n", await(ac_scope_join(&s)));
  int join = await(ac_scope_join(&s));
  int add = ac_scope_add(&s, ac_spawn(one(&ticks)));
  printf("closed scope: join=%d add=%d\n", join, add);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
