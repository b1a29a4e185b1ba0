/* heap.c -- the memory of spawned tasks: slabs of equal slots.
 *
 * Each executor allocates its tasks from slabs of 64 KiB, mapped at an
 * address aligned to their size, so that the slab of a slot is found by
 * masking the slot's address.  A slab serves one size class (slots of 16, 32, ...
 * 1024 bytes) and keeps a bitmap of the slots in use; tasks bigger than
 * the largest class are allocated on their own, with list links before
 * them.  This does three things a malloc per task does not:
 *
 *  - the heap is the registry of live tasks: ac_dump_tasks and
 *    block_on's teardown walk the slabs' bitmaps, so a task header needs
 *    no links for a list of tasks;
 *  - a task costs its slot, with no allocator header and no rounding
 *    beyond 16 bytes: an idle task is its header and its frame;
 *  - allocating and freeing a slot is a pop and a push on the slab's
 *    free list, with no locking on one worker.
 *
 * A class has two lists of slabs, those with free slots and those
 * without, so allocating looks at one slab and moving a slab between the
 * lists is O(1).  An emptied slab is freed, except one per class kept as
 * a spare, so a steady stream of short tasks does not allocate slabs over
 * and over.  ac__heap_fini frees all at the end of a block_on. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define SLAB_BYTES ((size_t)64 * 1024)
#define GRAIN 16 /* slot sizes are multiples of it; max_align_t divides it */
#define MAX_SLOT ((AC__SLAB_CLASSES - 1) * GRAIN)
#define MIN_SLOT 64 /* a task header and the smallest frame */
#define MAX_SLOTS (SLAB_BYTES / MIN_SLOT)
#define WORDS ((MAX_SLOTS + 63) / 64)

struct ac__slab {
  struct ac__slab *prev, *next; /* the class's list */
  struct ac__heap *heap;
  void *free;         /* freed slots, linked through their first word */
  unsigned slot;      /* slot size */
  unsigned nslots;    /* slots in the slab */
  unsigned used;      /* slots allocated */
  unsigned bump;      /* slots [bump, nslots) were never allocated */
  uint64_t live[WORDS]; /* bit i: slot i is allocated */
};

/* The slots start after the header, at a multiple of max_align_t. */
#define SLAB_HEADER                                                            \
  ((sizeof(struct ac__slab) + alignof(max_align_t) - 1) /                      \
   alignof(max_align_t) * alignof(max_align_t))

/* A task allocated apart: links, then the task. */
struct ac__big {
  struct ac__big *prev, *next;
  struct ac__heap *heap;
  max_align_t task[];
};

static unsigned size_class(size_t size) {
  return (unsigned)((size + GRAIN - 1) / GRAIN);
}

size_t ac__heap_block_size(size_t size) {
  if (size < MIN_SLOT)
    size = MIN_SLOT;
  if (size > MAX_SLOT)
    return sizeof(struct ac__big) + size;
  return (size_t)size_class(size) * GRAIN;
}

static struct ac__slab *slab_of(const void *p) {
  return (struct ac__slab *)((uintptr_t)p & ~(uintptr_t)(SLAB_BYTES - 1));
}

static unsigned slot_index(const struct ac__slab *s, const void *p) {
  return (unsigned)(((const char *)p - (const char *)s - SLAB_HEADER) /
                    s->slot);
}

static void *slot_at(struct ac__slab *s, unsigned i) {
  return (char *)s + SLAB_HEADER + (size_t)i * s->slot;
}

static void list_unlink(struct ac__slab **list, struct ac__slab *s) {
  if (s->prev != NULL)
    s->prev->next = s->next;
  else
    *list = s->next;
  if (s->next != NULL)
    s->next->prev = s->prev;
  s->prev = s->next = NULL;
}

static void list_push_front(struct ac__slab **list, struct ac__slab *s) {
  s->prev = NULL;
  s->next = *list;
  if (*list != NULL)
    (*list)->prev = s;
  *list = s;
}

static int slab_full(const struct ac__slab *s) { return s->used == s->nslots; }

static struct ac__slab *slab_new(struct ac__heap *h, unsigned cls) {
  struct ac__slab *s = h->spare[cls];
  if (s != NULL) {
    h->spare[cls] = NULL;
    return s;
  }
  s = ac__map_aligned(SLAB_BYTES);
  if (s == NULL)
    return NULL;
  memset(s, 0, SLAB_HEADER);
  s->heap = h;
  s->slot = cls * GRAIN;
  s->nslots = (unsigned)((SLAB_BYTES - SLAB_HEADER) / s->slot);
  assert(s->nslots <= MAX_SLOTS);
  return s;
}

