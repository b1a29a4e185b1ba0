/* spawn-blocking: CPU-heavy work on a thread pool, so other tasks go on.
 *
 * All tasks share one thread.  A computation that never awaits keeps every
 * other task waiting until it is done: here a ticker that should tick every
 * 10 ms does not tick once while a CRC-32 of 4 MiB runs inline.
 * await(ac_spawn_blocking(fn, arg)) runs fn(arg) on libuv's thread pool
 * instead and suspends the task until fn returns, so the executor's thread
 * stays free and the ticker keeps ticking.  fn is plain C: it must not
 * touch the executor (no awaits, no runtime calls). */
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

#define DATA_SIZE (4u << 20)

/* The input of one checksum and, once computed, its result. */
struct job {
  const unsigned char *data;
  size_t size;
  uint32_t crc;
};

/* CRC-32 (as zlib's crc32), one bit at a time: slow on purpose. */
static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

/* An ac_blocking_fn: runs on a pool thread. */
static void *checksum_job(void *arg) {
  struct job *job = arg;
  job->crc = crc32(job->data, job->size);
  return job;
}

/* Set by main_async when the checksum is done; read by the ticker.  Only
 * the executor's thread touches them. */
static int work_done;
static int ticks;

/* Counts the 10 ms ticks that fire before work_done is set. */
static async void ticker(void) {
  while (!work_done) {
    await(ac_sleep(10));
    if (!work_done)
      ticks++;
  }
}

/* Starts the ticker and lets it run until its first sleep. */
static async AC_TASK(void) start_ticker(void) {
  work_done = 0;
  ticks = 0;
  AC_TASK(void) t = ac_spawn_void(ticker());
  await(ac_yield());
  return t;
}

static async int main_async(void) {
  unsigned char *data = malloc(DATA_SIZE);
  if (data == NULL)
    return 1;
  uint32_t x = 1; /* a fixed pseudo-random fill, so the CRC is known */
  for (size_t i = 0; i < DATA_SIZE; i++) {
    x = x * 1103515245u + 12345u;
    data[i] = (unsigned char)(x >> 24);
  }

  AC_TASK(void) t = await(start_ticker());
  uint32_t inline_crc = crc32(data, DATA_SIZE); /* blocks the thread */
  work_done = 1;
  await(ac_join_void(t));
  printf("inline:  crc32 = %08x; the ticker ticked %d times meanwhile\n",
         (unsigned)inline_crc, ticks);

  t = await(start_ticker());
  struct job job = {data, DATA_SIZE, 0};
  await(ac_spawn_blocking(checksum_job, &job)); /* the thread stays free */
  work_done = 1;
  await(ac_join_void(t));
  printf("on pool: crc32 = %08x; the ticker kept ticking meanwhile: %s\n",
         (unsigned)job.crc, ticks > 0 ? "yes" : "no");

  free(data);
  return job.crc == inline_crc ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
