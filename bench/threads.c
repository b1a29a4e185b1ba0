/* threads.c -- throughput of the threaded flavour: the same workload run
 * with 1 worker and with 2, alternately in one process, reported as the
 * ratio of the medians.
 *
 * Two workloads of `tasks` tasks, each step costing a little CPU work
 * (`work` rounds of a hash): independent tasks that yield in a loop, and
 * pairs of tasks playing ping-pong over two channels of capacity 1.
 * Nothing is shared between tasks (yield) or pairs (ping-pong), so a
 * second worker may run them in parallel; the ping-pong pays a
 * cross-worker wake (inject queue, uv_async_t) per message.
 *
 *   bench-threads [tasks] [rounds] [work] [runs]     (defaults 64 2000 200 5)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <asyncc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned work_rounds;

/* CPU-light work: WORK rounds of an xorshift-multiply hash. */
static uint64_t work(uint64_t x) {
  for (unsigned i = 0; i < work_rounds; i++) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
  }
  return x;
}

/* Sends 0..rounds-1 and checks each reply; returns a checksum. */
static async uint64_t pinger(ac_chan *out, ac_chan *in, int rounds) {
  uint64_t sum = 0;
  for (int i = 0; i < rounds; i++) {
    uint64_t v = work((uint64_t)i);
    if (await(ac_chan_send(out, &v)) != 0)
      return 0;
    uint64_t reply;
    if (await(ac_chan_recv(in, &reply)) != 0)
      return 0;
    sum += reply;
  }
  ac_chan_close(out);
  return sum;
}

/* Replies work(v) to every v until the channel closes. */
static async void ponger(ac_chan *in, ac_chan *out) {
  uint64_t v;
  while (await(ac_chan_recv(in, &v)) == 0) {
    uint64_t reply = work(v);
    if (await(ac_chan_send(out, &reply)) != 0)
      return;
  }
}

/* Yields `rounds` times, hashing in between. */
static async uint64_t yielder(int rounds) {
  uint64_t x = 1;
  for (int i = 0; i < rounds; i++) {
    x = work(x + (uint64_t)i);
    await(ac_yield());
  }
  return x;
}

#define MAX_TASKS 1024

/* `pairs` ping-pong pairs: every message crosses from one task to the
 * other, and round-robin placement puts the two ends of a pair on
 * different workers, so with 2 workers each message is a cross-thread
 * wake. */
static async uint64_t pingpong(int pairs, int rounds) {
  static ac_chan a[MAX_TASKS], b[MAX_TASKS];
  static AC_TASK(uint64_t) pings[MAX_TASKS];
  static AC_TASK(void) pongs[MAX_TASKS];
  for (int p = 0; p < pairs; p++) {
    if (ac_chan_init(&a[p], sizeof(uint64_t), 1) != 0 ||
        ac_chan_init(&b[p], sizeof(uint64_t), 1) != 0)
      return 0;
    pings[p] = ac_spawn(pinger(&a[p], &b[p], rounds));
    pongs[p] = ac_spawn_void(ponger(&a[p], &b[p]));
  }
  uint64_t sum = 0;
  for (int p = 0; p < pairs; p++) {
    sum += await(ac_join(pings[p]));
    await(ac_join_void(pongs[p]));
    ac_chan_fini(&a[p]);
    ac_chan_fini(&b[p]);
  }
  return sum;
}

/* `tasks` independent tasks that hash and yield: nothing crosses
 * workers but the spawns and the joins. */
static async uint64_t yields(int tasks, int rounds) {
  static AC_TASK(uint64_t) h[MAX_TASKS];
  for (int k = 0; k < tasks; k++)
    h[k] = ac_spawn(yielder(rounds));
  uint64_t sum = 0;
  for (int k = 0; k < tasks; k++)
    sum += await(ac_join(h[k]));
  return sum;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs one workload on `workers` workers; returns the seconds taken and
 * the checksum in *sum. */
static double run(int which, unsigned workers, int tasks, int rounds,
                  uint64_t *sum) {
  ac_runtime_set_workers(workers);
  double t0 = now();
  if (which == 0)
    *sum = ac_block_on(yields(tasks, rounds));
  else
    *sum = ac_block_on(pingpong(tasks / 2, rounds));
  return now() - t0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
  int tasks = argc > 1 ? atoi(argv[1]) : 64;
  int rounds = argc > 2 ? atoi(argv[2]) : 2000;
  work_rounds = argc > 3 ? (unsigned)atoi(argv[3]) : 200;
  int runs = argc > 4 ? atoi(argv[4]) : 5;
  if (tasks < 2 || tasks > MAX_TASKS || rounds < 1 || runs < 1 || runs > 99) {
    fprintf(stderr, "usage: bench-threads [tasks] [rounds] [work] [runs]\n");
    return 2;
  }
  static const char *const names[] = {"yield", "ping-pong"};
  printf("tasks %d, rounds %d, work %u, runs %d\n", tasks, rounds, work_rounds,
         runs);
  for (int which = 0; which < 2; which++) {
    double one[99], two[99];
    uint64_t sum1 = 0, sum2 = 0;
    /* Alternate, so that both see the same machine load on average. */
    for (int r = 0; r < runs; r++) {
      one[r] = run(which, 1, tasks, rounds, &sum1);
      two[r] = run(which, 2, tasks, rounds, &sum2);
      if (sum1 != sum2) {
        fprintf(stderr, "bench-threads: checksums differ\n");
        return 1;
      }
    }
    double m1 = median(one, runs), m2 = median(two, runs);
    printf("%-9s  1 worker %.3f s, 2 workers %.3f s (medians), "
           "speed-up %.2f\n",
           names[which], m1, m2, m1 / m2);
  }
  return 0;
}
