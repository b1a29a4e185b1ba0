/* commands.c -- the commands mini-redis knows, each replying what
 * redis-server 7.0 replies, errors included: the checks come in the same
 * order, with the same messages (server.c: processCommand; t_string.c,
 * t_list.c, expire.c, db.c). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"

#define WRONGTYPE                                                              \
  "WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INTEGER "ERR value is not an integer or out of range"
#define SYNTAX "ERR syntax error"

/* What a command works with. */
struct call {
  struct db *db;
  const struct arg *argv;
  int argc;
  struct reply *out;
  const char *name; /* the command's name, as error messages give it */
  int close;        /* close the connection after the reply */
};

/* Whether argument i is `word`, in any case. */
static int is(const struct call *c, int i, const char *word) {
  size_t n = strlen(word);
  return c->argv[i].len == n && strncasecmp(c->argv[i].p, word, n) == 0;
}

static struct entry *find(struct call *c, int i) {
  return db_find(c->db, c->argv[i].p, c->argv[i].len);
}

/* Argument i as an integer: 1 and *v, or 0 with the error replied. */
static int integer_arg(struct call *c, int i, long long *v) {
  if (parse_ll(c->argv[i].p, c->argv[i].len, v))
    return 1;
  reply_error(c->out, NOT_INTEGER);
  return 0;
}

static void reply_ok(struct call *c) { reply_status(c->out, "OK"); }

static void reply_nomem(struct call *c) {
  reply_error(c->out, "OOM command not allowed when used memory > "
                      "'maxmemory'.");
}

/* The entry of key i if it is missing or holds `type`; with the
 * WRONGTYPE error replied, *ok is 0. */
static struct entry *typed(struct call *c, int i, int type, int *ok) {
  struct entry *e = find(c, i);
  *ok = e == NULL || e->type == type;
  if (!*ok)
    reply_error(c->out, WRONGTYPE);
  return e;
}

/* ---- Connection and server ----------------------------------------------- */

static void cmd_ping(struct call *c) {
  if (c->argc > 2)
    reply_error(c->out, "ERR wrong number of arguments for 'ping' command");
  else if (c->argc == 2)
    reply_bulk(c->out, c->argv[1].p, c->argv[1].len);
  else
    reply_status(c->out, "PONG");
}

static void cmd_echo(struct call *c) {
  reply_bulk(c->out, c->argv[1].p, c->argv[1].len);
}

static void cmd_quit(struct call *c) {
  reply_ok(c);
  c->close = 1;
}

static void cmd_dbsize(struct call *c) {
  reply_int(c->out, (long long)c->db->count);
}

static void cmd_flushall(struct call *c) {
  if (c->argc > 2 ||
      (c->argc == 2 && !is(c, 1, "sync") && !is(c, 1, "async"))) {
    reply_error(c->out, SYNTAX);
    return;
  }
  db_flush(c->db);
  reply_ok(c);
}

/* ---- Keys ---------------------------------------------------------------- */

static void cmd_del(struct call *c) {
  long long n = 0;
  for (int i = 1; i < c->argc; i++) {
    struct entry *e = find(c, i);
    if (e != NULL) {
      db_delete(c->db, e);
      n++;
    }
  }
  reply_int(c->out, n);
}

static void cmd_exists(struct call *c) {
  long long n = 0;
  for (int i = 1; i < c->argc; i++)
    n += find(c, i) != NULL;
  reply_int(c->out, n);
}

static void cmd_type(struct call *c) {
  struct entry *e = find(c, 1);
  reply_status(c->out, e == NULL                ? "none"
                       : e->type == TYPE_STRING ? "string"
                                                : "list");
}

/* ---- Strings ------------------------------------------------------------- */

static void cmd_get(struct call *c) {
  int ok;
  struct entry *e = typed(c, 1, TYPE_STRING, &ok);
  if (!ok)
    return;
  if (e == NULL)
    reply_null(c->out);
  else
    reply_bulk(c->out, e->v.str.p, e->v.str.len);
}

/* Sets key i to value j, dropping its expiry unless keep_ttl: its entry,
 * or NULL out of memory. */
static struct entry *set_value(struct call *c, int i, int j, int keep_ttl) {
  struct entry *e = find(c, i);
  if (e == NULL &&
      (e = db_add(c->db, c->argv[i].p, c->argv[i].len, TYPE_STRING)) == NULL)
    return NULL;
  if (db_set_string(e, c->argv[j].p, c->argv[j].len) != 0)
    return NULL;
  if (!keep_ttl)
    db_set_expire(c->db, e, -1);
  return e;
}

