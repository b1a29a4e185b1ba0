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

#include <pthread.h>
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

/* Task types of the tests' spawns: ac__task_start wants one that stays
 * valid while the task exists.  Each spawn site's (poll, drop, result,
 * name) is interned once in this small table; workers of a threaded
 * runtime spawn at the same time, hence the lock. */
static inline const struct ac_task_type *
co_task_type(ac_poll_fn poll, ac_drop_fn drop, size_t result_offset,
             size_t result_size, const char *name) {
  static struct ac_task_type types[64];
  static int ntypes;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  struct ac_task_type want = {poll, drop, name, result_offset, result_size};
  const struct ac_task_type *found = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < ntypes && found == NULL; i++)
    if (memcmp(&types[i], &want, sizeof want) == 0)
      found = &types[i];
  if (found == NULL && ntypes < (int)(sizeof types / sizeof types[0])) {
    types[ntypes] = want;
    found = &types[ntypes++];
  }
  pthread_mutex_unlock(&lock);
  return found;
}

/* Spawns a task running a copy of the unpolled frame `proto` (`size`
 * bytes), the way a generated f_spawn helper does with f_init; the result
 * is `result_size` bytes at `result_offset` in the frame (0 and 0 for
 * none).  *frame receives the task's frame (may be NULL). */
static inline ac_task *co_spawn(const void *proto, size_t size, ac_poll_fn poll,
                                ac_drop_fn drop, size_t result_offset,
                                size_t result_size, const char *name,
                                void **frame) {
  const struct ac_task_type *type =
      co_task_type(poll, drop, result_offset, result_size, name);
  void *fr;
  ac_task *task = type != NULL ? ac__task_new(size, &fr) : NULL;
  if (task == NULL)
    return NULL;
  memcpy(fr, proto, size);
  ac__task_start(task, type);
  if (frame != NULL)
    *frame = fr;
  return task;
}

#endif /* ASYNCC_TEST_CO_H */
