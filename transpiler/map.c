/* map.c -- the transpiler's one hash table: open addressing with linear
 * probing over (hash, key, value), kept at most half full.  The caller
 * hashes the key and gives the table an equality on keys, so the same
 * table holds strings, pointers and libclang cursors (compared with
 * clang_equalCursors, the public way to tell two cursors apart). */
#include "transpiler.h"

#include <stdint.h>

void map_init(Map *m, Arena *a, MapEq eq) {
  *m = (Map){.arena = a, .eq = eq};
}

/* The slot holding key, or the empty one where it would go. */
static MapSlot *slot_of(const Map *m, unsigned hash, const void *key) {
  unsigned mask = m->cap - 1;
  for (unsigned i = hash & mask;; i = (i + 1) & mask) {
    MapSlot *s = &m->slots[i];
    if (!s->key || (s->hash == hash && m->eq(s->key, key)))
      return s;
  }
}

void *map_get(const Map *m, unsigned hash, const void *key) {
  if (!m->cap)
    return NULL;
  return slot_of(m, hash, key)->value;
}

static void grow(Map *m) {
  Map bigger = *m;
  bigger.cap = m->cap ? m->cap * 2 : 16;
  bigger.slots = arena_alloc(m->arena, sizeof(MapSlot) * bigger.cap);
  for (unsigned i = 0; i < m->cap; i++)
    if (m->slots[i].key)
      *slot_of(&bigger, m->slots[i].hash, m->slots[i].key) = m->slots[i];
  *m = bigger;
}

void map_put(Map *m, unsigned hash, const void *key, void *value) {
  if (2 * (m->len + 1) > m->cap)
    grow(m);
  MapSlot *s = slot_of(m, hash, key);
  if (!s->key) {
    s->hash = hash;
    s->key = key;
    m->len++;
  }
  s->value = value;
}

unsigned hash_mem(const void *p, size_t n) {
  const unsigned char *s = p;
  unsigned h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ s[i]) * 16777619u;
  return h;
}

unsigned hash_str(const char *s) { return hash_mem(s, strlen(s)); }

unsigned hash_ptr(const void *p) {
  uintptr_t u = (uintptr_t)p;
  return (unsigned)((u >> 4) ^ (u >> 20)) * 2654435761u;
}

bool map_eq_str(const void *a, const void *b) { return strcmp(a, b) == 0; }

bool map_eq_ptr(const void *a, const void *b) { return a == b; }

bool map_eq_cursor(const void *a, const void *b) {
  return clang_equalCursors(*(const CXCursor *)a, *(const CXCursor *)b);
}

unsigned map_hash_cursor(CXCursor c) { return clang_hashCursor(c); }

void names_add(Map *set, const char *s, size_t n) {
  char small[64];
  char *key = n < sizeof small ? small : arena_strndup(set->arena, s, n);
  if (key == small) {
    memcpy(small, s, n);
    small[n] = '\0';
  }
  unsigned h = hash_mem(s, n);
  if (map_get(set, h, key))
    return;
  char *copy = key == small ? arena_strndup(set->arena, s, n) : key;
  map_put(set, h, copy, copy);
}

bool names_has(const Map *set, const char *name) {
  return set->cap && map_get(set, hash_str(name), name) != NULL;
}
