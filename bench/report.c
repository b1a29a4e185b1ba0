/* report.c -- the benchmark programs' clock, memory readings and result
 * lines (report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The number of kB on the line "key: N kB" of /proc/self/status. */
static long status_kb(const char *key) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL)
    return -1;
  char line[256];
  size_t len = strlen(key);
  long kb = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, key, len) == 0 && line[len] == ':') {
      kb = strtol(line + len + 1, NULL, 10);
      break;
    }
  }
  fclose(f);
  return kb;
}

long bench_rss_kb(void) { return status_kb("VmRSS"); }

long bench_hwm_kb(void) { return status_kb("VmHWM"); }

void bench_report(const char *name, double value, const char *unit) {
  if (value == (double)(long long)value)
    printf("name=%s peer=asyncc value=%lld unit=%s\n", name, (long long)value,
           unit);
  else
    printf("name=%s peer=asyncc value=%.3f unit=%s\n", name, value, unit);
  fflush(stdout);
}

long bench_arg_n(int argc, char **argv, long dflt) {
  if (argc <= 2)
    return dflt;
  char *end;
  long n = strtol(argv[2], &end, 10);
  if (*end != '\0' || n <= 0) {
    fprintf(stderr, "bad count '%s'\n", argv[2]);
    exit(2);
  }
  return n;
}

void bench_check(int ok, const char *what) {
  if (ok)
    return;
  fprintf(stderr, "CHECK FAILED: %s\n", what);
  exit(1);
}

size_t bench_task_bytes(size_t frame_size) {
  return ac__task_bytes(frame_size);
}
