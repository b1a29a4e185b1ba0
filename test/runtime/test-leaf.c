/* test-leaf.c -- a user's leaf future over a libuv callback API, the
 * example of docs/runtime.md (tests/runtime/CMakeLists.txt checks that the
 * two copies match). */
#include <stdlib.h>

#include "futures.h"
#include "task.h"

/* [docs/runtime.md: tick] */
/* await(tick()): completes once the loop has run its idle phase.  The
 * handle lives in a heap record, not in the frame: libuv uses it until its
 * close callback runs, which may be after the frame is gone. */
struct tick_rec {
  uv_idle_t idle;
  ac_task *task; /* the task to wake */
  int fired;
};

struct tick_frame {
  struct tick_rec *rec; /* NULL until first polled, and once released */
  int done;
};

static void tick_init(struct tick_frame *fr) {
  fr->rec = NULL;
  fr->done = 0;
}

static void tick_cb(uv_idle_t *idle) {
  struct tick_rec *rec = idle->data;
  uv_idle_stop(idle);
  rec->fired = 1;
  ac_task_wake(rec->task);
}

static void tick_close_cb(uv_handle_t *handle) { free(handle->data); }

static void tick_release(struct tick_frame *fr) {
  if (fr->rec != NULL)
    uv_close((uv_handle_t *)&fr->rec->idle, tick_close_cb);
  fr->rec = NULL;
}

static ac_poll tick_poll(void *frame, ac_cx *cx) {
  struct tick_frame *fr = frame;
  if (fr->done)
    return AC_READY;
  if (fr->rec == NULL) {
    fr->rec = malloc(sizeof *fr->rec);
    if (fr->rec == NULL)
      return ac__frame_oom(cx); /* fails the task with AC_ENOMEM */
    uv_idle_init(ac_uv_loop(), &fr->rec->idle);
    fr->rec->idle.data = fr->rec;
    fr->rec->fired = 0;
    uv_idle_start(&fr->rec->idle, tick_cb);
  }
  fr->rec->task = cx->task;
  if (!fr->rec->fired)
    return AC_PENDING;
  tick_release(fr);
  fr->done = 1;
  return AC_READY;
}

static void tick_drop(void *frame) { tick_release(frame); }
/* [end] */

/* Counts the polls of a tick, to see it suspend. */
struct counted_tick {
  struct tick_frame tick;
  int polls;
};

static ac_poll counted_tick_poll(void *frame, ac_cx *cx) {
  struct counted_tick *fr = frame;
  fr->polls++;
  return tick_poll(&fr->tick, cx);
}

/* The tick closes its handle as it completes; block_on runs the close
 * callback (which frees the record) before closing the loop. */
TEST(leaf_tick_completes) {
  struct counted_tick fr = {.polls = 0};
  tick_init(&fr.tick);
  ASSERT_OK(ac__block_on(&fr, counted_tick_poll, tick_drop));
  ASSERT_EQ(fr.polls, 2);
  ASSERT_EQ(fr.tick.done, 1);
  ASSERT_LOOP_CLOSED();
}

/* Starts a tick and drops it while it is still pending. */
static ac_poll abandon_poll(void *frame, ac_cx *cx) {
  struct tick_frame *fr = frame;
  ASSERT_EQ(tick_poll(fr, cx), AC_PENDING);
  ASSERT_NOT_NULL(fr->rec);
  ASSERT_EQ(fr->rec->fired, 0);
  tick_drop(fr);
  return AC_READY;
}

TEST(leaf_tick_dropped_while_pending) {
  struct tick_frame fr;
  tick_init(&fr);
  ASSERT_OK(ac__block_on(&fr, abandon_poll, count_drop));
  ASSERT_NULL(fr.rec);
  ASSERT_LOOP_CLOSED();
}
