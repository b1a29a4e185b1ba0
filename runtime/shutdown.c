/* shutdown.c -- ac_shutdown_on_signal: a server's graceful shutdown.
 *
 * A hand-written future over four others: the join of the server's scope,
 * which stays live from the first poll to the end (dropping a pending
 * scope join would cancel the scope), and, one phase at a time, the two
 * signal waits and then the grace period's sleep:
 *
 *   WAITING    join | SIGINT | SIGTERM    a signal: cancel the token
 *   GRACE      join | sleep(grace_ms)     the sleep: cancel the scope
 *   CANCELLED  join
 *
 * The join completing ends every phase. */
#include <assert.h>
#include <signal.h>

#include "internal.h"

enum { START, WAITING, GRACE, CANCELLED, DONE };

void ac_shutdown_on_signal_init(struct ac_shutdown_on_signal_frame *fr,
                                ac_scope *tasks, ac_cancel_token *stop,
                                uint64_t grace_ms) {
  assert(fr != NULL);
  fr->tasks = tasks;
  fr->stop = stop;
  fr->grace_ms = grace_ms;
  fr->phase = START;
  fr->signum = 0;
  fr->result = 0;
}

/* Drops the sub-futures of the current phase but the join. */
static void drop_phase(struct ac_shutdown_on_signal_frame *fr) {
  if (fr->phase == WAITING) {
    ac_signal_drop(&fr->sigint);
    ac_signal_drop(&fr->sigterm);
  } else if (fr->phase == GRACE) {
    ac_sleep_drop(&fr->grace);
  }
}

static ac_poll finish(struct ac_shutdown_on_signal_frame *fr, int result) {
  drop_phase(fr);
  fr->result = result;
  fr->phase = DONE;
  return AC_READY;
}

/* The outcome of a signal wait that completed: a signal starts the grace
 * period; an error (the signals cannot be caught) cancels the scope. */
static void signalled(struct ac_shutdown_on_signal_frame *fr, int r) {
  drop_phase(fr);
  if (r < 0) {
    fr->signum = r;
    ac_scope_cancel(fr->tasks);
    fr->phase = CANCELLED;
    return;
  }
  fr->signum = r;
  if (fr->stop != NULL)
    ac_cancel_token_cancel(fr->stop);
  ac_sleep_init(&fr->grace, fr->grace_ms);
  fr->phase = GRACE;
}

ac_poll ac_shutdown_on_signal_poll(void *frame, ac_cx *cx) {
  struct ac_shutdown_on_signal_frame *fr = frame;
  assert(fr != NULL && cx != NULL);
  if (fr->phase == DONE)
    return AC_READY;
  if (fr->phase == START) {
    if (fr->tasks == NULL)
      return finish(fr, AC_EINVAL);
    ac_scope_join_init(&fr->join, fr->tasks);
    ac_signal_init(&fr->sigint, SIGINT);
    ac_signal_init(&fr->sigterm, SIGTERM);
    fr->phase = WAITING;
  }
  if (ac_scope_join_poll(&fr->join, cx) == AC_READY)
    return finish(fr, fr->signum);
  if (fr->phase == WAITING) {
    if (ac_signal_poll(&fr->sigint, cx) == AC_READY)
      signalled(fr, fr->sigint.result);
    else if (ac_signal_poll(&fr->sigterm, cx) == AC_READY)
      signalled(fr, fr->sigterm.result);
    else
      return AC_PENDING;
  }
  if (fr->phase == GRACE && ac_sleep_poll(&fr->grace, cx) == AC_READY) {
    drop_phase(fr);
    ac_scope_cancel(fr->tasks);
    fr->phase = CANCELLED;
  }
  /* A phase that began here may already be over. */
  if (ac_scope_join_poll(&fr->join, cx) == AC_READY)
    return finish(fr, fr->signum);
  return AC_PENDING;
}

void ac_shutdown_on_signal_drop(void *frame) {
  struct ac_shutdown_on_signal_frame *fr = frame;
  assert(fr != NULL);
  if (fr->phase == START || fr->phase == DONE)
    return;
  drop_phase(fr);
  ac_scope_join_drop(&fr->join);
  fr->phase = DONE;
}
