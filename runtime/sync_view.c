/* sync_view.c -- the runtime's leaf futures as ordinary functions, for the
 * untransformed program (the "sync view", DESIGN.md section 1), where an
 * async function is a plain function and await(e) is just e.  Built as the
 * separate asyncc_sync library; it shares no symbol with libasyncc. */
#include <errno.h>
#include <time.h>

#include <asyncc.h>

/* Sleeps for `ms` milliseconds, resuming after signal interruptions. */
void ac_sleep(uint64_t ms) {
  struct timespec ts = {
      .tv_sec = (time_t)(ms / 1000),
      .tv_nsec = (long)(ms % 1000) * 1000000L,
  };
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
    continue;
}

/* With a single thread of control there is nothing to yield to. */
void ac_yield(void) {}
