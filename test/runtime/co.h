/* co.h -- compact hand-written async functions for the task, time and sync
 * tests.
 *
 * The transpiler's output (see test-executor.c) is long to write by hand
 * for every scenario, so these tests write their futures as protothreads:
 * a switch on the resume line, with one live sub-future at a time whose
 * drop is remembered for cancellation.  State that must survive an await
 * lives in the frame.  Every CO_AWAIT must be on its own line.
 *
 *   static ac_poll worker_poll(void *frame, ac_cx *cx) {
 *     struct worker *fr = frame;
 *     CO_BEGIN(&fr->co);
 *     ac_sleep_init(&fr->sleep, 1);
 *     CO_AWAIT(&fr->co, &fr->sleep, ac_sleep_poll, ac_sleep_drop);
 *     fr->result = 42;
 *     CO_END(&fr->co);
 *   }
 */
#ifndef ASYNCC_TEST_CO_H
#define ASYNCC_TEST_CO_H

#include <string.h>

#include <asyncc.h>

struct co {
  int line;            /* resume point: 0 at start, -1 once finished */
  void *sub;           /* the sub-future being awaited */
  ac_drop_fn sub_drop; /* its drop, NULL when none is live */
  int drops;           /* times the frame was dropped while pending */
};

#define CO_BEGIN(c)                                                            \
  switch ((c)->line) {                                                         \
  case 0:;

#define CO_AWAIT(c, subframe, poll, drop)                                      \
  do {                                                                         \
    (c)->sub = (subframe);                                                     \
    (c)->sub_drop = (drop);                                                    \
    (c)->line = __LINE__;                                                      \
    __attribute__((fallthrough));                                              \
  case __LINE__:                                                               \
    if ((poll)((c)->sub, cx) == AC_PENDING)                                    \
      return AC_PENDING;                                                       \
    (c)->sub_drop = NULL;                                                      \
  } while (0)

/* Awaits the join of the scope fr->s (a frame with members co, s, join
 * and err) and keeps its result in fr->err. */
#define JOIN_SCOPE(fr)                                                         \
  do {                                                                         \
    ac_scope_join_init(&(fr)->join, &(fr)->s);                                 \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_scope_join_poll, ac_scope_join_drop);  \
    (fr)->err = (fr)->join.result;                                             \
  } while (0)

/* Returns AC_PENDING from the current line once, after waking the task:
 * a bare suspension, like ac_yield without a frame. */
#define CO_YIELD(c)                                                            \
  do {                                                                         \
    (c)->line = __LINE__;                                                      \
    ac_task_wake(cx->task);                                                    \
    return AC_PENDING;                                                         \
  case __LINE__:;                                                              \
  } while (0)

#define CO_END(c)                                                              \
  }                                                                            \
  (c)->line = -1;                                                              \
  return AC_READY

/* Drops the live sub-future, if any; the frame is finished afterwards. */
static inline void co_drop(struct co *c) {
  if (c->line != -1)
    c->drops++;
  if (c->sub_drop != NULL)
    c->sub_drop(c->sub);
  c->sub_drop = NULL;
  c->line = -1;
}

/* Spawns a task running a copy of the unpolled frame `proto` (`size`
 * bytes), the way a generated f_spawn helper does with f_init; the result
 * is `result_size` bytes at `result_offset` in the frame (0 and 0 for
 * none).  *frame receives the task's frame (may be NULL). */
static inline ac_task *co_spawn(const void *proto, size_t size, ac_poll_fn poll,
                                ac_drop_fn drop, size_t result_offset,
                                size_t result_size, const char *name,
                                void **frame) {
  void *fr;
  ac_task *task = ac__task_new(size, &fr);
  if (task == NULL)
    return NULL;
  memcpy(fr, proto, size);
  ac__task_start(task, poll, drop,
                 result_size != 0 ? (char *)fr + result_offset : NULL,
                 result_size, name);
  if (frame != NULL)
    *frame = fr;
  return task;
}

#endif /* ASYNCC_TEST_CO_H */
