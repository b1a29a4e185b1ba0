/* sync_view_task.c -- task handles in the sync view (libasyncc_sync).
 *
 * Untransformed, ac_spawn(e) has already run e when it returns, and boxes
 * its value: the handle is a pointer to the box, and ac_join(h) reads it.
 * Boxes have a small header (id, name, list links) before the value, and
 * stay on a list until detached or until exit, when an atexit handler
 * frees them all, so valgrind sees no leak even for joined handles (a
 * join is just a read: nothing says when the box is no longer needed).
 *
 * This file is separate from sync_view.c because libasyncc defines the same
 * handle functions: the runtime's tests link both libraries, and a static
 * library only brings in the objects it needs. */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asyncc.h>

typedef union box {
  struct {
    union box *prev, *next;
    uint64_t id;
    char *name; /* NULL: the default name */
  } h;
  max_align_t align; /* The value after the header is aligned. */
} Box;

static Box *boxes;
static uint64_t last_id;
static int atexit_done;

static Box *box_of(const void *value) { return (Box *)value - 1; }

static void box_unlink(Box *b) {
  if (b->h.prev != NULL)
    b->h.prev->h.next = b->h.next;
  else
    boxes = b->h.next;
  if (b->h.next != NULL)
    b->h.next->h.prev = b->h.prev;
}

static void box_free(Box *b) {
  box_unlink(b);
  free(b->h.name);
  free(b);
}

static void free_boxes(void) {
  while (boxes != NULL)
    box_free(boxes);
}

/* Copies `size` bytes of `value` (none for a void task) into a new box
 * and returns the copy.  Out of memory, it exits like a failed block_on:
 * the sync view has no other way to report it. */
void *ac__sync_box(const void *value, size_t size) {
  if (!atexit_done && atexit(free_boxes) == 0)
    atexit_done = 1;
  Box *b = size <= SIZE_MAX - sizeof(Box) ? malloc(sizeof(Box) + size) : NULL;
  if (b == NULL) {
    fputs("asyncc: ac_spawn: out of memory\n", stderr);
    exit(70);
  }
  b->h.prev = NULL;
  b->h.next = boxes;
  if (boxes != NULL)
    boxes->h.prev = b;
  boxes = b;
  b->h.id = ++last_id;
  b->h.name = NULL;
  if (size != 0)
    memcpy(b + 1, value, size);
  return b + 1;
}

void ac_task_detach(void *task) {
  if (task != NULL)
    box_free(box_of(task));
}

/* The task has finished already: nothing to abort. */
int ac_task_abort(void *task) { return task != NULL ? 0 : AC_EINVAL; }

int ac_task_aborted(const void *task) {
  (void)task;
  return 0;
}

int ac_task_error(const void *task) { return task != NULL ? 0 : AC_EINVAL; }

uint64_t ac_task_id(const void *task) {
  return task != NULL ? box_of(task)->h.id : 0;
}

const char *ac_task_name(const void *task) {
  if (task == NULL)
    return NULL;
  const char *name = box_of(task)->h.name;
  return name != NULL ? name : "task";
}

int ac_task_set_name(void *task, const char *name) {
  if (task == NULL || name == NULL)
    return AC_EINVAL;
  size_t len = strlen(name);
  char *copy = malloc(len + 1);
  if (copy == NULL)
    return AC_ENOMEM;
  memcpy(copy, name, len + 1);
  Box *b = box_of(task);
  free(b->h.name);
  b->h.name = copy;
  return 0;
}

/* Every task of the sync view has finished; their boxes are listed. */
void ac_dump_tasks(FILE *out) {
  if (out == NULL)
    return;
  size_t n = 0;
  for (Box *b = boxes; b != NULL; b = b->h.next)
    n++;
  fprintf(out, "asyncc: %zu task%s\n", n, n == 1 ? "" : "s");
  for (Box *b = boxes; b != NULL; b = b->h.next)
    fprintf(out, "task %llu \"%s\" finished\n", (unsigned long long)b->h.id,
            b->h.name != NULL ? b->h.name : "task");
  fflush(out);
}

int ac_dump_on_signal(int enable) {
  (void)enable;
  return 0;
}

/* Nothing is ever polled or woken in the sync view: there is nothing to
 * trace. */
void ac_trace_enable(FILE *out) { (void)out; }

/* Runs fn on the calling thread: there is no executor to keep free. */
void *ac_spawn_blocking(ac_blocking_fn fn, void *arg) {
  return fn != NULL ? fn(arg) : NULL;
}

/* Cleanup hooks in the sync view: nothing is ever cancelled, so a hook
 * runs only when popped with `run`. */
int ac_cleanup_push(struct ac_cleanup *c, void (*fn)(void *arg), void *arg) {
  if (c == NULL || fn == NULL)
    return AC_EINVAL;
  c->fn = fn;
  c->arg = arg;
  c->next = NULL;
  c->task = NULL;
  return 0;
}

void ac_cleanup_pop(struct ac_cleanup *c, int run) {
  if (c != NULL && run)
    c->fn(c->arg);
}

/* The sync view runs on the calling thread alone; the setting is kept only
 * so that ac_runtime_workers reports it. */
static unsigned workers_wanted;

int ac_runtime_set_workers(unsigned n) {
  if (n > AC_MAX_WORKERS)
    return AC_EINVAL;
  workers_wanted = n;
  return 0;
}

unsigned ac_runtime_workers(void) {
  return workers_wanted != 0 ? workers_wanted : 1;
}

/* Task scopes in the sync view: every task has run by the time it is
 * handed over, so a scope only frees the boxes and keeps the code the
 * join yields. */
enum { SCOPE_CLOSED, SCOPE_OPEN, SCOPE_CANCELLED };

int ac_scope_init(ac_scope *s) {
  if (s == NULL)
    return AC_EINVAL;
  *s = (ac_scope){0};
  s->state = SCOPE_OPEN;
  return 0;
}

int ac_scope_add(ac_scope *s, void *h) {
  ac_task_detach(h);
  if (s == NULL || s->state != SCOPE_OPEN)
    return s != NULL && s->state == SCOPE_CANCELLED ? AC_ECANCELED : AC_EINVAL;
  return 0;
}

void ac_scope_cancel(ac_scope *s) {
  if (s == NULL || s->state != SCOPE_OPEN)
    return;
  s->state = SCOPE_CANCELLED;
  if (s->err == 0)
    s->err = AC_ECANCELED;
}

size_t ac_scope_pending(const ac_scope *s) {
  (void)s;
  return 0;
}

int ac_scope_join(ac_scope *s) {
  if (s == NULL || s->state == SCOPE_CLOSED)
    return AC_EINVAL;
  s->state = SCOPE_CLOSED;
  return s->err;
}
