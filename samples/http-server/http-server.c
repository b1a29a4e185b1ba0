/* http-server: a static file server speaking HTTP/1.1.
 *
 *   http-server --root DIR [--port N] [--idle-timeout SECONDS]
 *
 * It listens on 127.0.0.1 (port 0, the default: any free port, which it
 * prints as `listening on 127.0.0.1:PORT`) and serves DIR/x at /x with
 * sendfile: GET and HEAD, `index.html` for a directory, Content-Type by
 * extension, 404 for what is not a regular file (or a hidden one), 405
 * for other methods, 400 for a malformed request.  Two routes are built
 * in: /api/hello answers "Hello, world!", and /api/delay?ms=N answers
 * after N milliseconds (at most 10,000), awaiting a timer meanwhile.
 * Connections are kept alive and requests may be pipelined; a
 * connection that sends no complete request for --idle-timeout seconds
 * (60 by default) is closed.  SIGINT or SIGTERM stops it: it stops
 * accepting, lets each connection finish the request it is serving, waits
 * up to 5 s for them, and exits with status 0.  SIGUSR1 prints the task
 * dump: what every connection is waiting for.
 *
 * Each connection is a task.  It parses request heads where they
 * arrived, in the stream's buffer (ac_stream_peek), writes the responses
 * of pipelined requests together when no more input is buffered, and
 * sends files with ac_stream_sendfile from descriptors it keeps open
 * (files.c), checked against the disk at most once a second: a file
 * served again costs no thread-pool round trip.  The file cache and the
 * routes are the server's own state, so it runs on one worker, like
 * nginx with one worker process.  http.c parses requests and formats
 * responses. */
#define _POSIX_C_SOURCE 200809L
#include <asyncc.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "http.h"
#include "server-util.h"

#define BUFFER (HTTP_HEAD_MAX + 4096) /* a connection's read buffer */
#define FLUSH_AT (64 * 1024) /* responses written out once this many wait */
#define GRACE_MS 5000        /* how long a shutdown waits for connections */
#define RECHECK_MS 1000      /* how long a cached file is trusted */

struct server {
  const char *root;
  struct files files;
  ac_mutex opening;     /* held while a file is checked or opened */
  ac_scope tasks;       /* the connections and the acceptor */
  ac_cancel_token stop; /* cancelled by SIGINT or SIGTERM */
  uint64_t idle_ms;
  long connections; /* accepted */
};

/* A connection, in its task's frame; `hook` releases it however the task
 * ends. */
struct conn {
  ac_stream *s;
  struct out out; /* responses not written yet */
  struct http_request req;
  int keep; /* the connection stays open after this response */
  struct ac_cleanup hook;
};

static void conn_release(void *arg) {
  struct conn *c = arg;
  out_fini(&c->out);
  ac_stream_close(c->s);
}

/* Writes the responses queued so far: 0 or an error. */
static async int flush(struct conn *c) {
  if (c->out.len == 0)
    return 0;
  int err = await(ac_stream_write_all(c->s, c->out.buf, c->out.len));
  c->out.len = 0;
  return err;
}

/* Whether the response about to be written keeps the connection open:
 * as the request asks, unless it has a body (which no route reads) or the
 * server is stopping. */
static int keep_alive(struct server *srv, struct conn *c) {
  c->keep = c->req.keep_alive && !c->req.has_body &&
            !ac_cancel_token_is_cancelled(&srv->stop);
  return c->keep;
}

/* ---- Files --------------------------------------------------------------- */

/* Whether a decoded path names a hidden file or directory (a segment
 * starting with '.'), which is not served. */
static int hidden(const char *path) { return strstr(path, "/.") != NULL; }

/* The file at `full`, found in the cache and checked against the disk,
 * or opened and cached: with a reference for the caller, or NULL and
 * *status 404 or 500. */
static async struct file *check_or_open(struct server *srv, const char *full,
                                        int *status) {
  struct file *f = files_find(&srv->files, full);
  struct stat st;
  if (f != NULL) {
    f->refs++; /* kept while the check awaits */
    if (ac_now() - f->checked < RECHECK_MS)
      return f; /* checked while this request waited for its turn */
    int err = await(ac_fs_stat(full, &st));
    if (err == 0 && st.st_ino == f->ino && st.st_dev == f->dev &&
        (uint64_t)st.st_size == f->size && st.st_mtime == f->mtime) {
      f->checked = ac_now();
      return f;
    }
    files_forget(&srv->files, f);
    files_release(&srv->files, f);
  }
  int fd = await(ac_fs_open(full, O_RDONLY, 0));
  if (fd < 0)
    return NULL;
  int err = await(ac_fs_fstat(fd, &st));
  if (err != 0 || !S_ISREG(st.st_mode)) {
    await(ac_fs_close(fd));
    return NULL;
  }
  f = files_add(&srv->files, full, fd, (uint64_t)st.st_size, st.st_mtime,
                st.st_dev, st.st_ino, http_content_type(full));
  if (f == NULL) {
    *status = 500;
    return NULL;
  }
  f->checked = ac_now();
  return f;
}

