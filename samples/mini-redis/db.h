/* db.h -- mini-redis's key space: binary-safe keys holding strings or
 * lists, each with an optional expiry time, in one hash table.  Plain C:
 * a command runs to its end without waiting, as in redis-server, so the
 * key space needs no lock (the server runs on one worker). */
#ifndef MINI_REDIS_DB_H
#define MINI_REDIS_DB_H

#include <stddef.h>
#include <stdint.h>

enum { TYPE_STRING, TYPE_LIST };

struct str {
  char *p;
  size_t len;
};

/* A list is a ring of strings. */
struct list {
  struct str *items;
  size_t head, len, cap;
};

struct entry {
  struct entry *next; /* the hash chain */
  uint64_t hash;
  int64_t expire;      /* Unix time in ms, or -1 for none */
  size_t expire_index; /* its place in db->expires while it has one */
  int type;
  struct str key;
  union {
    struct str str;
    struct list list;
  } v;
};

struct db {
  struct entry **buckets;
  size_t nbuckets, count; /* nbuckets is a power of two */
  struct entry **expires; /* the entries that have an expiry, unordered */
  size_t nexpires, expires_cap;
  uint64_t seed;
};

/* Unix time in milliseconds (redis-server's mstime). */
int64_t db_now(void);

int db_init(struct db *db);
void db_fini(struct db *db);
/* Deletes every key. */
void db_flush(struct db *db);

/* The entry of key, or NULL; an entry whose time has come is deleted
 * instead of returned (expiry on read). */
struct entry *db_find(struct db *db, const char *key, size_t len);
/* A new entry for a key db_find did not find, of `type`, without expiry
 * and with an empty value; NULL when out of memory. */
struct entry *db_add(struct db *db, const char *key, size_t len, int type);
void db_delete(struct db *db, struct entry *e);

/* Replaces e's string value with a copy of p[0, len): 0, or -1 when out
 * of memory (e is unchanged). */
int db_set_string(struct entry *e, const char *p, size_t len);
/* Sets (when >= 0) or removes (-1) e's expiry: 0, or -1 when out of
 * memory. */
int db_set_expire(struct db *db, struct entry *e, int64_t when);

/* Inserts at the head or the tail: 0 or -1 when out of memory. */
int list_push(struct list *l, const char *p, size_t len, int head);
struct str *list_at(struct list *l, size_t i);

/* Active expiry, as redis-server's activeExpireCycle: samples up to 20
 * keys with an expiry and deletes those whose time has come, again while
 * more than a quarter of a sample had expired, for at most budget_ms.
 * Returns how many keys it deleted. */
size_t db_expire_cycle(struct db *db, int64_t budget_ms);

#endif /* MINI_REDIS_DB_H */
