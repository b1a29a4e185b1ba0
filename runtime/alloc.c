/* alloc.c -- the runtime's heap allocator and its failure-injection hook.
 *
 * Out-of-memory paths are tested the way libuv's test-loop-oom.c does: fail
 * the Nth allocation for N = 0, 1, 2, ... until the operation succeeds. */
#include <stdlib.h>

#include "internal.h"

static int fail_at = -1;

void ac__test_fail_alloc(int n) { fail_at = n < 0 ? -1 : n; }

void *ac__malloc(size_t size) {
  if (fail_at >= 0 && fail_at-- == 0)
    return NULL;
  return malloc(size);
}

void ac__free(void *p) { free(p); }
