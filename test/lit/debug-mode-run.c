// Tests ASYNCC_DEBUG=1: a task handle used after it was given up, and a
// stream or listener used after its close, end the program with a message
// naming the operation, where they would otherwise read freed memory.  A
// correct program runs the same with and without it.
// REQUIRES: runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t
// RUN: %t ok | FileCheck %s --check-prefix=OK
// RUN: env ASYNCC_DEBUG=1 %t ok | FileCheck %s --check-prefix=OK
// RUN: env ASYNCC_DEBUG=1 ASYNCC_WORKERS=2 %t ok | FileCheck %s --check-prefix=OK
// RUN: env ASYNCC_DEBUG=1 not --crash %t join-twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: env ASYNCC_DEBUG=1 ASYNCC_WORKERS=2 not --crash %t join-twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: env ASYNCC_DEBUG=1 not --crash %t detach-join 2>&1 | FileCheck %s --check-prefix=DETACH
// RUN: env ASYNCC_DEBUG=1 not --crash %t stream 2>&1 | FileCheck %s --check-prefix=STREAM
// RUN: env ASYNCC_DEBUG=1 not --crash %t listener 2>&1 | FileCheck %s --check-prefix=LISTENER
//
// OK: joined 42 42
// OK-NEXT: echoed 5
// TWICE: joined once 42
// TWICE-NEXT: asyncc: ASYNCC_DEBUG: ac_join: task {{[0-9]+}} was given up already (joined, detached or added to a scope); a handle is used once
// DETACH: asyncc: ASYNCC_DEBUG: ac_join: task {{[0-9]+}} was given up already
// STREAM: wrote before the close 5
// STREAM-NEXT: asyncc: ASYNCC_DEBUG: ac_stream_write_all: used after its close
// LISTENER: asyncc: ASYNCC_DEBUG: ac_listener_port: used after its close
#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async int answer(void) {
  await(ac_yield());
  return 42;
}

static async int join_twice(void) {
  int *h = ac_spawn(answer());
  printf("joined once %d\n", await(ac_join(h)));
  fflush(stdout);
  return await(ac_join(h)); /* h was freed by the first join */
}

static async int detach_then_join(void) {
  int *h = ac_spawn(answer());
  ac_task_detach(h);
  await(ac_yield());
  return await(ac_join(h));
}

/* A connected pair over 127.0.0.1. */
static async int pair(ac_listener **l, ac_stream **a, ac_stream **b) {
  int err = ac_tcp_listen("127.0.0.1", 0, 8, l);
  if (err == 0)
    err = await(ac_tcp_connect("127.0.0.1", ac_listener_port(*l), a));
  if (err == 0)
    err = await(ac_listener_accept(*l, b));
  return err;
}

static async int stream_after_close(void) {
  ac_listener *l;
  ac_stream *a, *b;
  if (await(pair(&l, &a, &b)) != 0)
    return 1;
  printf("wrote before the close %d\n",
         await(ac_stream_write_all(a, "hello", 5)) == 0 ? 5 : -1);
  fflush(stdout);
  ac_stream_close(a);
  await(ac_yield()); /* the close completes: a's memory is released */
  await(ac_yield());
  int err = await(ac_stream_write_all(a, "again", 5));
  ac_stream_close(b);
  ac_listener_close(l);
  return err;
}

static async int listener_after_close(void) {
  ac_listener *l;
  if (ac_tcp_listen("127.0.0.1", 0, 8, &l) != 0)
    return 1;
  ac_listener_close(l);
  await(ac_yield());
  await(ac_yield());
  return ac_listener_port(l);
}

static async int correct(void) {
  int *h = ac_spawn(answer());
  int *g = ac_spawn(answer());
  int x = await(ac_join(h)), y = await(ac_join(g));
  printf("joined %d %d\n", x, y);
  ac_listener *l;
  ac_stream *a, *b;
  if (await(pair(&l, &a, &b)) != 0)
    return 1;
  char buf[5];
  int err = await(ac_stream_write_all(a, "hello", 5));
  ptrdiff_t n = await(ac_stream_read_exact(b, buf, sizeof buf));
  printf("echoed %d\n", err == 0 ? (int)n : -1);
  ac_stream_close(a);
  ac_stream_close(b);
  ac_listener_close(l);
  return 0;
}

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "ok";
  if (strcmp(what, "join-twice") == 0)
    return ac_block_on(join_twice());
  if (strcmp(what, "detach-join") == 0)
    return ac_block_on(detach_then_join());
  if (strcmp(what, "stream") == 0)
    return ac_block_on(stream_after_close());
  if (strcmp(what, "listener") == 0)
    return ac_block_on(listener_after_close());
  return ac_block_on(correct());
}
