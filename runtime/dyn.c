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

/* The calls announced and not taken yet, innermost first: the arguments
 * of a call are evaluated after its announcement, and may make stub
 * calls of their own, which are announced and taken in between. */
static _Thread_local struct ac_dyn *announced;
static _Thread_local struct ac_dyn *taking;    /* between begin and end */

void ac__dyn_call(struct ac_dyn *d, enum ac_dyn_mode mode, ac_cx *cx,
                  void *result) {
  memset(d, 0, sizeof *d);
  d->mode = mode;
  d->cx = cx;
  d->result = result;
  d->up = announced;
  announced = d;
}

void *ac__dyn_begin(size_t frame_size, const struct ac_task_type *type) {
  struct ac_dyn *d = announced;
  if (d)
    announced = d->up;
  if (!d) {
    fprintf(stderr,
            "asyncc: async function '%s' called as a plain function; await "
            "it, or use ac_spawn or ac_block_on\n",
            type->name);
    abort();
  }
  d->taken = 1;
  d->type = type;
  void *frame = NULL;
  switch (d->mode) {
  case AC_DYN_AWAIT:
    frame = ac_frame_alloc(d->cx, frame_size);
    break;
  case AC_DYN_SPAWN:
    d->task = ac__task_new(frame_size, &frame);
    break;
  case AC_DYN_BLOCK_ON:
    frame = malloc(frame_size ? frame_size : 1); /* max_align_t aligned */
    break;
  }
  if (!frame)
    d->err = AC_ENOMEM;
  d->frame = frame;
  taking = frame ? d : NULL;
  return frame;
}

void ac__dyn_end(void *frame) {
  struct ac_dyn *d = taking;
  taking = NULL;
  switch (d->mode) {
  case AC_DYN_AWAIT:
    return;
  case AC_DYN_SPAWN:
    ac__task_start(d->task, d->type);
    d->frame = NULL; /* the task's */
    return;
  case AC_DYN_BLOCK_ON:
    ac__block_on_or_exit(frame, d->type->poll, d->type->drop);
    if (d->result && d->type->result_size)
      memcpy(d->result, (char *)frame + d->type->result_offset,
             d->type->result_size);
    free(frame);
    d->frame = NULL;
    return;
  }
}

int ac__dyn_check(struct ac_dyn *d) {
  if (!d->taken) {
    announced = d->up;
    fprintf(stderr, "asyncc: a call through a pointer, awaited, spawned or "
                    "run with ac_block_on, reached a function that is not "
                    "async\n");
    abort();
  }
  if (d->err && d->mode == AC_DYN_BLOCK_ON) {
    fprintf(stderr, "asyncc: ac_block_on failed: %s\n", ac_strerror(d->err));
    exit(70); /* EX_SOFTWARE, as ac__block_on_or_exit */
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
