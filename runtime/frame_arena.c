/* frame_arena.c -- per-task LIFO storage for frames sized at run time.
 *
 * Generated code embeds awaited callees' frames in the caller's frame, but
 * a recursive call or a callee defined in another file has a frame whose
 * size is only known at run time.  Such frames are nested exactly like
 * calls: the last one allocated is nearly always the first one freed.  So
 * each task owns a stack of blocks, bumped up and down inside chunks.  The
 * exception is a combinator whose branches call through stubs: a branch
 * that completes first frees its frame while a later branch's is still
 * in use.  A block freed below the top is marked, and its space comes
 * back when the blocks above it are freed too.  The chunks are
 * linked both ways; when the top chunk empties, it is kept (as `cur->next`)
 * rather than freed, so a task that repeatedly recurses and returns reaches
 * a steady state with no malloc at all.
 *
 * ac_frame_free gets only the block (drop functions have no context), so
 * each block is preceded by a header naming its arena and its size.  Every
 * block is max_align_t aligned: a chunk's data is an array of max_align_t,
 * and the header and every size are rounded up to a multiple of it. */
#include <assert.h>
#include <stdalign.h>
#include <stdint.h>

#include "internal.h"

/* Size of a chunk (header included) unless a bigger block needs more. */
#define CHUNK_BYTES 8192

struct ac__chunk {
  struct ac__chunk *prev, *next;
  size_t cap;  /* bytes of data */
  size_t used; /* bytes of data in use, from the start */
  size_t top;  /* while used > 0: where the top block's header is */
  max_align_t data[];
};

#define NO_BLOCK UINT32_MAX /* `below` of a chunk's first block */

typedef union block_header {
  struct {
    struct ac__arena *arena;
    uint32_t need;  /* bytes taken from the chunk, this header included;
                       a multiple of the alignment, with FREED or'ed in */
    uint32_t below; /* the header of the block below in the chunk */
  } h;
  max_align_t align;
} BlockHeader;

#define FREED 1u /* freed below the top: popped with the block above */

/* Bytes a block of `size` takes in a chunk: its header plus `size`, rounded
 * up to the alignment; 0 when that does not fit in a size_t. */
static size_t block_need(size_t size) {
  size_t a = alignof(max_align_t);
  if (size > UINT32_MAX - sizeof(BlockHeader) - a)
    return 0; /* a frame of 4 GiB: as if out of memory */
  return sizeof(BlockHeader) + (size + a - 1) / a * a;
}

static struct ac__chunk *chunk_new(size_t need) {
  size_t cap = CHUNK_BYTES - sizeof(struct ac__chunk);
  if (need > cap)
    cap = need;
  if (cap > SIZE_MAX - sizeof(struct ac__chunk))
    return NULL;
  struct ac__chunk *c = ac__malloc(sizeof(struct ac__chunk) + cap);
  if (c == NULL)
    return NULL;
  c->prev = c->next = NULL;
  c->cap = cap;
  c->used = 0;
  return c;
}

/* Frees `c` and every chunk after it. */
static void chunk_free_from(struct ac__chunk *c) {
  while (c != NULL) {
    struct ac__chunk *next = c->next;
    ac__free(c);
    c = next;
  }
}

void ac__arena_init(struct ac__arena *a) { a->cur = NULL; }

/* Makes the chunk after `a->cur` (or the first one) able to hold `need`
 * bytes, reusing a kept chunk when it is big enough.  Returns it, or NULL. */
static struct ac__chunk *next_chunk(struct ac__arena *a, size_t need) {
  struct ac__chunk *n = a->cur != NULL ? a->cur->next : NULL;
  if (n != NULL && n->cap >= need)
    return n;
  if (n != NULL) {
    a->cur->next = NULL;
    chunk_free_from(n);
  }
  n = chunk_new(need);
  if (n == NULL)
    return NULL;
  n->prev = a->cur;
  if (a->cur != NULL)
    a->cur->next = n;
  return n;
}

void *ac__arena_alloc(struct ac__arena *a, size_t size) {
  size_t need = block_need(size);
  if (need == 0)
    return NULL;
  struct ac__chunk *c = a->cur;
  if (c == NULL || c->cap - c->used < need) {
    c = next_chunk(a, need);
    if (c == NULL)
      return NULL;
    a->cur = c;
  }
  BlockHeader *hdr = (BlockHeader *)((char *)c->data + c->used);
  hdr->h.arena = a;
  hdr->h.need = (uint32_t)need;
  hdr->h.below = c->used > 0 ? (uint32_t)c->top : NO_BLOCK;
  c->top = c->used;
  c->used += need;
  return hdr + 1;
}

static BlockHeader *top_of(struct ac__chunk *c) {
  return (BlockHeader *)((char *)c->data + c->top);
}

/* Frees `block`.  The top block is popped, with the blocks freed earlier
 * right below it; another is only marked.  An emptied chunk stays linked
 * after the new `cur` for reuse. */
void ac__arena_free(void *block) {
  BlockHeader *hdr = (BlockHeader *)block - 1;
  struct ac__arena *a = hdr->h.arena;
  struct ac__chunk *c = a->cur;
  assert(c != NULL && c->used > 0 && "frame freed from an empty arena");
  assert(!(hdr->h.need & FREED) && "frame freed twice");
  if (hdr != top_of(c)) {
    hdr->h.need |= FREED;
    return;
  }
  for (;;) {
    c->used = c->top;
    c->top = hdr->h.below;
    while (c->used == 0) { /* (a chunk before may be empty too) */
      if (c->prev == NULL)
        return;
      a->cur = c = c->prev;
    }
    hdr = top_of(c);
    if (!(hdr->h.need & FREED))
      return;
  }
}

void ac__arena_fini(struct ac__arena *a) {
  struct ac__chunk *first = a->cur;
  while (first != NULL && first->prev != NULL)
    first = first->prev;
  chunk_free_from(first);
  a->cur = NULL;
}

void *ac_frame_alloc(ac_cx *cx, size_t size) {
  if (cx == NULL || cx->task == NULL)
    return NULL;
  /* The arena is in the task's extension, made with its first frame. */
  struct ac__task_ext *e = ac__task_ext(cx->task);
  return e != NULL ? ac__arena_alloc(&e->arena, size) : NULL;
}

void ac_frame_free(void *block) {
  if (block != NULL)
    ac__arena_free(block);
}

ac_poll ac__frame_oom(ac_cx *cx) {
  if (cx != NULL && cx->task != NULL)
    ac__task_fail(cx->task, AC_ENOMEM);
  return AC_PENDING;
}