enum {
  SET_NX = 1,
  SET_XX = 2,
  SET_GET = 4,
  SET_KEEPTTL = 8,
  SET_EX = 16,
  SET_PX = 32,
  SET_EXAT = 64,
  SET_PXAT = 128
};
#define SET_ANY_EXPIRE (SET_EX | SET_PX | SET_EXAT | SET_PXAT)

/* SET's options, as parseExtendedStringArgumentsOrReply reads them: 1,
 * or 0 with the syntax error replied.  *expire is the index of the
 * expiry's argument, or 0. */
static int set_options(struct call *c, int *flags, int *expire) {
  static const struct {
    const char *word;
    int flag, excludes;
  } opts[] = {
      {"nx", SET_NX, SET_XX},
      {"xx", SET_XX, SET_NX},
      {"get", SET_GET, 0},
      {"keepttl", SET_KEEPTTL, SET_ANY_EXPIRE},
      {"ex", SET_EX, SET_KEEPTTL | SET_PX | SET_EXAT | SET_PXAT},
      {"px", SET_PX, SET_KEEPTTL | SET_EX | SET_EXAT | SET_PXAT},
      {"exat", SET_EXAT, SET_KEEPTTL | SET_EX | SET_PX | SET_PXAT},
      {"pxat", SET_PXAT, SET_KEEPTTL | SET_EX | SET_PX | SET_EXAT},
  };
  *flags = 0;
  *expire = 0;
  for (int j = 3; j < c->argc; j++) {
    size_t k = 0, nopts = sizeof opts / sizeof opts[0];
    while (k < nopts && !is(c, j, opts[k].word))
      k++;
    int takes_value = k < nopts && (opts[k].flag & SET_ANY_EXPIRE) != 0;
    if (k == nopts || (*flags & opts[k].excludes) ||
        (takes_value && j == c->argc - 1)) {
      reply_error(c->out, SYNTAX);
      return 0;
    }
    *flags |= opts[k].flag;
    if (takes_value)
      *expire = ++j;
  }
  return 1;
}

/* The expiry time of SET's option, in Unix ms: 1 and *when, or 0 with
 * the error replied. */
static int set_expire_time(struct call *c, int flags, int i, int64_t *when) {
  long long ms;
  if (!integer_arg(c, i, &ms))
    return 0;
  int seconds = flags & (SET_EX | SET_EXAT);
  if (ms <= 0 || (seconds && ms > LLONG_MAX / 1000)) {
    reply_error(c->out, "ERR invalid expire time in 'set' command");
    return 0;
  }
  if (seconds)
    ms *= 1000;
  if (flags & (SET_EX | SET_PX)) {
    int64_t now = db_now();
    if (ms > LLONG_MAX - now) { /* redis-server sees the sum wrap */
      reply_error(c->out, "ERR invalid expire time in 'set' command");
      return 0;
    }
    ms += now;
  }
  *when = ms;
  return 1;
}

static void cmd_set(struct call *c) {
  int flags, expire_arg;
  int64_t when = -1;
  if (!set_options(c, &flags, &expire_arg))
    return;
  if (expire_arg != 0 && !set_expire_time(c, flags, expire_arg, &when))
    return;
  if (flags & SET_GET) {
    int ok;
    struct entry *old = typed(c, 1, TYPE_STRING, &ok);
    if (!ok)
      return;
    if (old == NULL)
      reply_null(c->out);
    else
      reply_bulk(c->out, old->v.str.p, old->v.str.len);
  }
  if (flags & (SET_NX | SET_XX)) {
    int found = find(c, 1) != NULL;
    if (((flags & SET_NX) && found) || ((flags & SET_XX) && !found)) {
      if (!(flags & SET_GET))
        reply_null(c->out);
      return;
    }
  }
  struct entry *e = set_value(c, 1, 2, flags & SET_KEEPTTL);
  if (e == NULL) {
    reply_nomem(c);
    return;
  }
  if (when >= 0 && db_set_expire(c->db, e, when) != 0) {
    reply_nomem(c);
    return;
  }
  if (!(flags & SET_GET))
    reply_ok(c);
}

