/* http.h -- HTTP/1.1 requests parsed in place from the bytes a
 * connection has buffered, and response heads built into a buffer.
 * Plain C: nothing here waits. */
#ifndef HTTP_SERVER_HTTP_H
#define HTTP_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The longest request head (request line and headers) accepted. */
#define HTTP_HEAD_MAX (16 * 1024)
/* The longest decoded path. */
#define HTTP_PATH_MAX 1024

struct span {
  const char *p;
  size_t len;
};

struct http_request {
  struct span method, target, query;
  char path[HTTP_PATH_MAX]; /* the target's path, percent-decoded */
  int minor;                /* HTTP/1.<minor>: 0 or 1 */
  int keep_alive;           /* the connection stays open after it */
  int has_body;             /* Content-Length > 0, or chunked */
};

enum { HTTP_COMPLETE, HTTP_INCOMPLETE, HTTP_BAD };

/* Parses one request head from buf[0, len), looking for its end from
 * *scanned on (bytes known to hold none; 0 at first).  HTTP_COMPLETE:
 * *req is the request and *used the head's length; HTTP_INCOMPLETE: more
 * bytes are needed (*scanned updated); HTTP_BAD: *status is the error
 * to answer (400, 431, 505) before closing the connection. */
int http_parse(const char *buf, size_t len, size_t *scanned,
               struct http_request *req, size_t *used, int *status);

/* Whether the request's method is `m`. */
int http_method_is(const struct http_request *req, const char *m);
/* The value of the query parameter `name`, or NULL. */
int http_query_int(const struct http_request *req, const char *name,
                   long *value);

/* ---- Responses ----------------------------------------------------------- */

struct out {
  char *buf;
  size_t len, cap;
  int oom;
};

void out_init(struct out *o);
void out_fini(struct out *o);
void out_add(struct out *o, const char *p, size_t len);

/* Appends a response head: the status line, Server, Date, Content-Type,
 * Content-Length, Last-Modified and Allow (if not NULL), and Connection
 * when it differs from the version's default. */
void http_head(struct out *o, const struct http_request *req, int status,
               const char *type, uint64_t length, const char *last_modified,
               const char *allow, int keep_alive);
/* A whole response with a short text body ("404 Not Found\n" for an
 * error); a HEAD request gets the head only. */
void http_text(struct out *o, const struct http_request *req, int status,
               const char *body, int keep_alive);
/* An HTTP date (RFC 9110, 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". */
#define HTTP_DATE_SIZE 30
void http_date(time_t t, char buf[HTTP_DATE_SIZE]);
/* The reason phrase of a status. */
const char *http_reason(int status);
/* The Content-Type of a file name, from its extension. */
const char *http_content_type(const char *path);

#endif /* HTTP_SERVER_HTTP_H */
