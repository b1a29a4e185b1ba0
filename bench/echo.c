/* echo.c -- W5 of the side-by-side benchmarks: a TCP echo server, one
 * task per connection, written as ../shared/bench-peers/README.md
 * specifies it and built by asyncc (target bench_workloads).
 *
 *   asyncc_echo PORT MAX_SECONDS
 *
 * listens on 127.0.0.1:PORT (0: a port the kernel picks), prints
 * "listening on <port>" once it does, and returns after MAX_SECONDS,
 * when ac_block_on drops the connections still open.  ASYNCC_WORKERS=N
 * runs it on N workers. */
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

static async void echo_conn(ac_stream *s) {
  char buf[4096];
  ptrdiff_t n;
  while ((n = await(ac_stream_read(s, buf, sizeof buf))) > 0)
    if (await(ac_stream_write_all(s, buf, (size_t)n)) < 0)
      break;
  ac_stream_close(s);
}

static async void serve(ac_listener *l) {
  for (;;) {
    ac_stream *c;
    if (await(ac_listener_accept(l, &c)) == 0)
      ac_task_detach(ac_spawn_void(echo_conn(c)));
  }
}

static async int server(int port, uint64_t max_ms) {
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", port, 1024, &l);
  if (err != 0) {
    fprintf(stderr, "listen: %s\n", ac_strerror(err));
    return 1;
  }
  printf("listening on %d\n", ac_listener_port(l));
  fflush(stdout);
  await(ac_timeout(max_ms, serve(l)));
  ac_listener_close(l);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PORT MAX_SECONDS\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]);
  long seconds = atol(argv[2]);
  if (port < 0 || port > 65535 || seconds <= 0) {
    fprintf(stderr, "%s: bad port or seconds\n", argv[0]);
    return 2;
  }
  return ac_block_on(server(port, (uint64_t)seconds * 1000));
}