static void cmd_mget(struct call *c) {
  reply_array(c->out, c->argc - 1);
  for (int i = 1; i < c->argc; i++) {
    struct entry *e = find(c, i);
    if (e == NULL || e->type != TYPE_STRING)
      reply_null(c->out);
    else
      reply_bulk(c->out, e->v.str.p, e->v.str.len);
  }
}

static void cmd_mset(struct call *c) {
  if (c->argc % 2 == 0) {
    reply_error(c->out, "ERR wrong number of arguments for 'mset' command");
    return;
  }
  for (int i = 1; i < c->argc; i += 2) {
    if (set_value(c, i, i + 1, 0) == NULL) {
      reply_nomem(c);
      return;
    }
  }
  reply_ok(c);
}

/* incrDecrCommand: the key's integer plus `by`, stored as its decimal
 * text; the expiry stays. */
static void incr_by(struct call *c, long long by) {
  int ok;
  struct entry *e = typed(c, 1, TYPE_STRING, &ok);
  long long v = 0;
  if (!ok)
    return;
  if (e != NULL && !parse_ll(e->v.str.p, e->v.str.len, &v)) {
    reply_error(c->out, NOT_INTEGER);
    return;
  }
  if ((by < 0 && v < 0 && by < LLONG_MIN - v) ||
      (by > 0 && v > 0 && by > LLONG_MAX - v)) {
    reply_error(c->out, "ERR increment or decrement would overflow");
    return;
  }
  v += by;
  char text[24];
  int n = snprintf(text, sizeof text, "%lld", v);
  if (e == NULL &&
      (e = db_add(c->db, c->argv[1].p, c->argv[1].len, TYPE_STRING)) == NULL) {
    reply_nomem(c);
    return;
  }
  if (db_set_string(e, text, (size_t)n) != 0) {
    reply_nomem(c);
    return;
  }
  reply_int(c->out, v);
}

static void cmd_incr(struct call *c) { incr_by(c, 1); }

static void cmd_decr(struct call *c) { incr_by(c, -1); }

static void cmd_incrby(struct call *c) {
  long long by;
  if (integer_arg(c, 2, &by))
    incr_by(c, by);
}

static void cmd_decrby(struct call *c) {
  long long by;
  if (!integer_arg(c, 2, &by))
    return;
  if (by == LLONG_MIN)
    reply_error(c->out, "ERR decrement would overflow");
  else
    incr_by(c, -by);
}

/* ---- Expiry -------------------------------------------------------------- */

enum { EXP_NX = 1, EXP_XX = 2, EXP_GT = 4, EXP_LT = 8 };

/* EXPIRE's options (parseExtendedExpireArgumentsOrReply): 1 and *flags,
 * or 0 with the error replied. */
static int expire_options(struct call *c, int *flags) {
  *flags = 0;
  for (int j = 3; j < c->argc; j++) {
    if (is(c, j, "nx"))
      *flags |= EXP_NX;
    else if (is(c, j, "xx"))
      *flags |= EXP_XX;
    else if (is(c, j, "gt"))
      *flags |= EXP_GT;
    else if (is(c, j, "lt"))
      *flags |= EXP_LT;
    else {
      reply_error(c->out, "ERR Unsupported option %.*s", (int)c->argv[j].len,
                  c->argv[j].p);
      return 0;
    }
  }
  if ((*flags & EXP_NX) && (*flags & (EXP_XX | EXP_GT | EXP_LT))) {
    reply_error(c->out, "ERR NX and XX, GT or LT options at the same time "
                        "are not compatible");
    return 0;
  }
  if ((*flags & EXP_GT) && (*flags & EXP_LT)) {
    reply_error(c->out,
                "ERR GT and LT options at the same time are not compatible");
    return 0;
  }
  return 1;
}

/* Whether the options let an expiry of `when` replace `current` (-1:
 * none, an infinite time). */
static int expire_allowed(int flags, int64_t current, int64_t when) {
  if ((flags & EXP_NX) && current != -1)
    return 0;
  if ((flags & EXP_XX) && current == -1)
    return 0;
  if ((flags & EXP_GT) && (when <= current || current == -1))
    return 0;
  if ((flags & EXP_LT) && current != -1 && when >= current)
    return 0;
  return 1;
}

