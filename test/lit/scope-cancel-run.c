// Tests that cancelling a scope, aborting its task, losing a race with its join, or a failing task cancels every task of the scope and of the scopes nested in them, before the cancelling call returns.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// REQUIRES: runtime
//
// Tasks are cancelled in spawn order.
// CHECK-LABEL: scope cancel
// CHECK-NEXT: cleanup 1
// CHECK-NEXT: cleanup 2
// CHECK-NEXT: cleanup 3
// CHECK-NEXT: cancel returned: pending=0
// CHECK-NEXT: join: -125
//
// Grandchildren end before their parents, each before the abort is done.
// CHECK-LABEL: parent abort
// CHECK-NEXT: parent 10 waits
// CHECK-NEXT: cleanup 1011
// CHECK-NEXT: cleanup 1012
// CHECK-NEXT: cleanup 101
// CHECK-NEXT: cleanup 1021
// CHECK-NEXT: cleanup 1022
// CHECK-NEXT: cleanup 102
// CHECK-NEXT: cleanup 10
// CHECK-NEXT: abort done: live=0 error=-125
//
// CHECK-LABEL: race
// CHECK-NEXT: cleanup 21
// CHECK-NEXT: cleanup 22
// CHECK-NEXT: race: winner=1 pending=0
//
// An aborted task cancels its siblings before they run.
// CHECK-LABEL: failing task
// CHECK-NEXT: cleanup 31
// CHECK-NEXT: join: -125 ran=0
// CHECK-NEXT: spawn failure: add=-12 join=-12
// CHECK-NEXT: end: live=0
//
// The end of block_on drops a detached task and its scope's tasks.
// CHECK-NEXT: cleanup 401
// CHECK-NEXT: cleanup 402
// CHECK-NEXT: cleanup 40
// CHECK-NEXT: after block_on: live=0
#include <asyncc.h>

int printf(const char *, ...);

static int live; /* tasks that started and have not ended or been cleaned up */

static void say_cleanup(void *arg) {
  printf("cleanup %d\n", *(int *)arg);
  live--;
}

/* Sleeps for an hour unless cancelled; with `depth`, first opens a scope
 * with two children of its own, which it joins. */
static async int sleeper(int id, int depth) {
  struct ac_cleanup c;
  live++;
  ac_cleanup_push(&c, say_cleanup, &id);
  if (depth > 0) {
    ac_scope s;
    ac_scope_init(&s);
    ac_scope_add(&s, ac_spawn(sleeper(id * 10 + 1, depth - 1)));
    ac_scope_add(&s, ac_spawn(sleeper(id * 10 + 2, depth - 1)));
    if (id == 10)
      printf("parent %d waits\n", id);
    await(ac_scope_join(&s));
  }
  await(ac_sleep(3600000));
  ac_cleanup_pop(&c, 0);
  live--;
  return id;
}

static async int scope_cancel(void) {
  printf("scope cancel\n");
  ac_scope s;
  ac_scope_init(&s);
  for (int i = 1; i <= 3; i++)
    ac_scope_add(&s, ac_spawn(sleeper(i, 0)));
  await(ac_sleep(1));
  ac_scope_cancel(&s);
  printf("cancel returned: pending=%zu\n", ac_scope_pending(&s));
  printf("join: %d\n", await(ac_scope_join(&s)));
  return 0;
}

static async int parent_abort(void) {
  printf("parent abort\n");
  AC_TASK(int) h = ac_spawn(sleeper(10, 2));
  await(ac_sleep(5));
  ac_task_abort(h);
  int error = ac_task_error(h);
  await(ac_join(h));
  printf("abort done: live=%d error=%d\n", live, error);
  return 0;
}

static async int race(void) {
  printf("race\n");
  ac_scope s;
  ac_scope_init(&s);
  ac_scope_add(&s, ac_spawn(sleeper(21, 0)));
  ac_scope_add(&s, ac_spawn(sleeper(22, 0)));
  int err = 0;
  int winner = await(ac_race(err = ac_scope_join(&s), ac_sleep(5)));
  printf("race: winner=%d pending=%zu\n", winner, ac_scope_pending(&s));
  return err;
}

static async int quick(int *ran) {
  await(ac_yield());
  ++*ran;
  return 0;
}

static async int failing_task(void) {
  printf("failing task\n");
  ac_scope s;
  ac_scope_init(&s);
  ac_scope_add(&s, ac_spawn(sleeper(31, 0)));
  AC_TASK(int) doomed = ac_spawn(sleeper(32, 0));
  ac_task_abort(doomed); /* ends before it starts, aborted */
  ac_scope_add(&s, doomed);
  int ran = 0;
  ac_scope_add(&s, ac_spawn(quick(&ran)));
  int err = await(ac_scope_join(&s));
  printf("join: %d ran=%d\n", err, ran);

  ac_scope_init(&s);
  ac_scope_add(&s, ac_spawn(quick(&ran)));
  int add = ac_scope_add(&s, NULL);
  printf("spawn failure: add=%d join=%d\n", add, await(ac_scope_join(&s)));
  return 0;
}

static async int main_async(void) {
  await(scope_cancel());
  await(parent_abort());
  await(race());
  await(failing_task());
  printf("end: live=%d\n", live);
  ac_task_detach(ac_spawn(sleeper(40, 1)));
  await(ac_sleep(1));
  return 0;
}

int main(void) {
  int r = ac_block_on(main_async());
  printf("after block_on: live=%d\n", live);
  return r;
}
