/* arena.c -- one bump allocator per translation unit, freed once at exit. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

typedef struct Chunk {
  struct Chunk *next;
  size_t used, size;
  _Alignas(max_align_t) unsigned char data[];
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
  void *p = c->data + c->used;
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

static unsigned name_hash(const char *s, size_t n) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* The slot holding the n characters at s, or the empty slot where they
 * would go. */
static char **name_slot(const NameSet *set, const char *s, size_t n) {
  unsigned mask = set->cap - 1;
  for (unsigned i = name_hash(s, n) & mask;; i = (i + 1) & mask) {
    char *t = set->slots[i];
    if (!t || (strncmp(t, s, n) == 0 && t[n] == '\0'))
      return &set->slots[i];
  }
}

void names_add(Arena *a, NameSet *set, const char *s, size_t n) {
  if (2 * (set->len + 1) > set->cap) {
    NameSet bigger = {NULL, set->cap ? set->cap * 2 : 64, set->len};
    bigger.slots = arena_alloc(a, sizeof(char *) * bigger.cap);
    for (unsigned i = 0; i < set->cap; i++) {
      char *t = set->slots[i];
      if (t)
        *name_slot(&bigger, t, strlen(t)) = t;
    }
    *set = bigger;
  }
  char **slot = name_slot(set, s, n);
  if (!*slot) {
    *slot = arena_strndup(a, s, n);
    set->len++;
  }
}

bool names_has(const NameSet *set, const char *name) {
  return set->cap && *name_slot(set, name, strlen(name));
}
