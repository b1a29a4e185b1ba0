/* task.c -- spawned tasks: one allocation each, join handles, detach,
 * abort, ids and names.
 *
 * A spawned task is referenced twice: by the executor while it runs, and
 * by its handle until the handle is joined (ac_join_finish), detached or
 * dropped with a pending join.  Whichever reference goes last frees the
 * task, header and frame together, so the result stays readable after the
 * task ends and until its join is finished.  block_on's teardown overrides
 * this: once its root is done it drops the tasks still pending and frees
 * every task, whoever still holds a handle (executor.c). */
#include <assert.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

/* The header, rounded up so that the frame after it is max_align_t
 * aligned. */
#define HEADER_SIZE                                                            \
  ((sizeof(ac_task) + alignof(max_align_t) - 1) / alignof(max_align_t) *       \
   alignof(max_align_t))

/* Ids are process-wide so that they stay unique across threads. */
static atomic_uint_fast64_t last_id;

void ac__task_link(struct ac__exec *ex, ac_task *t) {
  ac__registry_lock(ex);
  t->live_next = NULL;
  t->live_prev = ex->live_tail;
  if (ex->live_tail != NULL)
    ex->live_tail->live_next = t;
  else
    ex->live_head = t;
  ex->live_tail = t;
  ac__registry_unlock(ex);
}

void ac__task_unlink(struct ac__exec *ex, ac_task *t) {
  ac__registry_lock(ex);
  if (t->live_prev != NULL)
    t->live_prev->live_next = t->live_next;
  else
    ex->live_head = t->live_next;
  if (t->live_next != NULL)
    t->live_next->live_prev = t->live_prev;
  else
    ex->live_tail = t->live_prev;
  t->live_prev = t->live_next = NULL;
  ac__registry_unlock(ex);
}

size_t ac__task_bytes(size_t frame_size) { return HEADER_SIZE + frame_size; }

ac_task *ac__task_new(size_t frame_size, void **frame) {
  if (frame == NULL || frame_size > SIZE_MAX - HEADER_SIZE)
    return NULL;
  ac_task *t = ac__malloc(HEADER_SIZE + frame_size);
  if (t == NULL)
    return NULL;
  *t = (ac_task){0};
  t->spawned = 1;
  t->frame = (char *)t + HEADER_SIZE;
  ac__arena_init(&t->arena);
  *frame = t->frame;
  return t;
}

void ac__task_start(ac_task *t, ac_poll_fn poll, ac_drop_fn drop, void *result,
                    size_t result_size, const char *name) {
  assert(t != NULL && t->spawned && poll != NULL && drop != NULL);
  /* In the threaded flavour the task may go to another worker. */
  struct ac__exec *ex = ac__rt_place(ac__exec_current());
  t->ex = ex;
  t->poll = poll;
  t->drop = drop;
  t->result = result;
  t->result_size = result != NULL ? result_size : 0;
  t->name = name != NULL ? name : "task";
  t->id = atomic_fetch_add(&last_id, 1) + 1;
  t->refs = 2;
  ac__task_link(ex, t);
  ac_task_wake(t);
}

static void task_free(ac_task *t) {
  ac__inject_forget(t);
  ac__task_unlink(t->ex, t);
  ac__arena_fini(&t->arena);
  if (t->name_owned)
    ac__free((char *)t->name);
  ac__free(t);
}

/* Drops one reference; the last one frees the task, except during
 * block_on's teardown, which frees every task itself. */
static void task_release(ac_task *t) {
  int locked = ac__lock(t);
  assert(t->refs > 0);
  int last = --t->refs == 0;
  ac__unlock(t, locked);
  if (last && !ac__rt_stopping(t->ex))
    task_free(t);
}