/* The file at `path` below the root: from the cache if it was checked
 * less than RECHECK_MS ago, else checked (stat) or opened, and cached.
 * NULL, with *status 404 or 500, if there is nothing to serve. */
static async struct file *open_file(struct server *srv, const char *path,
                                    int *status) {
  char full[HTTP_PATH_MAX + 4096];
  int index = path[strlen(path) - 1] == '/';
  snprintf(full, sizeof full, "%s%s%s", srv->root, path,
           index ? "index.html" : "");
  *status = 404;
  struct file *f = files_find(&srv->files, full);
  if (f != NULL && ac_now() - f->checked < RECHECK_MS) {
    f->refs++;
    return f;
  }
  /* One check or open at a time: requests that all miss a cold cache
   * wait for the first to open the file, instead of each opening a
   * descriptor of its own. */
  await(ac_mutex_lock(&srv->opening));
  f = await(check_or_open(srv, full, status));
  ac_mutex_unlock(&srv->opening);
  return f;
}

/* A file's head, then its bytes with sendfile: 0, or an error (the
 * connection is then closed). */
static async int send_file(struct server *srv, struct conn *c) {
  int status = 404;
  struct file *f =
      hidden(c->req.path) ? NULL : await(open_file(srv, c->req.path, &status));
  if (f == NULL) {
    http_text(&c->out, &c->req, status, NULL, keep_alive(srv, c));
    return 0;
  }
  http_head(&c->out, &c->req, 200, f->type, f->size, f->last_modified, NULL,
            keep_alive(srv, c));
  int err = await(flush(c)); /* the head, and responses before it */
  if (err == 0 && http_method_is(&c->req, "GET") && f->size > 0) {
    ptrdiff_t n = await(ac_stream_sendfile(c->s, f->fd, 0, (size_t)f->size));
    if (n != (ptrdiff_t)f->size) /* shorter: the file shrank meanwhile */
      err = n < 0 ? (int)n : AC_EPIPE;
  }
  files_release(&srv->files, f);
  return err;
}

/* ---- Requests ------------------------------------------------------------ */

/* Answers c->req: 0, or an error (the connection is then closed).
 * c->keep says whether the response kept the connection open. */
static async int respond(struct server *srv, struct conn *c) {
  const struct http_request *req = &c->req;
  if (!http_method_is(req, "GET") && !http_method_is(req, "HEAD")) {
    http_text(&c->out, req, 405, NULL, keep_alive(srv, c));
    return 0;
  }
  if (strcmp(req->path, "/api/hello") == 0) {
    http_text(&c->out, req, 200, "Hello, world!\n", keep_alive(srv, c));
    return 0;
  }
  if (strcmp(req->path, "/api/delay") == 0) {
    long ms;
    if (!http_query_int(req, "ms", &ms) || ms < 0 || ms > 10000) {
      http_text(&c->out, req, 400, NULL, keep_alive(srv, c));
      return 0;
    }
    await(ac_sleep((uint64_t)ms));
    char text[48];
    snprintf(text, sizeof text, "waited %ld ms\n", ms);
    http_text(&c->out, req, 200, text, keep_alive(srv, c));
    return 0;
  }
  return await(send_file(srv, c));
}

enum { INPUT, STOPPING, IDLE };

/* Waits until `need` bytes are buffered, as ac_stream_peek (its result in
 * *n, its pointer in *p): INPUT; or until the server stops, STOPPING; or
 * until `deadline` (ac_now() time) has passed, IDLE. */
static async int wait_input(struct server *srv, struct conn *c, size_t need,
                            uint64_t deadline, const char **p, ptrdiff_t *n) {
  if (ac_stream_buffered(c->s) >= need) {
    *n = await(ac_stream_peek(c->s, need, p)); /* completes at once */
    return INPUT;
  }
  uint64_t now = ac_now();
  return await(ac_race(*n = ac_stream_peek(c->s, need, p),
                       ac_cancel_token_cancelled(&srv->stop),
                       ac_sleep(deadline > now ? deadline - now : 0)));
}

/* One connection: requests are parsed and answered in order, responses
 * written when no more input is buffered, until the client closes, a
 * response ends the connection, or the server stops. */
