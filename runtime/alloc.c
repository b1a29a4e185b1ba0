/* alloc.c -- the runtime's heap allocator and its failure-injection hook.
 *
 * Out-of-memory paths are tested the way libuv's test-loop-oom.c does: fail
 * the Nth allocation for N = 0, 1, 2, ... until the operation succeeds. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

int ac__fail_at = -1;

void ac__test_fail_alloc(int n) { ac__fail_at = n < 0 ? -1 : n; }

int ac__alloc_fails_slow(void) { return ac__fail_at-- == 0; }

void *ac__malloc(size_t size) {
  return ac__alloc_fails() ? NULL : malloc(size);
}

/* Maps twice the size and unmaps what lies outside the aligned middle:
 * malloc's aligned_alloc would keep a header in the page before the
 * block, a resident page per block. */
void *ac__map_aligned(size_t size) {
  if (ac__alloc_fails())
    return NULL;
  char *p = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  char *a = (char *)(((uintptr_t)p + size - 1) & ~(uintptr_t)(size - 1));
  if (a != p)
    munmap(p, (size_t)(a - p));
  if (a + size != p + 2 * size)
    munmap(a + size, (size_t)(p + 2 * size - (a + size)));
  return a;
}

void ac__unmap(void *p, size_t size) {
  if (p != NULL)
    munmap(p, size);
}

void ac__free(void *p) { free(p); }
