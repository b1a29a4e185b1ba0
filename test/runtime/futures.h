/* futures.h -- hand-written futures shared by several tests, written the
 * way generated code or a user's leaf future would be. */
#ifndef ASYNCC_TEST_FUTURES_H
#define ASYNCC_TEST_FUTURES_H

#include <asyncc.h>

#define JOIN_MAX 128

/* join: polls every arm each time it is polled and completes when all arms
 * have; `order` records the arms in the order they completed.  Dropping it
 * drops the arms still pending. */
struct join_arm {
  void *frame;
  ac_poll_fn poll;
  ac_drop_fn drop;
  int done;
};

struct join_frame {
  int n;
  int finished;
  int order[JOIN_MAX];
  struct join_arm arm[JOIN_MAX];
};

void join_init(struct join_frame *fr);
void join_add(struct join_frame *fr, void *frame, ac_poll_fn poll,
              ac_drop_fn drop);
ac_poll join_poll(void *frame, ac_cx *cx);
void join_drop(void *frame);

/* sleeps: a join of n ac_sleep frames, with the given durations. */
struct sleeps_frame {
  struct join_frame join;
  struct ac_sleep_frame sleep[JOIN_MAX];
};

void sleeps_init(struct sleeps_frame *fr, int n, const uint64_t *ms);

/* Drop functions that count their calls in `drops`, for tests that check
 * whether block_on dropped a frame. */
extern int drops;
void count_drop(void *frame);

#endif /* ASYNCC_TEST_FUTURES_H */