static async void session(struct server *srv, ac_stream *s) {
  struct conn c = {.s = s};
  out_init(&c.out);
  ac_cleanup_push(&c.hook, conn_release, &c);
  ac_tcp_set_nodelay(s, 1); /* a head and its body go out at once */
  ac_stream_set_buffer_size(s, BUFFER);
  size_t need = 1, scanned = 0;
  uint64_t deadline = 0;
  for (;;) {
    if (ac_stream_buffered(s) < need && await(flush(&c)) != 0)
      break;
    if (need == 1) /* a request begins: it has the timeout to arrive */
      deadline = ac_now() + srv->idle_ms;
    const char *p = NULL;
    ptrdiff_t n = 0;
    if (await(wait_input(srv, &c, need, deadline, &p, &n)) != INPUT ||
        n < (ptrdiff_t)need)
      break; /* stopping, idle, the end of the stream, or an error */
    size_t used = 0;
    int status = 0;
    int r = http_parse(p, (size_t)n, &scanned, &c.req, &used, &status);
    if (r == HTTP_INCOMPLETE) {
      need = (size_t)n + 1;
      continue;
    }
    if (r == HTTP_BAD) {
      http_text(&c.out, NULL, status, NULL, 0);
      break;
    }
    need = 1;
    ac_stream_consume(s, used); /* c.req still points into the buffer */
    if (c.req.method.len == 0)
      continue; /* empty lines between requests */
    if (await(respond(srv, &c)) != 0 || !c.keep || c.out.oom)
      break;
    if (c.out.len >= FLUSH_AT && await(flush(&c)) != 0)
      break;
  }
  await(flush(&c)); /* the last responses */
  ac_cleanup_pop(&c.hook, 1);
}

/* ---- The server ---------------------------------------------------------- */

static void close_listener(void *l) { ac_listener_close(l); }

/* Accepts connections until the server stops, a task each, in the
 * server's scope. */
static async void acceptor(struct server *srv, ac_listener *l) {
  struct ac_cleanup hook;
  ac_cleanup_push(&hook, close_listener, l);
  /* Printed once the signals are caught: a script may read the port and
   * send SIGTERM at once. */
  printf("listening on 127.0.0.1:%d\n", ac_listener_port(l));
  fflush(stdout);
  for (;;) {
    ac_stream *s = NULL;
    int err = 0;
    if (await(ac_race(ac_cancel_token_cancelled(&srv->stop),
                      err = ac_listener_accept(l, &s))) == 0)
      break;
    if (err < 0) {
      /* E.g. out of descriptors: wait a little for some to be freed. */
      fprintf(stderr, "http-server: accept: %s\n", ac_strerror(err));
      await(ac_sleep(100));
      continue;
    }
    AC_TASK(void) t = ac_spawn_void(session(srv, s));
    if (t == NULL || ac_scope_add(&srv->tasks, t) != 0)
      ac_stream_close(s); /* out of memory, or stopping: it never ran */
    else
      srv->connections++;
  }
  ac_cleanup_pop(&hook, 1);
}

static async int serve(const char *root, int port, uint64_t idle_ms) {
  struct server srv = {.root = root, .idle_ms = idle_ms};
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", port, 511, &l);
  if (err < 0) {
    fprintf(stderr, "http-server: cannot listen on 127.0.0.1:%d: %s\n", port,
            ac_strerror(err));
    return 1;
  }
  ac_dump_on_signal(1); /* kill -USR1 prints every task's await */
  files_init(&srv.files);
  ac_mutex_init(&srv.opening);
  ac_cancel_token_init(&srv.stop);
  ac_scope_init(&srv.tasks);
  ac_scope_add(&srv.tasks, ac_spawn_void(acceptor(&srv, l)));
  int sig = await(ac_shutdown_on_signal(&srv.tasks, &srv.stop, GRACE_MS));
  if (sig > 0)
    printf("%s: served %ld connection%s\n",
           sig == SIGINT ? "SIGINT" : "SIGTERM", srv.connections,
           srv.connections == 1 ? "" : "s");
  else
    fprintf(stderr, "http-server: %s\n",
            sig < 0 ? ac_strerror(sig) : "stopped unexpectedly");
  ac_cancel_token_fini(&srv.stop);
  files_fini(&srv.files);
  return sig > 0 ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr, "usage: http-server --root DIR [--port N] "
                  "[--idle-timeout SECONDS]\n");
  return 2;
}

int main(int argc, char **argv) {
  long port = 0, idle = 60;
  const char *root = NULL;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--port") == 0 &&
        parse_number(argv[i + 1], 65535, &port))
      i++;
    else if (i + 1 < argc && strcmp(argv[i], "--idle-timeout") == 0 &&
             parse_number(argv[i + 1], 1000000, &idle) && idle > 0)
      i++;
    else if (i + 1 < argc && strcmp(argv[i], "--root") == 0)
      root = argv[++i];
    else
      return usage();
  }
  struct stat st;
  if (root == NULL)
    return usage();
  if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "http-server: %s is not a directory\n", root);
    return 2;
  }
  raise_fd_limit();
  ac_runtime_set_workers(1); /* the file cache has no lock */
  return ac_block_on(serve(root, (int)port, (uint64_t)idle * 1000));
}
