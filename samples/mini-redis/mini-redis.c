/* mini-redis: a Redis server for strings, lists and expiring keys.
 *
 *   mini-redis --port 6379 [--timeout SECONDS]
 *
 * It speaks RESP2 on 127.0.0.1 (port 0, the default: any free port, which
 * it prints as `listening on 127.0.0.1:PORT`) and answers PING, ECHO, GET,
 * SET (EX, PX, EXAT, PXAT, NX, XX, KEEPTTL, GET), DEL, EXISTS, INCR,
 * INCRBY, DECR, DECRBY, MGET, MSET, EXPIRE, PEXPIRE, TTL, PTTL, PERSIST,
 * DBSIZE, FLUSHALL, LPUSH, RPUSH, LPOP, RPOP, LLEN, LRANGE, TYPE and QUIT
 * with the bytes redis-server 7.0 would send, errors included.  Keys
 * expire when read after their time, and a sweep every 100 ms deletes
 * those nobody reads, as redis-server does.  --timeout closes a client
 * that takes longer than that to send a whole request, idle time before
 * it included (0, the default: never); unlike redis-server's `timeout`,
 * a byte now and then does not keep a slow client alive.  SIGINT or SIGTERM
 * stops it: it stops accepting, lets every connection finish the commands it
 * has received, waits up to 5 s for them, and exits with status 0.  SIGUSR1
 * prints the task dump: what every connection is waiting for.
 *
 * Each connection is a task.  It parses requests where they arrived, in
 * the stream's buffer (ac_stream_peek: no copy), runs them, and writes
 * the replies of a whole pipelined batch at once, when nothing more is
 * buffered.  Commands run to their end without awaiting anything, so
 * the key space needs no lock; the server runs on one worker, like
 * redis-server's main thread.  resp.c parses and formats the protocol,
 * commands.c runs the commands, db.c keeps the keys. */
#define _POSIX_C_SOURCE 200809L
#include <asyncc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "server-util.h"

#define BUFFER (16 * 1024)   /* a connection's read buffer, to begin with */
#define FLUSH_AT (64 * 1024) /* replies written out once this many wait */
#define GRACE_MS 5000        /* how long a shutdown waits for connections */

/* What every task shares: the server's whole state. */
struct server {
  struct db db;
  ac_scope tasks;       /* the connections, the acceptor and the sweeper */
  ac_cancel_token stop; /* cancelled by SIGINT or SIGTERM */
  uint64_t idle_ms;     /* --timeout, in ms; 0: none */
  long connections;     /* accepted */
};

/* A connection, in its task's frame.  `hook` releases it however the
 * task ends: at its end, or dropped by a shutdown that ran out of time. */
struct client {
  ac_stream *s;
  struct request req;
  struct reply out; /* replies not written yet */
  size_t buffer;    /* the stream's buffer size */
  struct ac_cleanup hook;
};

static void client_release(void *arg) {
  struct client *c = arg;
  request_fini(&c->req);
  reply_fini(&c->out);
  ac_stream_close(c->s);
}

/* Writes the replies queued so far: 0 or an error. */
static async int flush(struct client *c) {
  if (c->out.len == 0)
    return 0;
  int err = await(ac_stream_write_all(c->s, c->out.buf, c->out.len));
  c->out.len = 0;
  return err;
}

enum { INPUT, STOPPING, IDLE };

/* Waits until `need` bytes are buffered, as ac_stream_peek (its result in
 * *n, its pointer in *p): INPUT; or until the server stops, STOPPING; or,
 * with --timeout, until `deadline` (ac_now() time) has passed, IDLE. */
static async int wait_input(struct server *srv, struct client *c, size_t need,
                            uint64_t deadline, const char **p, ptrdiff_t *n) {
  if (ac_stream_buffered(c->s) >= need) {
    *n = await(ac_stream_peek(c->s, need, p)); /* completes at once */
    return INPUT;
  }
  if (srv->idle_ms == 0)
    return await(ac_race(*n = ac_stream_peek(c->s, need, p),
                         ac_cancel_token_cancelled(&srv->stop)));
  uint64_t now = ac_now();
  return await(ac_race(*n = ac_stream_peek(c->s, need, p),
                       ac_cancel_token_cancelled(&srv->stop),
                       ac_sleep(deadline > now ? deadline - now : 0)));
}

/* A request bigger than the buffer makes it grow, to hold the request
 * whole; back at a request's start, a big buffer shrinks again.  0, or
 * an error (out of memory: the connection is dropped). */
