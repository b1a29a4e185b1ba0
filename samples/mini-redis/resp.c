/* resp.c -- RESP2 requests and replies, as redis-server 7.0 reads and
 * writes them (networking.c: processMultibulkBuffer, processInlineBuffer;
 * sds.c: sdssplitargs), so that malformed input gets the same errors.
 *
 * A request is parsed from the start each time more bytes arrive: the
 * parser keeps no state between calls, and a complete request's
 * arguments point into the caller's bytes.  Requests are small, so
 * parsing one again costs little, and the connection's buffer is what
 * they live in: no argument is copied. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"

void request_init(struct request *r) { memset(r, 0, sizeof *r); }

void request_fini(struct request *r) {
  free(r->argv);
  free(r->scratch);
  request_init(r);
}

static int push_arg(struct request *r, const char *p, size_t len) {
  if (r->argc == r->cap) {
    int cap = r->cap != 0 ? 2 * r->cap : 8;
    struct arg *argv = realloc(r->argv, (size_t)cap * sizeof *argv);
    if (argv == NULL)
      return 0;
    r->argv = argv;
    r->cap = cap;
  }
  r->argv[r->argc++] = (struct arg){p, len};
  return 1;
}

static int fail(struct request *r, const char *msg) {
  r->error = msg;
  return RESP_ERROR;
}

static int incomplete(struct request *r, size_t need) {
  r->need = need;
  return RESP_INCOMPLETE;
}

int parse_ll(const char *s, size_t len, long long *v) {
  const char *p = s;
  const char *end = s + len;
  int negative = 0;
  if (len == 0 || len >= 21)
    return 0;
  if (len == 1 && p[0] == '0') {
    *v = 0;
    return 1;
  }
  if (*p == '-') {
    negative = 1;
    if (++p == end)
      return 0;
  }
  if (*p < '1' || *p > '9')
    return 0;
  unsigned long long u = 0;
  for (; p < end && *p >= '0' && *p <= '9'; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (u > (ULLONG_MAX - d) / 10)
      return 0;
    u = u * 10 + d;
  }
  if (p != end)
    return 0;
  if (negative) {
    if (u > (unsigned long long)LLONG_MAX + 1)
      return 0;
    *v = u == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)u;
  } else {
    if (u > LLONG_MAX)
      return 0;
    *v = (long long)u;
  }
  return 1;
}

/* The first `c` in buf[pos, len) before any NUL, or NULL: redis-server
 * looks for a line's end with strchr in its NUL-terminated buffer, so a
 * NUL hides what follows it (the request then waits for more bytes). */
static const char *find(const char *buf, size_t len, size_t pos, char c) {
  for (const char *p = buf + pos, *end = buf + len; p < end; p++) {
    if (*p == c)
      return p;
    if (*p == '\0')
      return NULL;
  }
  return NULL;
}

/* The line at buf[pos] up to its '\r': 1 and *nl if it is there with
 * one byte after it (redis-server skips that byte, whatever it is). */
static int line_at(const char *buf, size_t len, size_t pos, size_t *nl) {
  const char *cr = find(buf, len, pos, '\r');
  if (cr == NULL || (size_t)(cr - buf) + 2 > len)
    return 0;
  *nl = (size_t)(cr - buf);
  return 1;
}

