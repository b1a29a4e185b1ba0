/* asyncc/time.h -- periodic ticks and the loop's clock (ac_sleep is in
 * <asyncc.h>).
 *
 *   ac_interval iv;
 *   ac_interval_init(&iv, 100);             every 100 ms
 *   for (;;) {
 *     uint64_t i = await(ac_interval_tick(&iv));   0, 1, 2, ...
 *     ...
 *   }
 *
 * Tick k is due at start + k * period, where start is the time of the
 * first tick (which completes at once).  Missed ticks are skipped, like
 * tokio's MissedTickBehavior::Skip: a tick awaited late completes at once
 * and yields the index of the latest due tick, and the next one is due at
 * the next multiple of the period, so a slow consumer never gets a burst
 * of catch-up ticks.  The index tells how many were skipped.  An interval
 * holds no libuv handle (each tick sleeps with its own timer), so it needs
 * no cleanup.  Included by <asyncc.h>; docs/runtime.md, "Time". */
#ifndef ASYNCC_TIME_H
#define ASYNCC_TIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_interval {
  uint64_t period; /* ms */
  uint64_t start;  /* loop time of tick 0, once started */
  uint64_t next;   /* index of the next tick to deliver */
  int started;
} ac_interval;

/* Returns 0, or AC_EINVAL for a NULL iv or a period of 0. */
int ac_interval_init(ac_interval *iv, uint64_t period_ms);
/* Restarts the schedule as if tick 0 had completed now: the next tick is
 * due one period from now, with index 1. */
void ac_interval_reset(ac_interval *iv);

/* await(ac_interval_tick(&iv)): waits for the next due tick and yields
 * its index. */
async uint64_t ac_interval_tick(ac_interval *iv);

struct ac_interval_tick_frame {
  uint64_t result;
  ac_interval *iv;
  struct ac_sleep_frame sleep;
  int state; /* 0: not polled, 1: sleeping, 2: done */
};
void ac_interval_tick_init(struct ac_interval_tick_frame *fr, ac_interval *iv);
ac_poll ac_interval_tick_poll(void *frame, ac_cx *cx);
void ac_interval_tick_drop(void *frame);

/* The executor loop's clock in milliseconds (uv_now after updating it)
 * while the loop is open, else the same monotonic clock read directly. */
uint64_t ac_now(void);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_TIME_H */