void ac__task_ended(ac_task *t) {
  assert(t->spawned);
  /* Frames from the arena were freed by the frame chain as it completed
   * or was dropped; the chunks are no use any more. */
  ac__arena_fini(&t->arena);
  /* A joiner on another worker reads done, then the result: both are
   * published under the task's lock, and the joiner is woken under it so
   * that it cannot be freed in between (ac_join_drop takes the lock). */
  int locked = ac__lock(t);
  if (t->err != 0 && t->result != NULL)
    memset(t->result, 0, t->result_size);
  t->done = 1;
  ac_task_wake(t->joiner);
  /* A scope links and unlinks its tasks under this lock too (scope.c). */
  int scoped = t->scope != NULL;
  ac__unlock(t, locked);
  if (scoped)
    ac__scope_task_ended(t);
  task_release(t);
}

void ac__tasks_free_all(struct ac__exec *ex) {
  assert(ex->tearing_down);
  ac_task *t = ex->live_head;
  while (t != NULL) {
    ac_task *next = t->live_next;
    assert(t->done && t->spawned);
    task_free(t);
    t = next;
  }
}

/* ---- Handles ------------------------------------------------------------ */

void ac_task_detach(void *task) {
  ac_task *t = task;
  if (t != NULL)
    task_release(t);
}

int ac_task_abort(void *task) {
  ac_task *t = task;
  if (t == NULL)
    return AC_EINVAL;
  /* The executor drops the frame when it next reaches the task, which
   * ac__task_fail queues; a task aborting itself is dropped as soon as its
   * poll returns. */
  ac__task_fail(t, AC_ECANCELED);
  return 0;
}

int ac_task_aborted(const void *task) {
  const ac_task *t = task;
  return t != NULL && t->err != 0;
}

int ac_task_error(const void *task) {
  const ac_task *t = task;
  return t != NULL ? t->err : AC_EINVAL;
}

uint64_t ac_task_id(const void *task) {
  const ac_task *t = task;
  return t != NULL ? t->id : 0;
}

const char *ac_task_name(const void *task) {
  const ac_task *t = task;
  return t != NULL ? t->name : NULL;
}

int ac_task_set_name(void *task, const char *name) {
  ac_task *t = task;
  if (t == NULL || name == NULL)
    return AC_EINVAL;
  size_t len = strlen(name);
  char *copy = ac__malloc(len + 1);
  if (copy == NULL)
    return AC_ENOMEM;
  memcpy(copy, name, len + 1);
  /* ac_dump_tasks on another worker reads the name under the registry
   * lock. */
  ac__registry_lock(t->ex);
  const char *old = t->name_owned ? t->name : NULL;
  t->name = copy;
  t->name_owned = 1;
  ac__registry_unlock(t->ex);
  ac__free((char *)old);
  return 0;
}

/* ---- The join future ---------------------------------------------------- */

void ac_join_init(struct ac_join_frame *fr, ac_task *task) {
  assert(fr != NULL);
  fr->task = task;
  fr->waiting = 0;
}

ac_poll ac_join_poll(void *frame, ac_cx *cx) {
  struct ac_join_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  ac_task *t = fr->task;
  if (t == NULL)
    return ac__frame_oom(cx); /* The spawn that made the handle failed. */
  int locked = ac__lock(t);
  ac_poll r = AC_PENDING;
  if (t->done) {
    /* A join that never waited completes at once: it spends budget. */
    if (fr->waiting || ac_budget_spend(cx) == AC_READY) {
      if (t->joiner == cx->task)
        t->joiner = NULL;
      fr->waiting = 0;
      r = AC_READY;
    }
  } else {
    t->joiner = cx->task;
    fr->waiting = 1;
  }
  ac__unlock(t, locked);
  return r;
}

void ac_join_drop(void *frame) {
  struct ac_join_frame *fr = frame;
  assert(fr != NULL);
  ac_task *t = fr->task;
  if (t == NULL)
    return;
  int locked = ac__lock(t);
  if (fr->waiting && t->joiner != NULL)
    t->joiner = NULL;
  ac__unlock(t, locked);
  fr->task = NULL;
  fr->waiting = 0;
  task_release(t);
}

void *ac_join_result(struct ac_join_frame *fr) {
  assert(fr != NULL && fr->task != NULL && fr->task->done);
  return fr->task->result;
}

void ac_join_finish(struct ac_join_frame *fr) {
  assert(fr != NULL);
  ac_task *t = fr->task;
  fr->task = NULL;
  if (t != NULL)
    task_release(t);
}
