/* dyn.c -- calls through an async function's stub (asyncc/task.h).
 *
 * A stub is the async function under its own name, as a plain C function
 * with its parameters: other files and function pointers reach it that
 * way, since its frame's size is known only where it is defined.  The
 * caller announces what the call is for in a thread-local (each worker
 * is a thread), then makes the call; the stub takes the announcement,
 * allocates the frame where the mode asks, initialises it, and returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A call announced and not taken yet: what it is for. */
struct pending {
  struct ac_dyn *d;
  enum ac_dyn_mode mode;
  ac_cx *cx;    /* AWAIT: whose frame arena */
  void *result; /* BLOCK_ON: where the result goes */
};

/* The calls announced and not taken yet, innermost last.  The arguments
 * of a call are evaluated after its announcement and may make stub calls
 * of their own, but only from plain code, which cannot await: a spawn
 * announces and is taken before it returns, and a block_on cannot run
 * inside a task.  So a correct program has at most two pending; more
 * than PENDING_MAX means stubs reached through pointers to plain
 * functions, announced and never taken, which ac__dyn_check reports. */
enum { PENDING_MAX = 16 };
static _Thread_local struct pending stack[PENDING_MAX];
static _Thread_local int depth;
static _Thread_local struct pending taking; /* between begin and end */

static void push(struct pending p) {
  if (depth == PENDING_MAX) {
    fprintf(stderr,
            "asyncc: more than %d calls through stubs announced "
            "and not taken: a call through a pointer reached a "
            "function that is not async\n",
            PENDING_MAX);
    abort();
  }
  stack[depth++] = p;
}

static struct pending pop(void) { return stack[--depth]; }

void ac__dyn_call(struct ac_dyn *d, enum ac_dyn_mode mode, ac_cx *cx,
                  void *result) {
  d->frame = NULL;
  d->type = NULL;
  d->err = AC__DYN_UNTAKEN;
  push((struct pending){d, mode, cx, result});
}

void *ac__dyn_begin(size_t frame_size, const struct ac_task_type *type) {
  if (depth == 0) {
    fprintf(stderr,
            "asyncc: async function '%s' called as a plain function; await "
            "it, or use ac_spawn or ac_block_on\n",
            type->name);
    abort();
  }
  struct pending p = pop();
  struct ac_dyn *d = p.d;
  d->type = type;
  void *frame = NULL;
  switch (p.mode) {
  case AC_DYN_AWAIT:
    frame = ac_frame_alloc(p.cx, frame_size);
    d->frame = frame;
    break;
  case AC_DYN_SPAWN: {
    ac_task *task = ac__task_new(frame_size, &frame);
    d->frame = task;
    break;
  }
  case AC_DYN_BLOCK_ON:
    frame = malloc(frame_size ? frame_size : 1); /* max_align_t aligned */
    if (!frame) {                                /* as ac__block_on_or_exit */
      fprintf(stderr, "asyncc: ac_block_on failed: %s\n",
              ac_strerror(AC_ENOMEM));
      exit(70);
    }
    break;
  }
  d->err = frame ? 0 : AC_ENOMEM;
  taking = p;
  return frame;
}

void ac__dyn_end(void *frame) {
  struct pending p = taking;
  switch (p.mode) {
  case AC_DYN_AWAIT:
    return;
  case AC_DYN_SPAWN:
    ac__task_start(p.d->frame, p.d->type);
    return;
  case AC_DYN_BLOCK_ON:
    ac__block_on_or_exit(frame, p.d->type->poll, p.d->type->drop);
    if (p.result && p.d->type->result_size)
      memcpy(p.result, (char *)frame + p.d->type->result_offset,
             p.d->type->result_size);
    free(frame);
    return;
  }
}

int ac__dyn_check(struct ac_dyn *d) {
  if (d->err == AC__DYN_UNTAKEN) {
    if (depth > 0 && stack[depth - 1].d == d)
      (void)pop();
    fprintf(stderr, "asyncc: a call through a pointer, awaited, spawned or "
                    "run with ac_block_on, reached a function that is not "
                    "async\n");
    abort();
  }
  return d->err;
}

void ac__dyn_free(struct ac_dyn *d) {
  ac_frame_free(d->frame);
  d->frame = NULL;
}

void ac__dyn_drop(struct ac_dyn *d) {
  if (!d->frame)
    return;
  d->type->drop(d->frame);
  ac_frame_free(d->frame);
  d->frame = NULL;
}
