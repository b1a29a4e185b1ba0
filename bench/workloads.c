/* workloads.c -- W1-W4 of the side-by-side benchmarks
 * (../shared/bench-peers/README.md), written as the asyncc programs that
 * README specifies and built by asyncc (target bench_workloads).
 *
 *   asyncc_workloads w1|w2|w3|w3timer|w4 COUNT
 *
 * prints the result lines `name=<workload>.<metric> peer=asyncc
 * value=<number> unit=<unit>` and exits with status 1 if a workload's
 * check fails.  Every workload uses the runtime's defaults: the budget,
 * cancellation, task dumps and the libuv loop are all in.
 *
 * Frame sizes are those of the generated frame structs, which exist only
 * in the transformed file: the build defines ASYNCC_BENCH_TRANSFORMED
 * when it compiles asyncc's output, and the transpiler, which parses
 * without it, keeps the other branch. */
#include <asyncc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#if ASYNCC_BENCH_TRANSFORMED
#define FRAME_SIZE(f) sizeof(struct f##_frame)
#else
#define FRAME_SIZE(f) 0
#endif

/* The workloads' shared state, declared first: asyncc puts the prototypes
 * of its ac_spawn and ac_block_on helpers before the first function that
 * uses one, and they name these types.  W3's broadcast is an ac_event,
 * W4's token passes through two ac_mbox (single-slot handoffs), and W3's
 * detached spawn is written as what ac_spawn_detached(e) stands for
 * (asyncc/task.h). */
struct w3 {
  long n, left;
  ac_event go, done;
  long rss_idle_kb;
  uint64_t t_wake;
};

struct w4 {
  long rounds;
  ac_mbox to_ping, to_pong;
};

/* ---- W1 await-chain: the cost of an await ------------------------------- */

static async int lvl0(int x) { return x + 1; }
static async int lvl1(int x) { return await(lvl0(x)) + 1; }
static async int lvl2(int x) { return await(lvl1(x)) + 1; }
static async int lvl3(int x) { return await(lvl2(x)) + 1; }
static async int lvl4(int x) { return await(lvl3(x)) + 1; }
static async int lvl5(int x) { return await(lvl4(x)) + 1; }
static async int lvl6(int x) { return await(lvl5(x)) + 1; }
static async int lvl7(int x) { return await(lvl6(x)) + 1; }
static async int lvl8(int x) { return await(lvl7(x)) + 1; }
static async int lvl9(int x) { return await(lvl8(x)) + 1; }
static async int lvl10(int x) { return await(lvl9(x)) + 1; }

static void w1(long n) {
  long long sum = 0, want = 0;
  uint64_t t0 = bench_now_ns();
  for (long i = 0; i < n; i++)
    sum += ac_block_on(lvl10((int)i));
  uint64_t t1 = bench_now_ns();
  for (long i = 0; i < n; i++)
    want += (int)i + 11;
  bench_check(sum == want, "w1 checksum");
  bench_report("w1_chain.ns_per_call", (double)(t1 - t0) / n, "ns");
  bench_report("w1_chain.ns_per_await", (double)(t1 - t0) / n / 10, "ns");
  bench_report("w1_chain.frame_bytes", FRAME_SIZE(lvl10), "bytes");
  bench_report("w1_chain.allocs_per_call", 0, "allocs");
}

/* ---- W2 spawn-storm: the cost of a task ---------------------------------- */

static async int child(int i) {
  await(ac_yield());
  return i & 1;
}

static async long spawner(long n) {
  AC_TASK(int) *h = malloc(n * sizeof *h);
  if (h == NULL)
    return -1;
  for (long i = 0; i < n; i++)
    h[i] = ac_spawn(child(i));
  long sum = 0;
  for (long i = 0; i < n; i++)
    sum += await(ac_join(h[i]));
  free(h);
  return sum;
}

static void w2(long n) {
  long rss0 = bench_rss_kb();
  uint64_t t0 = bench_now_ns();
  long sum = ac_block_on(spawner(n));
  uint64_t t1 = bench_now_ns();
  long hwm = bench_hwm_kb();
  bench_check(sum == n / 2, "w2 checksum");
  bench_report("w2_spawn.tasks_per_s", n / ((t1 - t0) / 1e9), "tasks/s");
  bench_report("w2_spawn.peak_rss_kib", hwm, "KiB");
  bench_report("w2_spawn.peak_bytes_per_task", (hwm - rss0) * 1024.0 / n,
               "bytes");
  bench_report("w2_spawn.task_bytes", bench_task_bytes(FRAME_SIZE(child)),
               "bytes");
  bench_report("w2_spawn.n", n, "tasks");
}

