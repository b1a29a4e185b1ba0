/* io-util.h -- scripts: the I/O tests' hand-written async functions.
 *
 * A script is a future written as a sequence of awaits, in the manner of
 * protothreads: its poll is one switch on a resume point (the source line
 * of the await it stopped at), so that each test reads top to bottom like
 * the async function it stands for.  Generated code dispatches with goto
 * instead (docs/abi.md); a script's switch costs the tests nothing, as
 * they write no switch of their own around an await.  As in generated
 * code, what must survive an await lives in the frame, not in C locals.
 *
 *   struct client { struct script s; ac_stream *c;
 *                   union { struct ac_tcp_connect_frame connect; } sub; };
 *
 *   static ac_poll client_poll(void *frame, ac_cx *cx) {
 *     struct client *fr = frame;
 *     SCRIPT_BEGIN(&fr->s);
 *     AWAIT(&fr->s, cx, ac_tcp_connect, fr->sub.connect, "127.0.0.1", port,
 *           &fr->c);
 *     ASSERT_OK(fr->sub.connect.result);
 *     SCRIPT_END(&fr->s);
 *   }
 *
 * script_drop drops the sub-future being awaited, as f_drop would. */
#ifndef ASYNCC_TEST_IO_UTIL_H
#define ASYNCC_TEST_IO_UTIL_H

#include "futures.h"
#include "task.h"

struct script {
  int line;             /* resume point: 0 at the start, -1 when done */
  void *live;           /* the sub-future being awaited, or NULL */
  ac_drop_fn live_drop; /* its drop */
};

#define SCRIPT_BEGIN(s)                                                        \
  switch ((s)->line) {                                                         \
  case -1:                                                                     \
    return AC_READY;                                                           \
  case 0:

#define SCRIPT_END(s)                                                          \
  }                                                                            \
  (s)->line = -1;                                                              \
  return AC_READY

/* Awaits `name(args...)` with `sub` as its frame. */
#define AWAIT(s, cx, name, sub, ...)                                           \
  do {                                                                         \
    name##_init(&(sub), __VA_ARGS__);                                          \
    (s)->live = &(sub);                                                        \
    (s)->live_drop = name##_drop;                                              \
    (s)->line = __LINE__;                                                      \
    __attribute__((fallthrough));                                              \
  case __LINE__:                                                               \
    if (name##_poll(&(sub), cx) == AC_PENDING)                                 \
      return AC_PENDING;                                                       \
    (s)->live = NULL;                                                          \
  } while (0)

/* Yields until `cond` holds: for ordering two scripts of one test. */
#define WAIT_UNTIL(s, cx, cond)                                                \
  do {                                                                         \
    (s)->line = __LINE__;                                                      \
    __attribute__((fallthrough));                                              \
  case __LINE__:                                                               \
    if (!(cond))                                                               \
      return ac__test_suspend(cx);                                             \
  } while (0)

/* Starts `name(args...)` with `sub` as its frame and asserts that its first
 * poll is pending; the script then owns it until it drops or awaits it
 * (RESUME). */
#define START(cx, name, sub, ...)                                              \
  do {                                                                         \
    name##_init(&(sub), __VA_ARGS__);                                          \
    ASSERT_EQ(name##_poll(&(sub), cx), AC_PENDING);                            \
  } while (0)

/* Awaits a future begun with START. */
#define RESUME(s, cx, name, sub)                                               \
  do {                                                                         \
    (s)->live = &(sub);                                                        \
    (s)->live_drop = name##_drop;                                              \
    (s)->line = __LINE__;                                                      \
    __attribute__((fallthrough));                                              \
  case __LINE__:                                                               \
    if (name##_poll(&(sub), cx) == AC_PENDING)                                 \
      return AC_PENDING;                                                       \
    (s)->live = NULL;                                                          \
  } while (0)

static inline void script_init(struct script *s) {
  s->line = 0;
  s->live = NULL;
  s->live_drop = NULL;
}

static inline void script_drop(void *frame) {
  struct script *s = frame;
  if (s->live != NULL)
    s->live_drop(s->live);
  s->live = NULL;
  s->line = -1;
}

/* Runs `fn` once inside block_on, where futures can be polled and libuv
 * handles closed, then checks that the loop ended clean. */
struct run_frame {
  void (*fn)(ac_cx *cx);
};

static inline ac_poll run_poll(void *frame, ac_cx *cx) {
  struct run_frame *fr = frame;
  fr->fn(cx);
  return AC_READY;
}

static inline void run_in_block_on(void (*fn)(ac_cx *cx)) {
  struct run_frame fr = {fn};
  ASSERT_OK(ac__block_on(&fr, run_poll, count_drop));
  ASSERT_LOOP_CLOSED();
}

/* Runs two scripts (each beginning with a struct script) concurrently to
 * completion in one block_on. */
static inline void run_pair(void *a, ac_poll_fn a_poll, void *b,
                            ac_poll_fn b_poll) {
  struct join_frame join;
  join_init(&join);
  join_add(&join, a, a_poll, script_drop);
  join_add(&join, b, b_poll, script_drop);
  ASSERT_OK(ac__block_on(&join, join_poll, join_drop));
  ASSERT_EQ(join.finished, 2);
  ASSERT_LOOP_CLOSED();
}

static inline void expect_ready(ac_poll p) { ASSERT_EQ(p, AC_READY); }

/* Polls a future that must complete at once, and yields its result. */
#define POLL_NOW(cx, name, sub, ...)                                           \
  (name##_init(&(sub), __VA_ARGS__), expect_ready(name##_poll(&(sub), cx)),    \
   (sub).result)

#endif /* ASYNCC_TEST_IO_UTIL_H */
