/* task.c -- spawned tasks: one allocation each, join handles, detach,
 * abort, ids and names.
 *
 * A spawned task is referenced twice: by the executor while it runs, and
 * by its handle until the handle is joined (ac_join_finish), detached or
 * dropped with a pending join.  Whichever reference goes last frees the
 * task, header and frame together, so the result stays readable after the
 * task ends and until its join is finished.  A task that ends while it
 * is still on a queue (it woke itself, or was woken, then completed or
 * was cancelled) is freed only once the executor has taken it off, so no
 * queue ever holds a freed task.  block_on's teardown overrides all this:
 * once its root is done it drops the tasks still pending and frees every
 * task, whoever still holds a handle (executor.c). */
#include <assert.h>
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

/* Ids are process-wide so that they stay unique across threads. */
static atomic_uint_fast64_t last_id;

size_t ac__task_bytes(size_t frame_size) {
  return ac__heap_block_size(AC__HEADER_SIZE + frame_size);
}

/* The executor whose heap (and registry lock) holds t. */
static struct ac__exec *registry_of(ac_task *t) {
  if (t->flags & AC__T_ROOT)
    return ac__task_exec(t);
  struct ac__heap *h = ac__heap_of(t, t->flags & AC__T_BIG);
  return ac__container_of(h, struct ac__exec, heap);
}

ac_task *ac__task_new(size_t frame_size, void **frame) {
  if (frame == NULL || frame_size > SIZE_MAX - AC__HEADER_SIZE)
    return NULL;
  struct ac__exec *ex = ac__exec_current();
  int big;
  ac__registry_lock(ex);
  ac_task *t = ac__heap_alloc(&ex->heap, AC__HEADER_SIZE + frame_size, &big);
  ac__registry_unlock(ex);
  if (t == NULL)
    return NULL;
  memset(t, 0, sizeof *t);
  t->flags = big ? AC__T_BIG : 0;
  *frame = ac__task_frame(t);
  return t;
}

void ac__task_start(ac_task *t, const struct ac_task_type *type) {
  assert(t != NULL && !(t->flags & AC__T_ROOT) && type != NULL &&
         type->poll != NULL && type->drop != NULL);
  t->id = atomic_fetch_add_explicit(&last_id, 1, memory_order_relaxed) + 1;
  t->refs = 2;
  struct ac__exec *ex = ac__exec_current();
  /* Published last: ac_dump_tasks and the teardown, which may walk the
   * heap from another worker, skip a task without a type. */
  __atomic_store_n(&t->type, type, __ATOMIC_RELEASE);
  AC__TRACE(spawn, t);
  if (ex->rt != NULL) {
    ac__spawn_threaded(ex, t);
    return;
  }
  t->worker = 0;
  t->state = AC__T_QUEUED;
  ac__exec_push(ex, t);
}

struct ac__task_ext *ac__task_ext(ac_task *t) {
  struct ac__task_ext *e = t->ext;
  if (e != NULL)
    return e;
  e = ac__malloc(sizeof *e);
  if (e == NULL)
    return NULL;
  *e = (struct ac__task_ext){.name = NULL};
  ac__arena_init(&e->arena);
  /* A scope may add a task that has started on another worker, which may
   * want its extension at the same time: the first one published wins. */
  struct ac__task_ext *none = NULL;
  if (!atomic_compare_exchange_strong(&t->ext, &none, e)) {
    ac__free(e);
    e = none;
  }
  return e;
}

const char *ac__task_name(const ac_task *t) {
  struct ac__task_ext *e = t->ext;
  if (e != NULL && e->name != NULL)
    return e->name;
  return t->type->name != NULL ? t->type->name : "task";
}

/* Frees an extension and what it holds. */
static void ext_free(struct ac__task_ext *e) {
  if (e == NULL)
    return;
  ac__arena_fini(&e->arena);
  ac__free(e->name);
  ac__free(e);
}

void ac__task_fini(ac_task *t) {
  ext_free(t->ext);
  atomic_store_explicit(&t->ext, NULL, memory_order_relaxed);
}

void ac__task_free(ac_task *t) {
  assert(!(t->flags & AC__T_ROOT));
  /* A dump on another worker reads the task (and its name, in the
   * extension) under the registry lock: both go under it. */
  struct ac__exec *reg = registry_of(t);
  ac__registry_lock(reg);
  struct ac__task_ext *e = t->ext;
  if (ac__debugging()) {
    /* Kept, so that a stale handle finds its mark (debug.c); without a
     * type, dumps and the teardown's drops pass it by, and the teardown
     * frees it with the rest of the heap. */
    atomic_store_explicit(&t->ext, NULL, memory_order_relaxed);
    __atomic_store_n(&t->type, NULL, __ATOMIC_RELEASE);
  } else {
    ac__heap_free(t, t->flags & AC__T_BIG);
  }
  ac__registry_unlock(reg);
  ext_free(e);
}

/* Drops one reference; the last one frees the task, unless the task is
 * still queued (the executor frees it when it takes it off) or block_on's
 * teardown, which frees every task itself, has begun. */
static void task_release(ac_task *t) {
  int locked = ac__lock(t);
  assert(t->refs > 0);
  int last = --t->refs == 0 && !(ac__task_state(t) & AC__T_QUEUED);
  ac__unlock(t, locked);
  if (last && !ac__rt_stopping(ac__exec_current()))
    ac__task_free(t);
}

