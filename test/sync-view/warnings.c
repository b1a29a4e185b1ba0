/* warnings.c -- the surface syntax compiles without warnings in the sync
 * view under -Wall -Wextra -Werror: each form appears as a statement whose
 * value is discarded, where a bare expression would be "a statement with
 * no effect".  Compiled, not run (test/sync-view/CMakeLists.txt). */
#include <asyncc.h>

struct pair {
  int a, b;
};

static async int work(int x) {
  await(ac_yield());
  return x + 1;
}

static async struct pair make_pair(int a) {
  struct pair p = {a, a + 1};
  return p;
}

static async void nothing(void) { await(ac_sleep(1)); }

static async int main_async(void) {
  AC_TASK(int) h = ac_spawn(work(1));
  await(ac_join(h));
  AC_TASK(struct pair) p = ac_spawn(make_pair(2));
  await(ac_join(p));
  AC_TASK(void) v = ac_spawn_void(nothing());
  await(ac_join_void(v));
  ac_task_detach(ac_spawn(work(3)));
  ac_spawn_detached(work(3));
  await(work(4));
  await(make_pair(5));
  int a = 0, b = 0;
  await(ac_all(a = work(6), b = work(7)));
  await(ac_race(a = work(8), b = work(9)));
  await(ac_timeout(10, a = work(10)));
  return a + b;
}

int main(void) {
  ac_block_on(main_async());
  return ac_block_on(main_async()) == 0;
}
