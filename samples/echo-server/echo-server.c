/* echo-server: a TCP server that sends back whatever it receives.
 *
 *   echo-server --port 7000        (port 0, the default: any free port)
 *
 * It listens on 127.0.0.1 only, prints `listening on 127.0.0.1:PORT`, and
 * serves any number of connections at once, each in a task of its own,
 * until it receives SIGINT (ctrl-c) or SIGTERM.  Then it stops accepting,
 * closes every connection, prints one line and exits with status 0.
 *
 * Shutdown uses a cancellation token: the signal watcher cancels it, and
 * the accept loop and every session race their work against it, so each
 * one closes its own socket on the way out; a counter and a notify let
 * main wait until the last session is gone.  (ac_task_abort would stop
 * the sessions too, but nothing would close their sockets.)
 *
 * With ASYNCC_WORKERS=N it runs on N threads: sessions are spread over
 * them, each connection handled on its session's thread, so the counters
 * the sessions update are atomic.
 *
 * samples/echo-server/load.py is a load test: 1,000 concurrent clients. */
#define _POSIX_C_SOURCE 200809L /* setrlimit */
#include <asyncc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* What the tasks share: the server's whole state. */
struct server {
  ac_cancel_token stop;   /* cancelled on SIGINT or SIGTERM */
  ac_notify idle;         /* notified when `live` drops to 0 */
  atomic_int live;        /* sessions running */
  long served;            /* connections accepted */
  atomic_long interrupted; /* sessions ended by the shutdown */
  const char *stopped_by; /* the signal that stopped it; NULL on error */
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

/* One connection's task: echoes until the peer is done or the server
 * stops (the race then drops the pending read or write), then closes the
 * connection.  A peer's error just ends its session. */
static async void session(struct server *srv, ac_stream *c) {
  if (await(ac_race(ac_cancel_token_cancelled(&srv->stop), echo(c))) == 0)
    atomic_fetch_add(&srv->interrupted, 1);
  ac_stream_close(c);
  if (atomic_fetch_sub(&srv->live, 1) == 1)
    ac_notify_one(&srv->idle);
}

/* Waits for SIGINT or SIGTERM, then stops the server.  While it waits,
 * neither signal ends the process. */
static async void watch_signals(struct server *srv) {
  int a = 0, b = 0;
  int which = await(ac_race(a = ac_signal(SIGINT), b = ac_signal(SIGTERM)));
  int err = which == 0 ? a : b;
  if (err < 0)
    fprintf(stderr, "echo-server: cannot catch signals: %s\n",
            ac_strerror(err));
  else
    srv->stopped_by = which == 0 ? "SIGINT" : "SIGTERM";
  ac_cancel_token_cancel(&srv->stop);
}

/* Accepts connections until the server stops, one session task each. */
static async void accept_loop(struct server *srv, ac_listener *l) {
  for (;;) {
    ac_stream *c = NULL;
    int err = 0;
    if (await(ac_race(ac_cancel_token_cancelled(&srv->stop),
                      err = ac_listener_accept(l, &c))) == 0)
      return;
    if (err < 0) {
      /* E.g. out of descriptors: wait a little for some to be freed. */
      fprintf(stderr, "echo-server: accept: %s\n", ac_strerror(err));
      await(ac_sleep(100));
      continue;
    }
    atomic_fetch_add(&srv->live, 1); /* before the session can end */
    AC_TASK(void) t = ac_spawn_void(session(srv, c));
    if (t == NULL) { /* out of memory */
      atomic_fetch_sub(&srv->live, 1);
      ac_stream_close(c);
      continue;
    }
    ac_task_detach(t); /* it reports its end through srv->live */
    srv->served++;
  }
}

static async int serve(int port) {
  struct server srv = {.served = 0, .stopped_by = NULL};
  atomic_init(&srv.live, 0);
  atomic_init(&srv.interrupted, 0);
  ac_cancel_token_init(&srv.stop);
  ac_notify_init(&srv.idle);

  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", port, 1024, &l);
  if (err < 0) {
    fprintf(stderr, "echo-server: cannot listen on 127.0.0.1:%d: %s\n", port,
            ac_strerror(err));
    return 1;
  }
  AC_TASK(void) watcher = ac_spawn_void(watch_signals(&srv));
  await(ac_yield()); /* the watcher runs, and catches the signals from now */
  printf("listening on 127.0.0.1:%d\n", ac_listener_port(l));
  fflush(stdout); /* a script may be reading the port from a pipe */

  await(accept_loop(&srv, l));
  ac_listener_close(l);
  while (atomic_load(&srv.live) > 0)
    await(ac_notify_wait(&srv.idle));
  await(ac_join_void(watcher));
  ac_cancel_token_fini(&srv.stop);
  if (srv.stopped_by == NULL)
    return 1; /* the watcher has said why */
  long interrupted = atomic_load(&srv.interrupted);
  printf("%s: closed %ld open connection%s; served %ld in all\n",
         srv.stopped_by, interrupted, interrupted == 1 ? "" : "s", srv.served);
  return 0;
}

/* Lets the process have as many descriptors as its hard limit allows: one
 * per connection, and the soft limit is often only 1024. */
static void raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int main(int argc, char **argv) {
  int port = 0;
  for (int i = 1; i < argc; i++) {
    char *end;
    if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      long p = strtol(argv[++i], &end, 10);
      if (*end == '\0' && end != argv[i] && p >= 0 && p <= 65535) {
        port = (int)p;
        continue;
      }
    }
    fprintf(stderr, "usage: echo-server [--port N]\n");
    return 2;
  }
  raise_fd_limit();
  return ac_block_on(serve(port));
}