/* ---- W3 idle tasks: the memory of a suspended task ----------------------- */

static async void waiter(struct w3 *s) {
  await(ac_event_wait(&s->go));
  if (--s->left == 0)
    ac_event_set(&s->done);
}

static async void twaiter(struct w3 *s) {
  await(ac_sleep(1));
  if (--s->left == 0)
    ac_event_set(&s->done);
}

static async void idler(struct w3 *s, int timers) {
  for (long i = 0; i < s->n; i++) {
    if (timers)
      ac_task_detach(ac_spawn_void(twaiter(s)));
    else
      ac_task_detach(ac_spawn_void(waiter(s)));
  }
  await(ac_yield()); /* FIFO: every waiter now waits */
  s->rss_idle_kb = bench_rss_kb();
  s->t_wake = bench_now_ns();
  ac_event_set(&s->go);
  await(ac_event_wait(&s->done));
}

static void w3(long n, int timers) {
  const char *w = timers ? "w3_idle_timer" : "w3_idle";
  char name[64];
  struct w3 s = {.n = n, .left = n};
  ac_event_init(&s.go);
  ac_event_init(&s.done);
  long rss0 = bench_rss_kb();
  ac_block_on(idler(&s, timers));
  uint64_t t1 = bench_now_ns();
  bench_check(s.left == 0, "w3 all tasks finished");
  size_t frame = timers ? FRAME_SIZE(twaiter) : FRAME_SIZE(waiter);
#define R(metric, v, unit)                                                     \
  (snprintf(name, sizeof name, "%s.%s", w, metric), bench_report(name, v, unit))
  R("rss_bytes_per_task", (s.rss_idle_kb - rss0) * 1024.0 / n, "bytes");
  R("wake_ns_per_task", (double)(t1 - s.t_wake) / n, "ns");
  R("frame_bytes", frame, "bytes");
  R("task_bytes", bench_task_bytes(frame), "bytes");
  R("n", n, "tasks");
#undef R
}

/* ---- W4 ping-pong: the cost of a task switch ----------------------------- */

static async void ping(struct w4 *s) {
  for (long i = 0; i < s->rounds; i++) {
    ac_mbox_send(&s->to_pong, i);
    if (await(ac_mbox_recv(&s->to_ping)) != i + 1)
      abort();
  }
}

static async void pong(struct w4 *s) {
  for (long i = 0; i < s->rounds; i++)
    ac_mbox_send(&s->to_ping, await(ac_mbox_recv(&s->to_pong)) + 1);
}

static async void pingpong(struct w4 *s) {
  AC_TASK(void) a = ac_spawn_void(ping(s)), b = ac_spawn_void(pong(s));
  await(ac_join_void(a));
  await(ac_join_void(b));
}

static void w4(long switches) {
  struct w4 s = {.rounds = switches / 2};
  ac_mbox_init(&s.to_ping);
  ac_mbox_init(&s.to_pong);
  uint64_t t0 = bench_now_ns();
  ac_block_on(pingpong(&s));
  uint64_t t1 = bench_now_ns();
  bench_report("w4_pingpong.ns_per_switch",
               (double)(t1 - t0) / (2 * s.rounds), "ns");
  bench_report("w4_pingpong.n", 2 * s.rounds, "switches");
}

int main(int argc, char **argv) {
  const char *w = argc > 1 ? argv[1] : "";
  if (strcmp(w, "w1") == 0)
    w1(bench_arg_n(argc, argv, 10000000));
  else if (strcmp(w, "w2") == 0)
    w2(bench_arg_n(argc, argv, 1000000));
  else if (strcmp(w, "w3") == 0)
    w3(bench_arg_n(argc, argv, 1000000), 0);
  else if (strcmp(w, "w3timer") == 0)
    w3(bench_arg_n(argc, argv, 1000000), 1);
  else if (strcmp(w, "w4") == 0)
    w4(bench_arg_n(argc, argv, 10000000));
  else {
    fprintf(stderr, "usage: %s w1|w2|w3|w3timer|w4 [COUNT]\n", argv[0]);
    return 2;
  }
  return 0;
}
