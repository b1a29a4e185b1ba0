/* test-arena.c -- ac_frame_alloc/ac_frame_free, the per-task frame arena,
 * and ac__frame_oom. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "futures.h"
#include "task.h"

/* async int depth(int n, uint64_t ms) {
 *   if (n == 0) { await(ac_sleep(ms)); return 0; }
 *   return await(depth(n - 1, ms)) + 1;
 * }  as the transpiler would write it: the recursive callee's frame comes
 * from the task's arena. */
enum depth_state { DEPTH_START, DEPTH_AWAIT_1, DEPTH_AWAIT_2, DEPTH_DONE };

struct depth_frame {
  enum depth_state state;
  int result;
  int n;
  uint64_t ms;
  union {
    struct ac_sleep_frame await_1;
    struct depth_frame *await_2;
  } sub;
};

static void depth_init(struct depth_frame *fr, int n, uint64_t ms) {
  fr->state = DEPTH_START;
  fr->n = n;
  fr->ms = ms;
}

static ac_poll depth_poll(void *frame, ac_cx *cx) {
  struct depth_frame *fr = frame;
  switch (fr->state) {
  case DEPTH_START:
    break;
  case DEPTH_AWAIT_1:
    goto resume_1;
  case DEPTH_AWAIT_2:
    goto resume_2;
  case DEPTH_DONE:
    return AC_READY;
  }
  if (fr->n == 0) {
    ac_sleep_init(&fr->sub.await_1, fr->ms);
    fr->state = DEPTH_AWAIT_1;
  resume_1:
    if (ac_sleep_poll(&fr->sub.await_1, cx) == AC_PENDING)
      return AC_PENDING;
    fr->result = 0;
    fr->state = DEPTH_DONE;
    return AC_READY;
  }
  fr->sub.await_2 = ac_frame_alloc(cx, sizeof(struct depth_frame));
  if (fr->sub.await_2 == NULL)
    return ac__frame_oom(cx);
  depth_init(fr->sub.await_2, fr->n - 1, fr->ms);
  fr->state = DEPTH_AWAIT_2;
resume_2:
  if (depth_poll(fr->sub.await_2, cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = fr->sub.await_2->result + 1;
  ac_frame_free(fr->sub.await_2);
  fr->state = DEPTH_DONE;
  return AC_READY;
}

static void depth_drop(void *frame) {
  struct depth_frame *fr = frame;
  switch (fr->state) {
  case DEPTH_AWAIT_1:
    ac_sleep_drop(&fr->sub.await_1);
    break;
  case DEPTH_AWAIT_2:
    depth_drop(fr->sub.await_2);
    ac_frame_free(fr->sub.await_2);
    break;
  default:
    break;
  }
  fr->state = DEPTH_DONE;
}

TEST(arena_recursion_deep) {
  struct depth_frame fr;
  depth_init(&fr, 2000, 0);
  ASSERT_OK(ac__block_on(&fr, depth_poll, depth_drop));
  ASSERT_EQ(fr.result, 2000);
  ASSERT_LOOP_CLOSED();
}

/* Each failed allocation (arena chunks, then the timer record) ends
 * block_on with AC_ENOMEM; the drop unwinds the partial chain in LIFO
 * order, which the arena asserts. */
TEST(arena_oom_every_allocation) {
  int n = 0;
  for (;; n++) {
    struct depth_frame fr;
    depth_init(&fr, 500, 0);
    ac__test_fail_alloc(n);
    int err = ac__block_on(&fr, depth_poll, depth_drop);
    ac__test_fail_alloc(-1);
    ASSERT_LOOP_CLOSED();
    if (err == 0) {
      ASSERT_EQ(fr.result, 500);
      break;
    }
    ASSERT_EQ(err, AC_ENOMEM);
    ASSERT_EQ(fr.state, DEPTH_DONE);
  }
  ASSERT_GE(n, 2); /* At least one chunk and the timer record. */
}

/* Polls depth(300, one hour) once, then drops it: the arena must be empty
 * again, so the next block lands where the first one did. */
struct cancel_frame {
  struct depth_frame depth;
  void *first;
  void *again;
};

static ac_poll cancel_poll(void *frame, ac_cx *cx) {
  struct cancel_frame *fr = frame;
  ASSERT_EQ(depth_poll(&fr->depth, cx), AC_PENDING);
  fr->first = fr->depth.sub.await_2;
  depth_drop(&fr->depth);
  fr->again = ac_frame_alloc(cx, sizeof(struct depth_frame));
  ac_frame_free(fr->again);
  return AC_READY;
}

TEST(arena_drop_unwinds_chain) {
  struct cancel_frame fr;
  depth_init(&fr.depth, 300, 3600 * 1000);
  ASSERT_OK(ac__block_on(&fr, cancel_poll, count_drop));
  ASSERT_NOT_NULL(fr.first);
  ASSERT_PTR_EQ(fr.again, fr.first);
  ASSERT_LOOP_CLOSED();
}

/* A callee whose frame size is only known at run time (as if defined in
 * another file): its frame is allocated, awaited and freed. */
struct outer_frame {
  int state;
  struct ac_sleep_frame *callee;
};

static ac_poll outer_poll(void *frame, ac_cx *cx) {
  struct outer_frame *fr = frame;
  if (fr->state == 0) {
    fr->callee = ac_frame_alloc(cx, sizeof *fr->callee);
    if (fr->callee == NULL)
      return ac__frame_oom(cx);
    ac_sleep_init(fr->callee, 1);
    fr->state = 1;
  }
  if (ac_sleep_poll(fr->callee, cx) == AC_PENDING)
    return AC_PENDING;
  ac_frame_free(fr->callee);
  fr->state = 2;
  return AC_READY;
}

TEST(arena_nested_frame) {
  struct outer_frame fr = {0, NULL};
  ASSERT_OK(ac__block_on(&fr, outer_poll, count_drop));
  ASSERT_EQ(fr.state, 2);
  ASSERT_LOOP_CLOSED();
}

/* Runs `body` inside a poll, with the task's context. */
static ac_poll call_poll(void *frame, ac_cx *cx) {
  void (**body)(ac_cx *) = frame;
  (*body)(cx);
  return AC_READY;
}

static void run_in_task(void (*body)(ac_cx *)) {
  ASSERT_OK(ac__block_on(&body, call_poll, count_drop));
}

#define NBLOCKS 200

/* Blocks of sizes 1..NBLOCKS (spanning several chunks) are aligned and do
 * not overlap; freeing them in reverse order empties the arena. */
static void aligned_body(ac_cx *cx) {
  unsigned char *b[NBLOCKS];
  for (int i = 0; i < NBLOCKS; i++) {
    b[i] = ac_frame_alloc(cx, (size_t)i + 1);
    ASSERT_NOT_NULL(b[i]);
    ASSERT_EQ((uintptr_t)b[i] % alignof(max_align_t), 0);
    memset(b[i], i, (size_t)i + 1);
  }
  for (int i = NBLOCKS - 1; i >= 0; i--) {
    for (int j = 0; j <= i; j++)
      ASSERT_EQ(b[i][j], i);
    ac_frame_free(b[i]);
  }
  void *again = ac_frame_alloc(cx, 1);
  ASSERT_PTR_EQ(again, b[0]);
  ac_frame_free(again);
}

TEST(arena_blocks_aligned_lifo) {
  run_in_task(aligned_body);
  ASSERT_LOOP_CLOSED();
}

/* Pushes and pops enough blocks to span several chunks. */
static void push_pop(ac_cx *cx) {
  void *b[NBLOCKS];
  for (int i = 0; i < NBLOCKS; i++) {
    b[i] = ac_frame_alloc(cx, 300);
    ASSERT_NOT_NULL(b[i]);
  }
  for (int i = NBLOCKS - 1; i >= 0; i--)
    ac_frame_free(b[i]);
}

/* Once the chunks exist, the same pattern allocates nothing. */
static void steady_body(ac_cx *cx) {
  push_pop(cx);
  ac__test_fail_alloc(0);
  push_pop(cx);
  push_pop(cx);
  ac__test_fail_alloc(-1);
}

TEST(arena_steady_state_no_malloc) {
  run_in_task(steady_body);
  ASSERT_LOOP_CLOSED();
}

/* Blocks freed out of order (a combinator's branch that completes before
 * a later one): their space comes back once the blocks above are freed,
 * across chunks, and no live block is overwritten meanwhile. */
static void out_of_order_body(ac_cx *cx) {
  unsigned char *b[NBLOCKS];
  for (int i = 0; i < NBLOCKS; i++) {
    b[i] = ac_frame_alloc(cx, 300);
    ASSERT_NOT_NULL(b[i]);
    memset(b[i], i, 300);
  }
  /* The even blocks first, below live odd ones: only marked. */
  for (int i = 0; i < NBLOCKS; i += 2)
    ac_frame_free(b[i]);
  unsigned char *top = ac_frame_alloc(cx, 300);
  ASSERT_NOT_NULL(top);
  memset(top, 0xff, 300);
  for (int i = 1; i < NBLOCKS; i += 2)
    for (int j = 0; j < 300; j++)
      ASSERT_EQ(b[i][j], i);
  ac_frame_free(top);
  /* Then the odd ones from the bottom up: each pops nothing until the
   * last, which pops them all. */
  for (int i = 1; i < NBLOCKS; i += 2)
    ac_frame_free(b[i]);
  void *again = ac_frame_alloc(cx, 1);
  ASSERT_PTR_EQ(again, b[0]);
  ac_frame_free(again);
}

TEST(arena_frees_out_of_order) {
  run_in_task(out_of_order_body);
  ASSERT_LOOP_CLOSED();
}

/* A block bigger than a chunk gets a chunk of its own. */
static void large_body(ac_cx *cx) {
  void *small = ac_frame_alloc(cx, 16);
  unsigned char *big = ac_frame_alloc(cx, 1 << 20);
  ASSERT_NOT_NULL(small);
  ASSERT_NOT_NULL(big);
  memset(big, 0xab, 1 << 20);
  void *after = ac_frame_alloc(cx, 16);
  ASSERT_NOT_NULL(after);
  ac_frame_free(after);
  ac_frame_free(big);
  ac_frame_free(small);
}

TEST(arena_large_block) {
  run_in_task(large_body);
  ASSERT_LOOP_CLOSED();
}

static void bad_args_body(ac_cx *cx) {
  ASSERT_NULL(ac_frame_alloc(NULL, 8));
  ASSERT_NULL(ac_frame_alloc(cx, SIZE_MAX));
  ASSERT_NULL(ac_frame_alloc(cx, SIZE_MAX - 64));
  ac_frame_free(NULL);
  void *ok = ac_frame_alloc(cx, 0);
  ASSERT_NOT_NULL(ok);
  ac_frame_free(ok);
}

TEST(arena_bad_arguments) {
  run_in_task(bad_args_body);
  ASSERT_LOOP_CLOSED();
}

/* ac__frame_oom fails the task even when the future ignores it and keeps
 * returning pending. */
static ac_poll oom_poll(void *frame, ac_cx *cx) {
  (void)frame;
  return ac__frame_oom(cx);
}

TEST(arena_frame_oom_fails_block_on) {
  drops = 0;
  ASSERT_EQ(ac__block_on(NULL, oom_poll, count_drop), AC_ENOMEM);
  ASSERT_EQ(drops, 1);
  ASSERT_EQ(ac__frame_oom(NULL), AC_PENDING);
  ASSERT_LOOP_CLOSED();
}
