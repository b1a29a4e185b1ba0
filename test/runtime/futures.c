/* futures.c -- hand-written futures shared by several tests. */
#include <assert.h>

#include "futures.h"

int drops;

void count_drop(void *frame) {
  (void)frame;
  drops++;
}

void join_init(struct join_frame *fr) {
  fr->n = 0;
  fr->finished = 0;
}

void join_add(struct join_frame *fr, void *frame, ac_poll_fn poll,
              ac_drop_fn drop) {
  assert(fr->n < JOIN_MAX);
  fr->arm[fr->n++] = (struct join_arm){frame, poll, drop, 0};
}

ac_poll join_poll(void *frame, ac_cx *cx) {
  struct join_frame *fr = frame;
  for (int i = 0; i < fr->n; i++) {
    struct join_arm *a = &fr->arm[i];
    if (!a->done && a->poll(a->frame, cx) == AC_READY) {
      a->done = 1;
      fr->order[fr->finished++] = i;
    }
  }
  return fr->finished == fr->n ? AC_READY : AC_PENDING;
}

void join_drop(void *frame) {
  struct join_frame *fr = frame;
  for (int i = 0; i < fr->n; i++) {
    if (!fr->arm[i].done)
      fr->arm[i].drop(fr->arm[i].frame);
    fr->arm[i].done = 1;
  }
}

void sleeps_init(struct sleeps_frame *fr, int n, const uint64_t *ms) {
  join_init(&fr->join);
  for (int i = 0; i < n; i++) {
    ac_sleep_init(&fr->sleep[i], ms[i]);
    join_add(&fr->join, &fr->sleep[i], ac_sleep_poll, ac_sleep_drop);
  }
}
