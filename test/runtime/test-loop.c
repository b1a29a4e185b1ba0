/* test-loop.c -- the per-thread libuv loop: lazy opening, and closing
 * when block_on returns. */
#include "futures.h"
#include "task.h"

static ac_poll ready_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  return AC_READY;
}

TEST(loop_opened_lazily_closed_by_block_on) {
  ASSERT_EQ(ac__test_loop_open(), 0);
  uv_loop_t *loop = ac_uv_loop();
  ASSERT_NOT_NULL(loop);
  ASSERT_PTR_EQ(ac_uv_loop(), loop);
  ASSERT_EQ(ac__test_loop_open(), 1);
  ASSERT_OK(ac__block_on(NULL, ready_poll, count_drop));
  ASSERT_LOOP_CLOSED();
}

/* Records the loop seen from inside a poll. */
static ac_poll loop_poll(void *frame, ac_cx *cx) {
  uv_loop_t **seen = frame;
  (void)cx;
  *seen = ac_uv_loop();
  return AC_READY;
}

TEST(loop_same_inside_and_outside_poll) {
  uv_loop_t *outside = ac_uv_loop();
  uv_loop_t *inside = NULL;
  ASSERT_OK(ac__block_on(&inside, loop_poll, count_drop));
  ASSERT_PTR_EQ(inside, outside);
  ASSERT_LOOP_CLOSED();
}

static uv_timer_t user_timer;

static void user_timer_cb(uv_timer_t *t) { (void)t; }

/* Starts a timer the runtime does not own and leaves it open. */
static ac_poll open_handle_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  uv_timer_init(ac_uv_loop(), &user_timer);
  uv_timer_start(&user_timer, user_timer_cb, 60000, 0);
  return AC_READY;
}

/* The loop cannot be closed under a handle someone still holds: it stays
 * open, and the next block_on closes it once the handle is closed. */
TEST(loop_kept_open_by_user_handle) {
  ASSERT_OK(ac__block_on(NULL, open_handle_poll, count_drop));
  ASSERT_EQ(ac__test_loop_open(), 1);
  ASSERT_EQ(ac__test_loop_handles(), 1);
  uv_close((uv_handle_t *)&user_timer, NULL);
  ASSERT_OK(ac__block_on(NULL, ready_poll, count_drop));
  ASSERT_LOOP_CLOSED();
}