static void *big_alloc(struct ac__heap *h, size_t size) {
  if (size > SIZE_MAX - sizeof(struct ac__big))
    return NULL;
  struct ac__big *b = ac__malloc(sizeof(struct ac__big) + size);
  if (b == NULL)
    return NULL;
  b->heap = h;
  b->prev = NULL;
  b->next = h->big;
  if (h->big != NULL)
    h->big->prev = b;
  h->big = b;
  h->live++;
  return b->task;
}

void *ac__heap_alloc(struct ac__heap *h, size_t size, int *big) {
  if (ac__alloc_fails())
    return NULL;
  if (size < MIN_SLOT)
    size = MIN_SLOT;
  *big = size > MAX_SLOT;
  if (*big)
    return big_alloc(h, size);
  unsigned cls = size_class(size);
  struct ac__slab *s = h->partial[cls];
  if (s == NULL) {
    s = slab_new(h, cls);
    if (s == NULL)
      return NULL;
    list_push_front(&h->partial[cls], s);
  }
  void *p = s->free;
  unsigned i;
  if (p != NULL) {
    memcpy(&s->free, p, sizeof s->free);
    i = slot_index(s, p);
  } else {
    i = s->bump++;
    p = slot_at(s, i);
  }
  s->live[i / 64] |= (uint64_t)1 << (i % 64);
  s->used++;
  h->live++;
  if (slab_full(s)) {
    list_unlink(&h->partial[cls], s);
    list_push_front(&h->full[cls], s);
  }
  return p;
}

struct ac__heap *ac__heap_of(void *p, int big) {
  if (big)
    return ((struct ac__big *)p - 1)->heap;
  return slab_of(p)->heap;
}

static void big_free(struct ac__big *b) {
  struct ac__heap *h = b->heap;
  if (b->prev != NULL)
    b->prev->next = b->next;
  else
    h->big = b->next;
  if (b->next != NULL)
    b->next->prev = b->prev;
  h->live--;
  ac__free(b);
}

void ac__heap_free(void *p, int big) {
  if (big) {
    big_free((struct ac__big *)p - 1);
    return;
  }
  struct ac__slab *s = slab_of(p);
  struct ac__heap *h = s->heap;
  unsigned i = slot_index(s, p);
  assert(s->live[i / 64] & ((uint64_t)1 << (i % 64)));
  unsigned cls = s->slot / GRAIN;
  if (slab_full(s)) {
    list_unlink(&h->full[cls], s);
    list_push_front(&h->partial[cls], s);
  }
  s->live[i / 64] &= ~((uint64_t)1 << (i % 64));
  memcpy(p, &s->free, sizeof s->free);
  s->free = p;
  s->used--;
  h->live--;
  if (s->used == 0 && (s->prev != NULL || s->next != NULL)) {
    /* Empty, and not the class's only slab with room: keep it as the
     * spare, or free it. */
    list_unlink(&h->partial[cls], s);
    if (h->spare[cls] == NULL) {
      s->free = NULL;
      s->bump = 0;
      h->spare[cls] = s;
    } else {
      ac__unmap(s, SLAB_BYTES);
    }
  }
}

static void slabs_each(struct ac__slab *s, void (*fn)(ac_task *t, void *arg),
                       void *arg) {
  for (; s != NULL; s = s->next)
    for (unsigned w = 0; w * 64 < s->bump; w++)
      for (uint64_t bits = s->live[w]; bits != 0; bits &= bits - 1)
        fn(slot_at(s, w * 64 + (unsigned)__builtin_ctzll(bits)), arg);
}

void ac__heap_each(struct ac__heap *h, void (*fn)(ac_task *t, void *arg),
                   void *arg) {
  for (unsigned cls = 0; cls < AC__SLAB_CLASSES; cls++) {
    slabs_each(h->partial[cls], fn, arg);
    slabs_each(h->full[cls], fn, arg);
  }
  for (struct ac__big *b = h->big; b != NULL; b = b->next)
    fn((ac_task *)b->task, arg);
}

static void slabs_free(struct ac__slab **list) {
  while (*list != NULL) {
    struct ac__slab *s = *list;
    *list = s->next;
    ac__unmap(s, SLAB_BYTES);
  }
}

void ac__heap_fini(struct ac__heap *h) {
  for (unsigned cls = 0; cls < AC__SLAB_CLASSES; cls++) {
    slabs_free(&h->partial[cls]);
    slabs_free(&h->full[cls]);
    ac__unmap(h->spare[cls], SLAB_BYTES);
    h->spare[cls] = NULL;
  }
  while (h->big != NULL) {
    struct ac__big *b = h->big;
    h->big = b->next;
    ac__free(b);
  }
  h->live = 0;
}
