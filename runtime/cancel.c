/* cancel.c -- cancellation tokens (asyncc/sync.h).
 *
 * Tokens form a tree through parent / first_child / sibling links, so
 * cancelling walks the subtree in pre-order without recursion and without
 * allocating.  A child made under a cancelled parent starts cancelled, so
 * a cancelled token's descendants are all cancelled. */
#include <assert.h>

#include "cancel_tree.h"
#include "internal.h"

void ac_cancel_token_init(ac_cancel_token *t) {
  assert(t != NULL);
  *t = (ac_cancel_token){0};
}

int ac_cancel_token_init_child(ac_cancel_token *child,
                               ac_cancel_token *parent) {
  if (child == NULL || parent == NULL || child == parent)
    return AC_EINVAL;
  ac_cancel_token_init(child);
  ac__cancel_tree_link(child, parent);
  return 0;
}

int ac_cancel_token_fini(ac_cancel_token *t) {
  if (t == NULL)
    return AC_EINVAL;
  if (t->waiters.head != NULL)
    return AC_EBUSY;
  ac__cancel_tree_unlink(t);
  return 0;
}

void ac_cancel_token_cancel(ac_cancel_token *t) {
  if (t == NULL || t->cancelled)
    return;
  for (ac_cancel_token *c = t; c != NULL; c = ac__cancel_tree_next(c, t)) {
    c->cancelled = 1;
    ac__wait_wake_all(&c->waiters, 0);
  }
}

int ac_cancel_token_is_cancelled(const ac_cancel_token *t) {
  return t != NULL && t->cancelled;
}

void ac_cancel_token_cancelled_init(struct ac_cancel_token_cancelled_frame *fr,
                                    ac_cancel_token *t) {
  assert(fr != NULL);
  fr->t = t;
  fr->w = (struct ac__waiter){0};
}

ac_poll ac_cancel_token_cancelled_poll(void *frame, ac_cx *cx) {
  struct ac_cancel_token_cancelled_frame *fr = frame;
  assert(fr != NULL && fr->t != NULL && cx != NULL && cx->task != NULL);
  switch (fr->w.state) {
  case AC__W_DONE:
    return AC_READY;
  case AC__W_WAITING:
    fr->w.task = cx->task;
    return AC_PENDING;
  case AC__W_NOTIFIED:
    fr->w.state = AC__W_DONE;
    return AC_READY;
  }
  if (!fr->t->cancelled) {
    ac__wait_push(&fr->t->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

void ac_cancel_token_cancelled_drop(void *frame) {
  struct ac_cancel_token_cancelled_frame *fr = frame;
  assert(fr != NULL);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->t->waiters, &fr->w);
  fr->w.state = AC__W_DONE;
}
