/* test-sync-view.c -- the untransformed program links against asyncc_sync
 * and runs: async functions are plain functions, await(e) is e. */
#include "task.h"

static async int twice(int x) {
  await(ac_sleep(1));
  await(ac_yield());
  return 2 * x;
}

static async int main_async(void) { return await(twice(20)) + await(twice(1)); }

TEST(sync_view_runs) {
  ASSERT_EQ(ac_block_on(main_async()), 42);
  ASSERT_LOOP_CLOSED();
}