void ac__task_unqueued(ac_task *t) {
  int locked = ac__lock(t);
  __atomic_fetch_and(&t->state, (unsigned char)~AC__T_QUEUED, __ATOMIC_RELEASE);
  int last = t->refs == 0;
  ac__unlock(t, locked);
  if (last && !ac__rt_stopping(ac__exec_current()))
    ac__task_free(t);
}

void ac__task_ended(ac_task *t) {
  assert(!(t->flags & AC__T_ROOT));
  /* Frames from the arena were freed by the frame chain as it completed
   * or was dropped; the chunks are no use any more. */
  struct ac__task_ext *e = t->ext;
  if (e != NULL)
    ac__arena_fini(&e->arena);
  /* A joiner on another worker reads done, then the result: both are
   * published under the task's lock, and the joiner is woken under it so
   * that it cannot be freed in between (ac_join_drop takes the lock). */
  int locked = ac__lock(t);
  const struct ac_task_type *type = t->type;
  if (t->err != 0 && type->result_size != 0)
    memset((char *)ac__task_frame(t) + type->result_offset, 0,
           type->result_size);
  __atomic_fetch_or(&t->state, AC__T_DONE, __ATOMIC_RELEASE);
  ac_task_wake(t->joiner);
  /* A scope links and unlinks its tasks under this lock too (scope.c),
   * and releases its own reference first; without one, the executor's
   * reference goes under the lock already held. */
  int scoped = e != NULL && e->scope != NULL, last = 0;
  if (!scoped)
    last = --t->refs == 0 && !(ac__task_state(t) & AC__T_QUEUED);
  ac__unlock(t, locked);
  if (scoped) {
    ac__scope_task_ended(t);
    task_release(t);
  } else if (last && !ac__rt_stopping(ac__exec_current())) {
    ac__task_free(t);
  }
}

/* ---- Handles ------------------------------------------------------------ */

/* Checks the handle t before `op` uses it (ASYNCC_DEBUG). */
static inline void handle_check(const ac_task *t, const char *op) {
  if (ac__debugging())
    ac__debug_handle(t, op);
}

/* The handle's reference, given up by `op`. */
static void handle_release(ac_task *t, const char *op) {
  if (ac__debugging()) {
    ac__debug_handle(t, op);
    __atomic_fetch_or(&t->flags, (unsigned char)AC__T_RELEASED,
                      __ATOMIC_RELAXED);
  }
  task_release(t);
}

void ac_task_detach(void *task) {
  ac_task *t = task;
  if (t != NULL)
    handle_release(t, "ac_task_detach");
}

int ac_task_abort(void *task) {
  ac_task *t = task;
  if (t == NULL)
    return AC_EINVAL;
  handle_check(t, "ac_task_abort");
  /* The executor drops the frame when it next reaches the task, which
   * ac__task_fail queues; a task aborting itself is dropped as soon as its
   * poll returns. */
  ac__task_fail(t, AC_ECANCELED);
  return 0;
}

int ac_task_aborted(const void *task) {
  const ac_task *t = task;
  handle_check(t, "ac_task_aborted");
  return t != NULL && t->err != 0;
}

int ac_task_error(const void *task) {
  const ac_task *t = task;
  handle_check(t, "ac_task_error");
  return t != NULL ? t->err : AC_EINVAL;
}

uint64_t ac_task_id(const void *task) {
  const ac_task *t = task;
  handle_check(t, "ac_task_id");
  return t != NULL ? t->id : 0;
}

const char *ac_task_name(const void *task) {
  const ac_task *t = task;
  handle_check(t, "ac_task_name");
  return t != NULL ? ac__task_name(t) : NULL;
}

int ac_task_set_name(void *task, const char *name) {
  ac_task *t = task;
  if (t == NULL || name == NULL)
    return AC_EINVAL;
  handle_check(t, "ac_task_set_name");
  size_t len = strlen(name);
  char *copy = ac__malloc(len + 1);
  struct ac__task_ext *e = copy != NULL ? ac__task_ext(t) : NULL;
  if (e == NULL) {
    ac__free(copy);
    return AC_ENOMEM;
  }
  memcpy(copy, name, len + 1);
  /* ac_dump_tasks on another worker reads the name under the registry
   * lock. */
  struct ac__exec *reg = registry_of(t);
  ac__registry_lock(reg);
  char *old = e->name;
  e->name = copy;
  ac__registry_unlock(reg);
  ac__free(old);
  return 0;
}

/* ---- The join future ---------------------------------------------------- */

void ac_join_init(struct ac_join_frame *fr, ac_task *task) {
  assert(fr != NULL);
  fr->task = task;
  fr->waiting = 0;
  handle_check(task, "ac_join"); /* last: a tail call when debugging */
}

ac_poll ac_join_poll(void *frame, ac_cx *cx) {
  struct ac_join_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  ac_task *t = fr->task;
  if (t == NULL)
    return ac__frame_oom(cx); /* The spawn that made the handle failed. */
  int locked = ac__lock(t);
  ac_poll r = AC_PENDING;
  if (ac__task_state(t) & AC__T_DONE) {
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
  handle_release(t, "ac_join (dropped)");
}

void *ac_join_result(struct ac_join_frame *fr) {
  assert(fr != NULL && fr->task != NULL &&
         (ac__task_state(fr->task) & AC__T_DONE));
  const struct ac_task_type *type = fr->task->type;
  if (type->result_size == 0)
    return NULL;
  return (char *)ac__task_frame(fr->task) + type->result_offset;
}

void ac_join_finish(struct ac_join_frame *fr) {
  assert(fr != NULL);
  ac_task *t = fr->task;
  fr->task = NULL;
  if (t != NULL)
    handle_release(t, "ac_join");
}
