/* http.c -- HTTP/1.1 request heads (RFC 9112) and response heads.
 *
 * A head is parsed once it is whole: http_parse first looks for the
 * empty line that ends it, remembering how far it looked, so that bytes
 * arriving one at a time are scanned once.  The parsed request points
 * into the caller's bytes, except for the path, which is decoded into
 * the request. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, strncasecmp */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* RFC 9110's tchar: the characters of a token (a method, a header's
 * name). */
static int is_tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-.^_`|~", c));
}

/* The end of the head in buf[0, len): the offset just past its empty
 * line, or 0.  Lines end with "\r\n" or, leniently, "\n". */
static size_t head_end(const char *buf, size_t len, size_t *scanned) {
  size_t i = *scanned > 2 ? *scanned - 2 : 0;
  for (; i < len; i++) {
    const char *lf = memchr(buf + i, '\n', len - i);
    if (lf == NULL)
      break;
    i = (size_t)(lf - buf);
    if (i + 1 < len && buf[i + 1] == '\n')
      return i + 2;
    if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
      return i + 3;
    if (i + 2 >= len)
      break;
  }
  *scanned = len;
  return 0;
}

/* The line at *p, without its "\r\n" or "\n"; *p moves past it. */
static struct span next_line(const char **p, const char *end) {
  const char *lf = memchr(*p, '\n', (size_t)(end - *p));
  struct span line = {*p, (size_t)(lf - *p)};
  if (line.len > 0 && line.p[line.len - 1] == '\r')
    line.len--;
  *p = lf + 1;
  return line;
}

static int span_is(struct span s, const char *word) {
  size_t n = strlen(word);
  return s.len == n && strncasecmp(s.p, word, n) == 0;
}

static int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = (char)(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes the target's path into req->path, percent escapes undone and
 * "." and ".." segments resolved: 0, or the status to answer. */
static int decode_path(struct http_request *req) {
  const char *t = req->target.p;
  size_t n = req->target.len;
  const char *q = memchr(t, '?', n);
  size_t plen = q != NULL ? (size_t)(q - t) : n;
  req->query =
      q != NULL ? (struct span){q + 1, n - plen - 1} : (struct span){t + n, 0};
  if (plen == 0 || t[0] != '/')
    return 400;
  char *out = req->path;
  size_t o = 0;
  for (size_t i = 0; i < plen; i++) {
    char c = t[i];
    if (c == '%') {
      int hi = i + 2 < plen ? hex(t[i + 1]) : -1;
      int lo = i + 2 < plen ? hex(t[i + 2]) : -1;
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
        return 400;
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    if (o + 1 >= HTTP_PATH_MAX)
      return 414;
    out[o++] = c;
    /* A segment just ended: drop it if it was ".", or it and the one
     * before if it was "..". */
    if (c == '/' || i + 1 == plen) {
      size_t end = c == '/' ? o - 1 : o;
      size_t start = end;
      while (start > 0 && out[start - 1] != '/')
        start--;
      size_t seg = end - start;
      if (seg == 1 && out[start] == '.') {
        o = start;
      } else if (seg == 2 && out[start] == '.' && out[start + 1] == '.') {
        if (start <= 1)
          return 400; /* above the root */
        size_t prev = start - 1;
        while (prev > 0 && out[prev - 1] != '/')
          prev--;
        o = prev;
      }
    }
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return 0;
}

/* "METHOD SP TARGET SP HTTP/1.x": 0, or the status to answer. */
static int request_line(struct span line, struct http_request *req) {
  const char *p = line.p, *end = line.p + line.len;
  const char *m = p;
  while (p < end && is_tchar((unsigned char)*p))
    p++;
  if (p == m || p == end || *p != ' ')
    return 400;
  req->method = (struct span){m, (size_t)(p - m)};
  const char *t = ++p;
  while (p<end && * p> ' ' && *p < 0x7f)
    p++;
  if (p == t || p == end || *p != ' ')
    return 400;
  req->target = (struct span){t, (size_t)(p - t)};
  p++;
  if (end - p != 8 || memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9' ||
      p[6] != '.' || p[7] < '0' || p[7] > '9')
    return 400;
  if (p[5] != '1' || p[7] > '1')
    return 505;
  req->minor = p[7] - '0';
  return 0;
}

/* Whether a Connection header's comma-separated tokens include `word`. */
static int has_token(struct span v, const char *word) {
  const char *p = v.p, *end = v.p + v.len;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
      p++;
    const char *t = p;
    while (p < end && *p != ',' && *p != ' ' && *p != '\t')
      p++;
    if (span_is((struct span){t, (size_t)(p - t)}, word))
      return 1;
  }
  return 0;
}

/* The headers, from p to the empty line: 0, or the status to answer. */
static int headers(const char *p, const char *end, struct http_request *req) {
  int close = 0, keep = 0, hosts = 0;
  long long length = -1;
  for (;;) {
    struct span line = next_line(&p, end);
    if (line.len == 0)
      break;
    const char *colon = memchr(line.p, ':', line.len);
    const char *n = line.p;
    while (n < line.p + line.len && is_tchar((unsigned char)*n))
      n++;
    if (colon == NULL || n != colon || colon == line.p)
      return 400; /* no name, a space before the colon, or obs-fold */
    struct span name = {line.p, (size_t)(colon - line.p)};
    const char *v = colon + 1, *ve = line.p + line.len;
    while (v < ve && (*v == ' ' || *v == '\t'))
      v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
      ve--;
    struct span value = {v, (size_t)(ve - v)};
    if (span_is(name, "connection")) {
      close |= has_token(value, "close");
      keep |= has_token(value, "keep-alive");
    } else if (span_is(name, "content-length")) {
      char *e;
      long long l =
          value.len > 0 && v[0] >= '0' && v[0] <= '9' ? strtoll(v, &e, 10) : -1;
      if (l < 0 || e != ve || (length >= 0 && l != length) || l == LLONG_MAX)
        return 400;
      length = l;
    } else if (span_is(name, "transfer-encoding")) {
      req->has_body = 1;
    } else if (span_is(name, "host")) {
      hosts++;
    }
  }
  if (req->minor == 1 && hosts != 1)
    return 400;
  if (length > 0)
    req->has_body = 1;
  req->keep_alive = req->minor == 1 ? !close : keep && !close;
  return 0;
}

int http_parse(const char *buf, size_t len, size_t *scanned,
               struct http_request *req, size_t *used, int *status) {
  memset(req, 0, offsetof(struct http_request, path));
  req->path[0] = '\0';
  /* Empty lines before a request are ignored (RFC 9112, 2.2). */
  size_t skip = 0;
  while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
    skip++;
  if (skip > 0) {
    *used = skip; /* req->method is empty: nothing to answer */
    return HTTP_COMPLETE;
  }
  size_t end = head_end(buf, len, scanned);
  if (end == 0) {
    if (len > HTTP_HEAD_MAX) {
      *status = 431;
      return HTTP_BAD;
    }
    return HTTP_INCOMPLETE;
  }
  if (end > HTTP_HEAD_MAX) {
    *status = 431;
    return HTTP_BAD;
  }
  const char *p = buf;
  int err = request_line(next_line(&p, buf + end), req);
  if (err == 0)
    err = headers(p, buf + end, req);
  if (err == 0)
    err = decode_path(req);
  if (err != 0) {
    *status = err;
    return HTTP_BAD;
  }
  *scanned = 0;
  *used = end;
  return HTTP_COMPLETE;
}

int http_method_is(const struct http_request *req, const char *m) {
  size_t n = strlen(m);
  return req->method.len == n && memcmp(req->method.p, m, n) == 0;
}

int http_query_int(const struct http_request *req, const char *name,
                   long *value) {
  size_t n = strlen(name);
  const char *p = req->query.p, *end = p + req->query.len;
  while (p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *pe = amp != NULL ? amp : end;
    if ((size_t)(pe - p) > n && memcmp(p, name, n) == 0 && p[n] == '=') {
      char num[24];
      size_t len = (size_t)(pe - p) - n - 1;
      if (len == 0 || len >= sizeof num)
        return 0;
      memcpy(num, p + n + 1, len);
      num[len] = '\0';
      char *e;
      *value = strtol(num, &e, 10);
      return *e == '\0';
    }
    p = pe + 1;
  }
  return 0;
}

/* ---- Responses ----------------------------------------------------------- */

void out_init(struct out *o) { memset(o, 0, sizeof *o); }

void out_fini(struct out *o) {
  free(o->buf);
  out_init(o);
}

void out_add(struct out *o, const char *p, size_t len) {
  if (o->cap - o->len < len) {
    size_t cap = o->cap != 0 ? o->cap : 4096;
    while (cap - o->len < len)
      cap *= 2;
    char *buf = realloc(o->buf, cap);
    if (buf == NULL) {
      o->oom = 1;
      return;
    }
    o->buf = buf;
    o->cap = cap;
  }
  memcpy(o->buf + o->len, p, len);
  o->len += len;
}

const char *http_reason(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 414:
    return "URI Too Long";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  case 505:
    return "HTTP Version Not Supported";
  }
  return "Unknown";
}

void http_date(time_t t, char buf[HTTP_DATE_SIZE]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, HTTP_DATE_SIZE, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The Date header's value, formatted again only when the second
 * changes. */
static const char *date_now(void) {
  static time_t last;
  static char text[HTTP_DATE_SIZE];
  time_t now = time(NULL);
  if (now != last) {
    http_date(now, text);
    last = now;
  }
  return text;
}

/* Appends the NUL-terminated s. */
static void out_str(struct out *o, const char *s) { out_add(o, s, strlen(s)); }

/* Appends "name: value\r\n". */
static void out_header(struct out *o, const char *name, const char *value) {
  out_str(o, name);
  out_add(o, ": ", 2);
  out_str(o, value);
  out_add(o, "\r\n", 2);
}

/* Appends v in decimal. */
static void out_uint(struct out *o, uint64_t v) {
  char digits[24], *p = digits + sizeof digits;
  do
    *--p = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  out_add(o, p, (size_t)(digits + sizeof digits - p));
}

void http_head(struct out *o, const struct http_request *req, int status,
               const char *type, uint64_t length, const char *last_modified,
               const char *allow, int keep_alive) {
  out_str(o, "HTTP/1.1 ");
  out_uint(o, (uint64_t)status);
  out_add(o, " ", 1);
  out_str(o, http_reason(status));
  out_str(o, "\r\nServer: asyncc-http-server\r\n");
  out_header(o, "Date", date_now());
  out_header(o, "Content-Type", type);
  out_str(o, "Content-Length: ");
  out_uint(o, length);
  out_add(o, "\r\n", 2);
  if (last_modified != NULL)
    out_header(o, "Last-Modified", last_modified);
  if (allow != NULL)
    out_header(o, "Allow", allow);
  int default_keep = req != NULL && req->minor == 1;
  if (keep_alive != default_keep)
    out_header(o, "Connection", keep_alive ? "keep-alive" : "close");
  out_add(o, "\r\n", 2);
}

void http_text(struct out *o, const struct http_request *req, int status,
               const char *body, int keep_alive) {
  char text[64];
  if (body == NULL) {
    snprintf(text, sizeof text, "%d %s\n", status, http_reason(status));
    body = text;
  }
  size_t len = strlen(body);
  http_head(o, req, status, "text/plain", len, NULL,
            status == 405 ? "GET, HEAD" : NULL, keep_alive);
  if (req == NULL || !http_method_is(req, "HEAD"))
    out_add(o, body, len);
}

const char *http_content_type(const char *path) {
  static const struct {
    const char *ext, *type;
  } types[] = {
      {".html", "text/html"},        {".htm", "text/html"},
      {".txt", "text/plain"},        {".css", "text/css"},
      {".js", "text/javascript"},    {".json", "application/json"},
      {".png", "image/png"},         {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},       {".gif", "image/gif"},
      {".svg", "image/svg+xml"},     {".ico", "image/x-icon"},
      {".wasm", "application/wasm"}, {".pdf", "application/pdf"},
  };
  const char *dot = strrchr(path, '.');
  if (dot != NULL && strchr(dot, '/') == NULL)
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
      if (strcasecmp(dot, types[i].ext) == 0)
        return types[i].type;
  return "application/octet-stream";
}