/* expireGenericCommand, relative to now, in seconds or milliseconds. */
static void expire_generic(struct call *c, int seconds) {
  int flags;
  long long when;
  if (!expire_options(c, &flags) || !integer_arg(c, 2, &when))
    return;
  int64_t now = db_now();
  if ((seconds && (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000)) ||
      (seconds ? when * 1000 : when) > LLONG_MAX - now) {
    reply_error(c->out, "ERR invalid expire time in '%s' command", c->name);
    return;
  }
  when = (seconds ? when * 1000 : when) + now;
  struct entry *e = find(c, 1);
  if (e == NULL || !expire_allowed(flags, e->expire, when)) {
    reply_int(c->out, 0);
    return;
  }
  if (when <= db_now())
    db_delete(c->db, e);
  else if (db_set_expire(c->db, e, when) != 0) {
    reply_nomem(c);
    return;
  }
  reply_int(c->out, 1);
}

static void cmd_expire(struct call *c) { expire_generic(c, 1); }

static void cmd_pexpire(struct call *c) { expire_generic(c, 0); }

static void ttl_generic(struct call *c, int ms) {
  struct entry *e = find(c, 1);
  if (e == NULL) {
    reply_int(c->out, -2);
    return;
  }
  if (e->expire < 0) {
    reply_int(c->out, -1);
    return;
  }
  int64_t ttl = e->expire - db_now();
  if (ttl < 0)
    ttl = 0;
  reply_int(c->out, ms ? ttl : (ttl + 500) / 1000);
}

static void cmd_ttl(struct call *c) { ttl_generic(c, 0); }

static void cmd_pttl(struct call *c) { ttl_generic(c, 1); }

static void cmd_persist(struct call *c) {
  struct entry *e = find(c, 1);
  int had = e != NULL && e->expire >= 0;
  if (had)
    db_set_expire(c->db, e, -1);
  reply_int(c->out, had);
}

/* ---- Lists --------------------------------------------------------------- */

static void push_generic(struct call *c, int head) {
  int ok;
  struct entry *e = typed(c, 1, TYPE_LIST, &ok);
  if (!ok)
    return;
  if (e == NULL &&
      (e = db_add(c->db, c->argv[1].p, c->argv[1].len, TYPE_LIST)) == NULL) {
    reply_nomem(c);
    return;
  }
  for (int i = 2; i < c->argc; i++) {
    if (list_push(&e->v.list, c->argv[i].p, c->argv[i].len, head) != 0) {
      reply_nomem(c);
      return;
    }
  }
  reply_int(c->out, (long long)e->v.list.len);
}

static void cmd_lpush(struct call *c) { push_generic(c, 1); }

static void cmd_rpush(struct call *c) { push_generic(c, 0); }

static void cmd_llen(struct call *c) {
  int ok;
  struct entry *e = typed(c, 1, TYPE_LIST, &ok);
  if (ok)
    reply_int(c->out, e != NULL ? (long long)e->v.list.len : 0);
}

/* addListRangeReply: elements start..end (negative: from the end),
 * backwards if `reverse`. */
static void list_range(struct call *c, struct list *l, long long start,
                       long long end, int reverse) {
  long long len = (long long)l->len;
  if (start < 0)
    start += len;
  if (end < 0)
    end += len;
  if (start < 0)
    start = 0;
  if (start > end || start >= len) {
    reply_array(c->out, 0);
    return;
  }
  if (end >= len)
    end = len - 1;
  reply_array(c->out, end - start + 1);
  for (long long i = start; i <= end; i++) {
    struct str *s = list_at(l, (size_t)(reverse ? end - (i - start) : i));
    reply_bulk(c->out, s->p, s->len);
  }
}

static void cmd_lrange(struct call *c) {
  long long start, end;
  if (!integer_arg(c, 2, &start) || !integer_arg(c, 3, &end))
    return;
  int ok;
  struct entry *e = typed(c, 1, TYPE_LIST, &ok);
  if (!ok)
    return;
  if (e == NULL)
    reply_array(c->out, 0);
  else
    list_range(c, &e->v.list, start, end, 0);
}

/* Removes n elements from the head or the tail; deletes the key once the
 * list is empty. */
static void list_remove(struct call *c, struct entry *e, size_t n, int head) {
  struct list *l = &e->v.list;
  for (size_t i = 0; i < n; i++) {
    struct str *s = list_at(l, head ? 0 : l->len - 1);
    free(s->p);
    if (head)
      l->head = (l->head + 1) % l->cap;
    l->len--;
  }
  if (l->len == 0)
    db_delete(c->db, e);
}

