/* scope-100k: a scope of 100,000 tasks, half of them queued (they keep
 * yielding) and half asleep, cancelled at once, and a scope of 1,000 tasks
 * with scopes of 100 each, cancelled by aborting its owner.  Each must end
 * promptly: ctest's timeout catches a cancellation that is quadratic in
 * the number of tasks, and valgrind that every frame is released. */
#include <asyncc.h>
#include <stdio.h>

enum { FLAT = 100000, OUTER = 1000, INNER = 100 };

static long started, live; /* live: started, and not yet cancelled */

static void cancelled(void *arg) {
  (void)arg;
  live--;
}

static async void spinner(void) {
  struct ac_cleanup c;
  ac_cleanup_push(&c, cancelled, NULL);
  started++, live++;
  for (;;)
    await(ac_yield());
}

static async void sleeper(void) {
  struct ac_cleanup c;
  ac_cleanup_push(&c, cancelled, NULL);
  started++, live++;
  await(ac_sleep(3600 * 1000));
  ac_cleanup_pop(&c, 0);
}

static async void middle(void) {
  ac_scope s;
  ac_scope_init(&s);
  for (int i = 0; i < INNER; i++)
    ac_scope_add(&s, ac_spawn_void(i % 2 ? spinner() : sleeper()));
  await(ac_scope_join(&s));
}

static async void outer(void) {
  ac_scope s;
  ac_scope_init(&s);
  for (int i = 0; i < OUTER; i++)
    ac_scope_add(&s, ac_spawn_void(middle()));
  await(ac_scope_join(&s));
}

static async int main_async(void) {
  ac_scope s;
  ac_scope_init(&s);
  for (int i = 0; i < FLAT; i++)
    ac_scope_add(&s, ac_spawn_void(i % 2 ? spinner() : sleeper()));
  await(ac_yield());
  printf("flat: %ld started, %zu pending\n", started, ac_scope_pending(&s));
  ac_scope_cancel(&s);
  printf("flat: cancelled, %zu pending, %ld live\n", ac_scope_pending(&s),
         live);
  int bad = ac_scope_pending(&s) != 0 || live != 0;
  printf("flat: join %d\n", await(ac_scope_join(&s)));

  started = 0;
  AC_TASK(void) h = ac_spawn_void(outer());
  await(ac_yield());
  await(ac_yield());
  await(ac_yield());
  printf("nested: %ld started\n", started);
  ac_task_abort(h);
  int err = ac_task_error(h);
  await(ac_join_void(h));
  printf("nested: aborted with %d, %ld live\n", err, live);
  return bad || live != 0 || started != (long)OUTER * INNER;
}

int main(void) { return ac_block_on(main_async()); }
