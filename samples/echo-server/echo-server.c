/* echo-server: a TCP server that sends back whatever it receives.
 *
 *   echo-server --port 7000        (port 0, the default: any free port)
 *
 * It listens on 127.0.0.1 only, prints `listening on 127.0.0.1:PORT`, and
 * serves any number of connections at once, each in a task of its own,
 * until it receives SIGINT (ctrl-c) or SIGTERM.  Then it stops accepting,
 * closes every connection, prints one line and exits with status 0.
 *
 * Every task belongs to one scope, and ac_shutdown_on_signal is the
 * whole shutdown: on the signal it cancels a token, which the accept
 * loop and every session race their work against, so each one closes its
 * own socket on the way out; then it waits for the scope's tasks.  A
 * session that did not stop within the grace period would be cancelled,
 * and its cleanup hook would close its socket.
 *
 * With ASYNCC_WORKERS=N it runs on N threads: sessions are spread over
 * them, each connection handled on its session's thread, so the counter
 * the sessions update is atomic.
 *
 * samples/echo-server/load.py is a load test: 1,000 concurrent clients. */
#include <asyncc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server-util.h"

/* What the tasks share: the server's whole state. */
struct server {
  ac_scope tasks;          /* the accept loop and every session */
  ac_cancel_token stop;    /* cancelled on SIGINT or SIGTERM */
  long served;             /* connections accepted */
  atomic_long interrupted; /* sessions ended by the shutdown */
};

/* Echoes until the peer ends the stream (returns 0) or an error (returns
 * it).  The buffer is part of the task's frame, allocated with it. */
static async ptrdiff_t echo(ac_stream *c) {
  char buf[16384];
  for (;;) {
    ptrdiff_t n = await(ac_stream_read(c, buf, sizeof buf));
    if (n <= 0)
      return n;
    int err = await(ac_stream_write_all(c, buf, (size_t)n));
    if (err < 0)
      return err;
  }
}

static void close_stream(void *c) { ac_stream_close(c); }

/* One connection's task: echoes until the peer is done or the server
 * stops (the race then drops the pending read or write), then closes the
 * connection, as its cleanup hook would if the task were cancelled.  A
 * peer's error just ends its session. */
static async void session(struct server *srv, ac_stream *c) {
  struct ac_cleanup hook;
  ac_cleanup_push(&hook, close_stream, c);
  if (await(ac_race(ac_cancel_token_cancelled(&srv->stop), echo(c))) == 0)
    atomic_fetch_add(&srv->interrupted, 1);
  ac_cleanup_pop(&hook, 1);
}

static void close_listener(void *l) { ac_listener_close(l); }

/* Accepts connections until the server stops, one session task each, in
 * the server's scope. */
static async void accept_loop(struct server *srv, ac_listener *l) {
  struct ac_cleanup hook;
  ac_cleanup_push(&hook, close_listener, l);
  /* The signals are caught by now: a script reading the port may send
   * SIGTERM at once. */
  printf("listening on 127.0.0.1:%d\n", ac_listener_port(l));
  fflush(stdout); /* a script may be reading the port from a pipe */
  for (;;) {
    ac_stream *c = NULL;
    int err = 0;
    if (await(ac_race(ac_cancel_token_cancelled(&srv->stop),
                      err = ac_listener_accept(l, &c))) == 0)
      break;
    if (err < 0) {
      /* E.g. out of descriptors: wait a little for some to be freed. */
      fprintf(stderr, "echo-server: accept: %s\n", ac_strerror(err));
      await(ac_sleep(100));
      continue;
    }
    AC_TASK(void) t = ac_spawn_void(session(srv, c));
    if (t == NULL || ac_scope_add(&srv->tasks, t) != 0) {
      ac_stream_close(c); /* out of memory, or stopping: it never ran */
      continue;
    }
    srv->served++;
  }
  ac_cleanup_pop(&hook, 1);
}

static async int serve(int port) {
  struct server srv = {.served = 0};
  atomic_init(&srv.interrupted, 0);
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", port, 1024, &l);
  if (err < 0) {
    fprintf(stderr, "echo-server: cannot listen on 127.0.0.1:%d: %s\n", port,
            ac_strerror(err));
    return 1;
  }
  ac_cancel_token_init(&srv.stop);
  ac_scope_init(&srv.tasks);
  ac_scope_add(&srv.tasks, ac_spawn_void(accept_loop(&srv, l)));
  int sig = await(ac_shutdown_on_signal(&srv.tasks, &srv.stop, 5000));
  ac_cancel_token_fini(&srv.stop);
  if (sig <= 0) {
    fprintf(stderr, "echo-server: %s\n",
            sig < 0 ? ac_strerror(sig) : "stopped unexpectedly");
    return 1;
  }
  long interrupted = atomic_load(&srv.interrupted);
  printf("%s: closed %ld open connection%s; served %ld in all\n",
         sig == SIGINT ? "SIGINT" : "SIGTERM", interrupted,
         interrupted == 1 ? "" : "s", srv.served);
  return 0;
}

int main(int argc, char **argv) {
  long port = 0;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--port") == 0 &&
        parse_number(argv[i + 1], 65535, &port)) {
      i++;
      continue;
    }
    fprintf(stderr, "usage: echo-server [--port N]\n");
    return 2;
  }
  raise_fd_limit();
  return ac_block_on(serve((int)port));
}
