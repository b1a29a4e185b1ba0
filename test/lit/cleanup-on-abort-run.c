// Tests that cleanup hooks run when a task is aborted while they are registered, and not when the function pops them after finishing.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// REQUIRES: runtime
//
// CHECK: worker 1 started
// CHECK-NEXT: worker 2 started
// CHECK-NEXT: worker 2 finished
// CHECK-NEXT: cleanup: worker 1
// CHECK-NEXT: fast=2 slow=0
// CHECK-NOT: cleanup: worker 2
#include <asyncc.h>

int printf(const char *, ...);

static void say_cleanup(void *arg) { printf("cleanup: worker %d\n", *(int *)arg); }

static async int worker(int id, int ms) {
  struct ac_cleanup c;
  ac_cleanup_push(&c, say_cleanup, &id);
  printf("worker %d started\n", id);
  await(ac_sleep(ms));
  printf("worker %d finished\n", id);
  ac_cleanup_pop(&c, 0);
  return id;
}

static async int main_async(void) {
  AC_TASK(int) slow = ac_spawn(worker(1, 100000));
  AC_TASK(int) fast = ac_spawn(worker(2, 1));
  int two = await(ac_join(fast));
  ac_task_abort(slow);
  int one = await(ac_join(slow));
  printf("fast=%d slow=%d\n", two, one);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
