/* report.h -- what the benchmark programs share: a monotonic clock, the
 * process's memory from /proc, checks, and the one result-line format of
 * the side-by-side benchmarks:
 *
 *   name=<workload>.<metric> peer=asyncc value=<number> unit=<unit> */
#ifndef ASYNCC_BENCH_REPORT_H
#define ASYNCC_BENCH_REPORT_H

#include <stddef.h>
#include <stdint.h>

uint64_t bench_now_ns(void);
/* VmRSS and VmHWM of /proc/self/status, in KiB; -1 if unreadable. */
long bench_rss_kb(void);
long bench_hwm_kb(void);
void bench_report(const char *name, double value, const char *unit);
/* argv[2] as a positive count, `dflt` without it; exits 2 if malformed. */
long bench_arg_n(int argc, char **argv, long dflt);
/* Exits 1 with a message unless `ok`. */
void bench_check(int ok, const char *what);
/* The bytes the runtime takes from its allocator for a task whose frame
 * is `frame_size` bytes. */
size_t bench_task_bytes(size_t frame_size);

#endif /* ASYNCC_BENCH_REPORT_H */
