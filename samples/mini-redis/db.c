/* db.c -- the key space: a chained hash table whose hash starts from a
 * seed chosen at start (a fast hash, not a keyed one like redis-server's
 * SipHash: a client that knows it could choose keys that collide), and,
 * beside it, an array of the entries that have an expiry, from which the
 * active expiry picks keys at random as redis-server samples its expires
 * dictionary. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

int64_t db_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A hash of the key, 8 bytes at a time, each word mixed in with a
 * multiply and a rotation, started from the seed. */
static uint64_t hash(const struct db *db, const char *p, size_t len) {
  uint64_t h = db->seed ^ (len * 0x9e3779b97f4a7c15ULL);
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ (w * 0xff51afd7ed558ccdULL)) * 0xc4ceb9fe1a85ec53ULL;
    h = (h << 31) | (h >> 33);
  }
  uint64_t w = 0;
  memcpy(&w, p, len);
  h = (h ^ (w * 0xff51afd7ed558ccdULL)) * 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 33);
}

/* A seed from the clock and an address: the layout of the heap and the
 * time the server started are unknown to clients. */
static uint64_t make_seed(const struct db *db) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^
         (uint64_t)(uintptr_t)db;
}

int db_init(struct db *db) {
  memset(db, 0, sizeof *db);
  db->nbuckets = 16;
  db->buckets = calloc(db->nbuckets, sizeof *db->buckets);
  db->seed = make_seed(db);
  return db->buckets != NULL ? 0 : -1;
}

static void free_value(struct entry *e) {
  if (e->type == TYPE_STRING) {
    free(e->v.str.p);
    return;
  }
  for (size_t i = 0; i < e->v.list.len; i++)
    free(list_at(&e->v.list, i)->p);
  free(e->v.list.items);
}

static void free_entry(struct entry *e) {
  free_value(e);
  free(e->key.p);
  free(e);
}

void db_flush(struct db *db) {
  for (size_t i = 0; i < db->nbuckets; i++) {
    for (struct entry *e = db->buckets[i], *next; e != NULL; e = next) {
      next = e->next;
      free_entry(e);
    }
    db->buckets[i] = NULL;
  }
  db->count = 0;
  db->nexpires = 0;
}

void db_fini(struct db *db) {
  db_flush(db);
  free(db->buckets);
  free(db->expires);
  memset(db, 0, sizeof *db);
}

static struct entry **bucket_of(struct db *db, uint64_t h) {
  return &db->buckets[h & (db->nbuckets - 1)];
}

/* Doubles the table once it holds as many keys as buckets; a table that
 * cannot grow just gets longer chains. */
static void maybe_grow(struct db *db) {
  if (db->count < db->nbuckets)
    return;
  size_t n = db->nbuckets * 2;
  struct entry **b = calloc(n, sizeof *b);
  if (b == NULL)
    return;
  for (size_t i = 0; i < db->nbuckets; i++) {
    for (struct entry *e = db->buckets[i], *next; e != NULL; e = next) {
      next = e->next;
      e->next = b[e->hash & (n - 1)];
      b[e->hash & (n - 1)] = e;
    }
  }
  free(db->buckets);
  db->buckets = b;
  db->nbuckets = n;
}

static int expired(const struct entry *e, int64_t now) {
  return e->expire >= 0 && e->expire <= now;
}

struct entry *db_find(struct db *db, const char *key, size_t len) {
  uint64_t h = hash(db, key, len);
  for (struct entry *e = *bucket_of(db, h); e != NULL; e = e->next) {
    if (e->hash != h || e->key.len != len || memcmp(e->key.p, key, len) != 0)
      continue;
    if (e->expire >= 0 && expired(e, db_now())) {
      db_delete(db, e);
      return NULL;
    }
    return e;
  }
  return NULL;
}

struct entry *db_add(struct db *db, const char *key, size_t len, int type) {
  struct entry *e = calloc(1, sizeof *e);
  char *k = malloc(len != 0 ? len : 1);
  if (e == NULL || k == NULL) {
    free(e);
    free(k);
    return NULL;
  }
  memcpy(k, key, len);
  e->key = (struct str){k, len};
  e->hash = hash(db, key, len);
  e->expire = -1;
  e->type = type;
  maybe_grow(db);
  struct entry **b = bucket_of(db, e->hash);
  e->next = *b;
  *b = e;
  db->count++;
  return e;
}

void db_delete(struct db *db, struct entry *e) {
  for (struct entry **p = bucket_of(db, e->hash); *p != NULL; p = &(*p)->next) {
    if (*p == e) {
      *p = e->next;
      break;
    }
  }
  db_set_expire(db, e, -1); /* Removing cannot fail. */
  db->count--;
  free_entry(e);
}

int db_set_string(struct entry *e, const char *p, size_t len) {
  char *copy = malloc(len != 0 ? len : 1);
  if (copy == NULL)
    return -1;
  memcpy(copy, p, len);
  free_value(e);
  e->type = TYPE_STRING;
  e->v.str = (struct str){copy, len};
  return 0;
}

int db_set_expire(struct db *db, struct entry *e, int64_t when) {
  if (when < 0) {
    if (e->expire >= 0) { /* The last entry takes its place. */
      struct entry *last = db->expires[--db->nexpires];
      db->expires[e->expire_index] = last;
      last->expire_index = e->expire_index;
    }
    e->expire = -1;
    return 0;
  }
  if (e->expire < 0) {
    if (db->nexpires == db->expires_cap) {
      size_t cap = db->expires_cap != 0 ? 2 * db->expires_cap : 64;
      struct entry **a = realloc(db->expires, cap * sizeof *a);
      if (a == NULL)
        return -1;
      db->expires = a;
      db->expires_cap = cap;
    }
    e->expire_index = db->nexpires;
    db->expires[db->nexpires++] = e;
  }
  e->expire = when;
  return 0;
}

/* ---- Lists --------------------------------------------------------------- */

struct str *list_at(struct list *l, size_t i) {
  return &l->items[(l->head + i) % l->cap];
}

static int list_grow(struct list *l) {
  size_t cap = l->cap != 0 ? 2 * l->cap : 8;
  struct str *items = malloc(cap * sizeof *items);
  if (items == NULL)
    return -1;
  for (size_t i = 0; i < l->len; i++)
    items[i] = *list_at(l, i);
  free(l->items);
  l->items = items;
  l->cap = cap;
  l->head = 0;
  return 0;
}

int list_push(struct list *l, const char *p, size_t len, int head) {
  if (l->len == l->cap && list_grow(l) != 0)
    return -1;
  char *copy = malloc(len != 0 ? len : 1);
  if (copy == NULL)
    return -1;
  memcpy(copy, p, len);
  if (head)
    l->head = (l->head + l->cap - 1) % l->cap;
  l->len++;
  *list_at(l, head ? 0 : l->len - 1) = (struct str){copy, len};
  return 0;
}

/* ---- Active expiry ------------------------------------------------------- */

#define SAMPLE 20

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

size_t db_expire_cycle(struct db *db, int64_t budget_ms) {
  int64_t start = db_now();
  size_t deleted = 0, hits;
  do {
    hits = 0;
    int64_t now = db_now();
    for (int i = 0; i < SAMPLE && db->nexpires > 0; i++) {
      struct entry *e = db->expires[rng() % db->nexpires];
      if (expired(e, now)) {
        db_delete(db, e);
        hits++;
      }
    }
    deleted += hits;
  } while (hits > SAMPLE / 4 && db_now() - start < budget_ms);
  return deleted;
}