static int fit_buffer(struct client *c, size_t need) {
  size_t size = need <= c->buffer      ? c->buffer
                : need < 2 * c->buffer ? 2 * c->buffer
                                       : need;
  if (need == 1 && c->buffer > BUFFER && ac_stream_buffered(c->s) <= BUFFER)
    size = BUFFER;
  if (size == c->buffer)
    return 0;
  int err = ac_stream_set_buffer_size(c->s, size);
  if (err == 0)
    c->buffer = size;
  return err;
}

/* One connection: requests are parsed and run as they come, replies
 * written when no more input is buffered, until the client leaves or
 * errs, or the server stops. */
static async void session(struct server *srv, ac_stream *s) {
  struct client c = {.s = s, .buffer = BUFFER};
  request_init(&c.req);
  reply_init(&c.out);
  ac_cleanup_push(&c.hook, client_release, &c);
  ac_tcp_set_nodelay(s, 1); /* each batch of replies goes out at once */
  ac_stream_set_buffer_size(s, BUFFER);
  size_t need = 1;
  uint64_t deadline = 0;
  for (;;) {
    if (ac_stream_buffered(s) < need && await(flush(&c)) != 0)
      break;
    if (need == 1 && srv->idle_ms > 0) /* the timeout to arrive */
      deadline = ac_now() + srv->idle_ms;
    const char *p = NULL;
    ptrdiff_t n = 0;
    if (await(wait_input(srv, &c, need, deadline, &p, &n)) != INPUT ||
        n < (ptrdiff_t)need)
      break; /* stopping, idle, the end of the stream, or an error */
    size_t used = 0;
    int r = resp_parse(p, (size_t)n, &c.req, &used);
    if (r == RESP_INCOMPLETE) {
      need = c.req.need;
      if (fit_buffer(&c, need) != 0)
        break;
      continue;
    }
    if (r == RESP_ERROR)
      reply_error(&c.out, "%s", c.req.error); /* then close, as redis */
    if (r != RESP_COMPLETE)
      break;
    int quit = c.req.argc > 0 && command_run(&srv->db, &c.req, &c.out);
    ac_stream_consume(s, used);
    need = 1;
    if (quit || c.out.oom || fit_buffer(&c, need) != 0)
      break;
    if (c.out.len >= FLUSH_AT && await(flush(&c)) != 0)
      break;
  }
  await(flush(&c)); /* the last replies: an error, QUIT's +OK */
  ac_cleanup_pop(&c.hook, 1);
}

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
      fprintf(stderr, "mini-redis: accept: %s\n", ac_strerror(err));
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

/* Deletes expired keys nobody reads, ten times a second. */
static async void sweeper(struct server *srv) {
  ac_interval every;
  ac_interval_init(&every, 100);
  while (await(ac_race(ac_cancel_token_cancelled(&srv->stop),
                       ac_interval_tick(&every))) == 1)
    db_expire_cycle(&srv->db, 25);
}

static async int serve(int port, uint64_t idle_ms) {
  struct server srv = {.idle_ms = idle_ms};
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", port, 511, &l);
  if (err < 0) {
    fprintf(stderr, "mini-redis: cannot listen on 127.0.0.1:%d: %s\n", port,
            ac_strerror(err));
    return 1;
  }
  ac_dump_on_signal(1); /* kill -USR1 prints every task's await */
  if (db_init(&srv.db) != 0) {
    ac_listener_close(l);
    return 1;
  }
  ac_cancel_token_init(&srv.stop);
  ac_scope_init(&srv.tasks);
  ac_scope_add(&srv.tasks, ac_spawn_void(acceptor(&srv, l)));
  ac_scope_add(&srv.tasks, ac_spawn_void(sweeper(&srv)));
  int sig = await(ac_shutdown_on_signal(&srv.tasks, &srv.stop, GRACE_MS));
  if (sig > 0)
    printf("%s: served %ld connection%s\n",
           sig == SIGINT ? "SIGINT" : "SIGTERM", srv.connections,
           srv.connections == 1 ? "" : "s");
  else
    fprintf(stderr, "mini-redis: %s\n",
            sig < 0 ? ac_strerror(sig) : "stopped unexpectedly");
  ac_cancel_token_fini(&srv.stop);
  db_fini(&srv.db);
  return sig > 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  long port = 0, timeout = 0;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--port") == 0 &&
        parse_number(argv[i + 1], 65535, &port)) {
      i++;
    } else if (i + 1 < argc && strcmp(argv[i], "--timeout") == 0 &&
               parse_number(argv[i + 1], 1000000, &timeout)) {
      i++;
    } else {
      fprintf(stderr, "usage: mini-redis [--port N] [--timeout SECONDS]\n");
      return 2;
    }
  }
  raise_fd_limit();
  ac_runtime_set_workers(1); /* the key space has no lock */
  return ac_block_on(serve((int)port, (uint64_t)timeout * 1000));
}
