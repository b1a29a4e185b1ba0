/* debug.c -- ASYNCC_DEBUG=1: handles and streams checked at every use.
 *
 * Two mistakes that C cannot see read freed memory without a word: a
 * task handle used after it was given up (joined twice, joined after
 * ac_task_detach, or after a scope took it), and a stream or listener
 * used after its close.  In debug mode the runtime keeps what it would
 * free: a task's header stays in its heap, marked, until the block_on
 * ends; a closed stream or listener stays until the process exits.  Each
 * use checks the mark and ends the program with a message naming the
 * operation, as a sanitizer does.  Off, the checks are one predictable
 * branch on a global. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ac__debug_on;

__attribute__((constructor)) static void debug_at_start(void) {
  const char *v = getenv("ASYNCC_DEBUG");
  ac__debug_on = v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

void ac__debug_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("asyncc: ASYNCC_DEBUG: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

void ac__debug_handle(const ac_task *t, const char *op) {
  if (t != NULL &&
      (__atomic_load_n(&t->flags, __ATOMIC_RELAXED) & AC__T_RELEASED))
    ac__debug_fail("%s: task %llu was given up already (joined, detached "
                   "or added to a scope); a handle is used once",
                   op, (unsigned long long)t->id);
}

/* What debug mode keeps, reachable from here until the process exits;
 * pushed from any worker. */
struct kept {
  struct kept *next;
  void *object;
};
static _Atomic(struct kept *) kept;

void ac__debug_keep(void *object) {
  struct kept *k = malloc(sizeof *k);
  if (k == NULL) {
    ac__free(object); /* unchecked from now on, but not lost */
    return;
  }
  k->object = object;
  k->next = atomic_load(&kept);
  while (!atomic_compare_exchange_weak(&kept, &k->next, k))
    ;
}
