// Tests that a deadlocked ac_block_on names the await each task is stuck in: the message is followed by the task dump.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t
// RUN: not %t 2>&1 | FileCheck %s
// REQUIRES: runtime
//
// CHECK: asyncc: deadlock: the future given to ac_block_on is pending and nothing can wake it; where each task waits:
// CHECK-NEXT: asyncc: 2 tasks
// CHECK-NEXT: task 0 "block_on" waiting
// CHECK-NEXT:   #0 main_async at {{.*}}deadlock-dump-run.c:[[#]] await(ac_join(h)) [MAIN_ASYNC_L[[#]]]
// CHECK-NEXT:   #1 ac_join (task 1)
// CHECK-NEXT: task 1 "waiter" waiting
// CHECK-NEXT:   #0 waiter at {{.*}}deadlock-dump-run.c:[[#]] await(ac_oneshot_recv(os, &v)) [WAITER_L[[#]]]
// CHECK-NEXT:   #1 ac_oneshot_recv (oneshot 0x{{[0-9a-f]+}})
// CHECK-NEXT: asyncc: ac_block_on failed: future is pending and nothing can wake it
#include <asyncc.h>

/* Waits for a value that nobody sends. */
static async int waiter(ac_oneshot *os) {
  int v = 0;
  await(ac_oneshot_recv(os, &v));
  return v;
}

static async int main_async(void) {
  ac_oneshot os;
  ac_oneshot_init(&os, sizeof(int));
  AC_TASK(int) h = ac_spawn(waiter(&os));
  ac_task_set_name(h, "waiter");
  return await(ac_join(h));
}

int main(void) { return ac_block_on(main_async()); }
