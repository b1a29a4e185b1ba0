/* arena.c -- one bump allocator per translation unit, freed once at exit. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

typedef struct Chunk {
  struct Chunk *next;
  size_t used, size;
  _Alignas(max_align_t) unsigned char mem[];
} Chunk;

struct Arena {
  Chunk *head;
};

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    fprintf(stderr, "asyncc: out of memory\n");
    exit(1);
  }
  return p;
}

Arena *arena_new(void) {
  Arena *a = xmalloc(sizeof *a);
  a->head = NULL;
  return a;
}

void arena_free(Arena *a) {
  for (Chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

/* Uninitialised storage, for callers that fill all of it at once. */
static void *alloc_uninit(Arena *a, size_t size) {
  size = (size + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
  Chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
    c = xmalloc(sizeof *c + cap);
    c->size = cap;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->mem + c->used;
  c->used += size;
  return p;
}

void *arena_alloc(Arena *a, size_t size) {
  void *p = alloc_uninit(a, size);
  memset(p, 0, size);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = alloc_uninit(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(Arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

/* Formats once with buf_vprintf, then copies the text into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return buf_take(a, &b);
}

char *arena_cxstr(Arena *a, CXString s) {
  const char *c = clang_getCString(s);
  char *p = arena_strdup(a, c ? c : "");
  clang_disposeString(s);
  return p;
}

void vec_push(Arena *a, Vec *v, void *item) {
  if (v->len == v->cap) {
    int cap = v->cap ? v->cap * 2 : 8;
    void **items = alloc_uninit(a, sizeof(void *) * (size_t)cap);
    if (v->len)
      memcpy(items, v->items, sizeof(void *) * (size_t)v->len);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
}

bool vec_has(const Vec *v, const void *item) {
  for (int i = 0; i < v->len; i++)
    if (v->items[i] == item)
      return true;
  return false;
}

char *arena_cat(Arena *a, ...) {
  va_list ap;
  size_t n = 0;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));)
    n += strlen(s);
  va_end(ap);
  char *out = alloc_uninit(a, n + 1), *w = out;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));) {
    size_t k = strlen(s);
    memcpy(w, s, k);
    w += k;
  }
  va_end(ap);
  *w = '\0';
  return out;
}