/* *N\r\n followed by N times $LEN\r\nBYTES\r\n. */
static int parse_multibulk(const char *buf, size_t len, struct request *r,
                           size_t *used) {
  size_t nl;
  long long n;
  if (!line_at(buf, len, 0, &nl)) {
    if (len > RESP_INLINE_MAX && find(buf, len, 0, '\r') == NULL)
      return fail(r, "ERR Protocol error: too big mbulk count string");
    return incomplete(r, len + 1);
  }
  if (!parse_ll(buf + 1, nl - 1, &n) || n > INT_MAX)
    return fail(r, "ERR Protocol error: invalid multibulk length");
  size_t pos = nl + 2;
  for (long long i = 0; i < n; i++) {
    long long blen;
    if (pos == len || !line_at(buf, len, pos, &nl)) {
      if (len - pos > RESP_INLINE_MAX && find(buf, len, pos, '\r') == NULL)
        return fail(r, "ERR Protocol error: too big bulk count string");
      return incomplete(r, len + 1);
    }
    if (buf[pos] != '$') {
      snprintf(r->error_buf, sizeof r->error_buf,
               "ERR Protocol error: expected '$', got '%c'", buf[pos]);
      return fail(r, r->error_buf);
    }
    if (!parse_ll(buf + pos + 1, nl - pos - 1, &blen) || blen < 0 ||
        blen > RESP_BULK_MAX)
      return fail(r, "ERR Protocol error: invalid bulk length");
    pos = nl + 2;
    if (len - pos < (size_t)blen + 2)
      return incomplete(r, pos + (size_t)blen + 2);
    if (!push_arg(r, buf + pos, (size_t)blen))
      return RESP_NOMEM;
    pos += (size_t)blen + 2;
  }
  *used = pos;
  return RESP_COMPLETE;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The escape after a backslash inside double quotes; *p at the
 * backslash, left at the escape's last byte. */
static char unescape(const char **p, const char *end) {
  const char *s = *p;
  if (end - s >= 4 && s[1] == 'x' && hex_value(s[2]) >= 0 &&
      hex_value(s[3]) >= 0) {
    *p = s + 3;
    return (char)(hex_value(s[2]) * 16 + hex_value(s[3]));
  }
  *p = s + 1;
  switch (s[1]) {
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  case 'b':
    return '\b';
  case 'a':
    return '\a';
  }
  return s[1];
}

/* Splits line[0, len) into arguments as sdssplitargs does: blanks
 * separate, "double quotes" take escapes, 'single quotes' only \', and a
 * closing quote must end the argument.  The unescaped bytes go to the
 * scratch space.  0 on unbalanced quotes, -1 when out of memory. */
static int split_args(const char *line, size_t len, struct request *r) {
  if (len > r->scratch_cap) {
    char *s = realloc(r->scratch, len);
    if (s == NULL)
      return -1;
    r->scratch = s;
    r->scratch_cap = len;
  }
  const char *p = line, *end = line + len;
  char *out = r->scratch;
  for (;;) {
    while (p < end && is_space(*p))
      p++;
    if (p == end)
      return 1;
    char *start = out;
    int dq = 0, sq = 0;
    for (;; p++) {
      if (dq) {
        if (p == end)
          return 0;
        if (*p == '\\' && p + 1 < end)
          *out++ = unescape(&p, end);
        else if (*p == '"' && p + 1 < end && !is_space(p[1]))
          return 0;
        else if (*p == '"')
          dq = 0, p++;
        else
          *out++ = *p;
        if (!dq)
          break;
      } else if (sq) {
        if (p == end)
          return 0;
        if (*p == '\\' && p + 1 < end && p[1] == '\'')
          *out++ = *++p;
        else if (*p == '\'' && p + 1 < end && !is_space(p[1]))
          return 0;
        else if (*p == '\'')
          sq = 0, p++;
        else
          *out++ = *p;
        if (!sq)
          break;
      } else if (p == end || *p == ' ' || *p == '\n' || *p == '\r' ||
                 *p == '\t') {
        break;
      } else if (*p == '"') {
        dq = 1;
      } else if (*p == '\'') {
        sq = 1;
      } else {
        *out++ = *p;
      }
    }
    if (!push_arg(r, start, (size_t)(out - start)))
      return -1;
  }
}

/* A line of blank-separated arguments, ended by "\n" or "\r\n". */
static int parse_inline(const char *buf, size_t len, struct request *r,
                        size_t *used) {
  const char *lf = find(buf, len, 0, '\n');
  if (lf == NULL) {
    if (len > RESP_INLINE_MAX)
      return fail(r, "ERR Protocol error: too big inline request");
    return incomplete(r, len + 1);
  }
  size_t qlen = (size_t)(lf - buf);
  if (qlen > 0 && buf[qlen - 1] == '\r')
    qlen--;
  int ok = split_args(buf, qlen, r);
  if (ok < 0)
    return RESP_NOMEM;
  if (ok == 0)
    return fail(r, "ERR Protocol error: unbalanced quotes in request");
  *used = (size_t)(lf - buf) + 1;
  return RESP_COMPLETE;
}

int resp_parse(const char *buf, size_t len, struct request *req, size_t *used) {
  req->argc = 0;
  req->error = NULL;
  if (len == 0)
    return incomplete(req, 1);
  if (buf[0] == '*')
    return parse_multibulk(buf, len, req, used);
  return parse_inline(buf, len, req, used);
}

/* ---- Replies ------------------------------------------------------------- */

void reply_init(struct reply *r) { memset(r, 0, sizeof *r); }

void reply_fini(struct reply *r) {
  free(r->buf);
  reply_init(r);
}

void reply_raw(struct reply *r, const char *p, size_t len) {
  if (r->cap - r->len < len) {
    size_t cap = r->cap != 0 ? r->cap : 4096;
    while (cap - r->len < len)
      cap *= 2;
    char *buf = realloc(r->buf, cap);
    if (buf == NULL) {
      r->oom = 1;
      return;
    }
    r->buf = buf;
    r->cap = cap;
  }
  memcpy(r->buf + r->len, p, len);
  r->len += len;
}

/* "<prefix><n>\r\n" */
static void reply_number(struct reply *r, char prefix, long long n) {
  char line[32];
  int len = snprintf(line, sizeof line, "%c%lld\r\n", prefix, n);
  reply_raw(r, line, (size_t)len);
}

void reply_status(struct reply *r, const char *s) {
  reply_raw(r, "+", 1);
  reply_raw(r, s, strlen(s));
  reply_raw(r, "\r\n", 2);
}

/* As redis-server's addReplyErrorFormat: newlines in the message become
 * spaces, so that the reply stays one line. */
void reply_error(struct reply *r, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t len = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
  for (size_t i = 0; i < len; i++)
    if (msg[i] == '\r' || msg[i] == '\n')
      msg[i] = ' ';
  reply_raw(r, "-", 1);
  reply_raw(r, msg, len);
  reply_raw(r, "\r\n", 2);
}

void reply_int(struct reply *r, long long v) { reply_number(r, ':', v); }

void reply_bulk(struct reply *r, const char *p, size_t len) {
  reply_number(r, '$', (long long)len);
  reply_raw(r, p, len);
  reply_raw(r, "\r\n", 2);
}

void reply_null(struct reply *r) { reply_raw(r, "$-1\r\n", 5); }

void reply_array(struct reply *r, long long n) { reply_number(r, '*', n); }