static void pop_generic(struct call *c, int head) {
  long long count = 0;
  if (c->argc > 3) {
    reply_error(c->out, "ERR wrong number of arguments for '%s' command",
                c->name);
    return;
  }
  if (c->argc == 3 &&
      (!parse_ll(c->argv[2].p, c->argv[2].len, &count) || count < 0)) {
    reply_error(c->out, "ERR value is out of range, must be positive");
    return;
  }
  int ok;
  struct entry *e = typed(c, 1, TYPE_LIST, &ok);
  if (!ok)
    return;
  if (e == NULL) {
    reply_raw(c->out, c->argc == 3 ? "*-1\r\n" : "$-1\r\n", 5);
    return;
  }
  if (c->argc == 3 && count == 0) {
    reply_array(c->out, 0);
    return;
  }
  if (c->argc == 2) {
    struct str *s = list_at(&e->v.list, head ? 0 : e->v.list.len - 1);
    reply_bulk(c->out, s->p, s->len);
    list_remove(c, e, 1, head);
    return;
  }
  long long n =
      count < (long long)e->v.list.len ? count : (long long)e->v.list.len;
  list_range(c, &e->v.list, head ? 0 : -n, head ? n - 1 : -1, !head);
  list_remove(c, e, (size_t)n, head);
}

static void cmd_lpop(struct call *c) { pop_generic(c, 1); }

static void cmd_rpop(struct call *c) { pop_generic(c, 0); }

/* ---- Dispatch ------------------------------------------------------------ */

static const struct command {
  const char *name;
  size_t len;
  int arity; /* n: exactly n arguments, -n: at least n (with the name) */
  void (*run)(struct call *c);
} commands[] = {
#define CMD(name, arity) {#name, sizeof #name - 1, arity, cmd_##name}
    CMD(get, 2),
    CMD(set, -3),
    CMD(ping, -1),
    CMD(incr, 2),
    CMD(mget, -2),
    CMD(mset, -3),
    CMD(del, -2),
    CMD(exists, -2),
    CMD(echo, 2),
    CMD(decr, 2),
    CMD(incrby, 3),
    CMD(decrby, 3),
    CMD(expire, -3),
    CMD(pexpire, -3),
    CMD(ttl, 2),
    CMD(pttl, 2),
    CMD(persist, 2),
    CMD(dbsize, 1),
    CMD(flushall, -1),
    CMD(quit, -1),
    CMD(lpush, -3),
    CMD(rpush, -3),
    CMD(lpop, -2),
    CMD(rpop, -2),
    CMD(llen, 2),
    CMD(lrange, 4),
    CMD(type, 2),
#undef CMD
};

static const struct command *lookup(const struct arg *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    const struct command *cmd = &commands[i];
    if (name->len == cmd->len && (name->p[0] | 0x20) == cmd->name[0] &&
        strncasecmp(name->p, cmd->name, cmd->len) == 0)
      return &commands[i];
  }
  return NULL;
}

/* The bytes of an argument that printf's "%.*s" prints: up to its first
 * NUL, as redis-server formats a C string. */
static int c_len(const struct arg *a, int max) {
  const char *nul = memchr(a->p, '\0', a->len);
  size_t n = nul != NULL ? (size_t)(nul - a->p) : a->len;
  return n < (size_t)max ? (int)n : max;
}

/* commandCheckExistence's message: the name and up to 128 bytes of the
 * arguments, each quoted and followed by a space. */
static void reply_unknown(struct reply *out, const struct request *req) {
  char args[256];
  size_t len = 0;
  args[0] = '\0';
  for (int i = 1; i < req->argc && len < 128; i++) {
    int n = c_len(&req->argv[i], 128 - (int)len);
    len += (size_t)snprintf(args + len, sizeof args - len, "'%.*s' ", n,
                            req->argv[i].p);
  }
  reply_error(out, "ERR unknown command '%.*s', with args beginning with: %s",
              c_len(&req->argv[0], 128), req->argv[0].p, args);
}

int command_run(struct db *db, const struct request *req, struct reply *out) {
  const struct command *cmd = lookup(&req->argv[0]);
  if (cmd == NULL) {
    reply_unknown(out, req);
    return 0;
  }
  if ((cmd->arity > 0 && req->argc != cmd->arity) || req->argc < -cmd->arity) {
    reply_error(out, "ERR wrong number of arguments for '%s' command",
                cmd->name);
    return 0;
  }
  struct call c = {db, req->argv, req->argc, out, cmd->name, 0};
  cmd->run(&c);
  return c.close;
}
