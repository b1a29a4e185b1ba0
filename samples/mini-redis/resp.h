/* resp.h -- RESP2, the Redis protocol: requests parsed in place from the
 * bytes a connection has buffered, and replies built into a buffer that
 * the connection writes out in one go.  Plain C: nothing here waits. */
#ifndef MINI_REDIS_RESP_H
#define MINI_REDIS_RESP_H

#include <stddef.h>

/* The longest inline request and bulk count line redis-server accepts. */
#define RESP_INLINE_MAX (64 * 1024)
/* The longest bulk argument (redis-server's proto-max-bulk-len). */
#define RESP_BULK_MAX (512L * 1024 * 1024)

/* One argument: bytes in the connection's buffer, or in the request's
 * scratch space for an inline request whose quotes were unescaped. */
struct arg {
  const char *p;
  size_t len;
};

struct request {
  struct arg *argv; /* argc arguments */
  int argc, cap;
  char *scratch; /* unescaped inline arguments */
  size_t scratch_cap;
  size_t need;       /* after RESP_INCOMPLETE: bytes to wait for */
  const char *error; /* after RESP_ERROR: the reply, "ERR Protocol ..." */
  char error_buf[64];
};

enum { RESP_COMPLETE, RESP_INCOMPLETE, RESP_ERROR, RESP_NOMEM };

void request_init(struct request *r);
void request_fini(struct request *r);

/* Parses one request from buf[0, len).  RESP_COMPLETE: req->argv holds
 * it (argc may be 0 for an empty line or array, which redis-server
 * ignores) and *used the bytes it took; RESP_INCOMPLETE: more bytes are
 * needed, at least req->need in all; RESP_ERROR: a protocol error,
 * req->error says which, and the connection must be closed after
 * replying, as redis-server does; RESP_NOMEM. */
int resp_parse(const char *buf, size_t len, struct request *req, size_t *used);

/* ---- Replies ------------------------------------------------------------- */

struct reply {
  char *buf;
  size_t len, cap;
  int oom; /* an append failed: the connection is dropped */
};

void reply_init(struct reply *r);
void reply_fini(struct reply *r);
void reply_raw(struct reply *r, const char *p, size_t len);
void reply_status(struct reply *r, const char *s);      /* +s */
void reply_error(struct reply *r, const char *fmt, ...) /* -msg */
    __attribute__((format(printf, 2, 3)));
void reply_int(struct reply *r, long long v); /* :v */
void reply_bulk(struct reply *r, const char *p, size_t len);
void reply_null(struct reply *r);               /* $-1 */
void reply_array(struct reply *r, long long n); /* *n */

/* redis-server's string2ll: a decimal integer with no sign but '-', no
 * leading zero, no space; 1 and *v if s is one, else 0. */
int parse_ll(const char *s, size_t len, long long *v);

#endif /* MINI_REDIS_RESP_H */
