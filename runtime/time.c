/* time.c -- ac_interval ticks and ac_now (asyncc/time.h).
 *
 * An interval is only a schedule: tick k is due at start + k * period.
 * Awaiting a tick that is not due yet sleeps (an embedded ac_sleep, which
 * allocates nothing) until its deadline; a tick awaited late
 * completes at once with the index of the latest due tick and the ticks
 * before it are skipped (tokio's MissedTickBehavior::Skip). */
#include <assert.h>

#include "internal.h"

enum { TICK_START, TICK_SLEEPING, TICK_DONE };

uint64_t ac_now(void) {
  struct ac__exec *ex = ac__exec_current();
  if (!ex->loop_open)
    return uv_hrtime() / 1000000;
  uv_update_time(&ex->loop);
  return uv_now(&ex->loop);
}

int ac_interval_init(ac_interval *iv, uint64_t period_ms) {
  if (iv == NULL || period_ms == 0)
    return AC_EINVAL;
  *iv = (ac_interval){0};
  iv->period = period_ms;
  return 0;
}

void ac_interval_reset(ac_interval *iv) {
  if (iv == NULL)
    return;
  iv->start = ac_now();
  iv->next = 1;
  iv->started = 1;
}

void ac_interval_tick_init(struct ac_interval_tick_frame *fr, ac_interval *iv) {
  assert(fr != NULL);
  fr->result = 0;
  fr->iv = iv;
  fr->state = TICK_START;
}

/* Delivers the latest due tick (now >= its deadline) and schedules the
 * next one after it. */
static ac_poll tick_ready(struct ac_interval_tick_frame *fr, uint64_t now) {
  ac_interval *iv = fr->iv;
  uint64_t latest = (now - iv->start) / iv->period;
  fr->result = latest > iv->next ? latest : iv->next;
  iv->next = fr->result + 1;
  fr->state = TICK_DONE;
  return AC_READY;
}

ac_poll ac_interval_tick_poll(void *frame, ac_cx *cx) {
  struct ac_interval_tick_frame *fr = frame;
  assert(fr != NULL && fr->iv != NULL && cx != NULL && cx->task != NULL);
  ac_interval *iv = fr->iv;
  if (fr->state == TICK_DONE)
    return AC_READY;
  if (fr->state == TICK_SLEEPING) {
    if (ac_sleep_poll(&fr->sleep, cx) == AC_PENDING)
      return AC_PENDING;
    fr->state = TICK_START;
  }
  uint64_t now = ac_now();
  if (!iv->started) {
    iv->started = 1;
    iv->start = now;
    iv->next = 0;
  }
  uint64_t due = iv->start + iv->next * iv->period;
  if (now >= due) {
    /* Due without a wait: a late consumer must not starve the others. */
    if (ac_budget_spend(cx) == AC_PENDING)
      return AC_PENDING;
    return tick_ready(fr, now);
  }
  ac_sleep_init(&fr->sleep, due - now);
  fr->state = TICK_SLEEPING;
  return ac_sleep_poll(&fr->sleep, cx); /* A sleep's first poll waits. */
}

void ac_interval_tick_drop(void *frame) {
  struct ac_interval_tick_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == TICK_SLEEPING)
    ac_sleep_drop(&fr->sleep);
  fr->state = TICK_DONE;
}
