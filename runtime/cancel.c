/* cancel.c -- cancellation tokens (asyncc/sync.h).
 *
 * Tokens form a tree through parent / first_child / sibling links, so
 * cancelling walks the subtree in pre-order without recursion and without
 * allocating.  A child made under a cancelled parent starts cancelled, so
 * a cancelled token's descendants are all cancelled.  A cancel walks a
 * whole tree, so in the threaded flavour one lock guards every token. */
#include <assert.h>

#include "cancel_tree.h"
#include "internal.h"

/* The address whose striped lock guards every token (workers.c). */
static const char tokens_lock;

void ac_cancel_token_init(ac_cancel_token *t) {
  assert(t != NULL);
  *t = (ac_cancel_token){0};
}

int ac_cancel_token_init_child(ac_cancel_token *child,
                               ac_cancel_token *parent) {
  if (child == NULL || parent == NULL || child == parent)
    return AC_EINVAL;
  ac_cancel_token_init(child);
  int locked = ac__lock(&tokens_lock);
  ac__cancel_tree_link(child, parent);
  ac__unlock(&tokens_lock, locked);
  return 0;
}

int ac_cancel_token_fini(ac_cancel_token *t) {
  if (t == NULL)
    return AC_EINVAL;
  int locked = ac__lock(&tokens_lock);
  int err = 0;
  if (t->waiters.head != NULL)
    err = AC_EBUSY;
  else
    ac__cancel_tree_unlink(t);
  ac__unlock(&tokens_lock, locked);
  return err;
}

void ac_cancel_token_cancel(ac_cancel_token *t) {
  if (t == NULL)
    return;
  int locked = ac__lock(&tokens_lock);
  if (!t->cancelled) {
    for (ac_cancel_token *c = t; c != NULL; c = ac__cancel_tree_next(c, t)) {
      c->cancelled = 1;
      ac__wait_wake_all(&c->waiters, 0);
    }
  }
  ac__unlock(&tokens_lock, locked);
}

int ac_cancel_token_is_cancelled(const ac_cancel_token *t) {
  if (t == NULL)
    return 0;
  int locked = ac__lock(&tokens_lock);
  int cancelled = t->cancelled;
  ac__unlock(&tokens_lock, locked);
  return cancelled;
}

void ac_cancel_token_cancelled_init(struct ac_cancel_token_cancelled_frame *fr,
                                    ac_cancel_token *t) {
  assert(fr != NULL);
  fr->t = t;
  fr->w = (struct ac__waiter){0};
}

static AC__HOT_INLINE ac_poll
cancelled_poll(struct ac_cancel_token_cancelled_frame *fr, ac_cx *cx) {
  ac_poll r;
  if (ac__wait_resume(&fr->w, cx, &r))
    return r;
  if (!fr->t->cancelled) {
    ac__wait_push(&fr->t->waiters, &fr->w, cx->task);
    return AC_PENDING;
  }
  if (ac_budget_spend(cx) == AC_PENDING)
    return AC_PENDING;
  fr->w.state = AC__W_DONE;
  return AC_READY;
}

ac_poll ac_cancel_token_cancelled_poll(void *frame, ac_cx *cx) {
  struct ac_cancel_token_cancelled_frame *fr = frame;
  assert(fr != NULL && fr->t != NULL && cx != NULL && cx->task != NULL);
  if (!ac__is_threaded())
    return cancelled_poll(fr, cx);
  ac__lock_slow(&tokens_lock);
  ac_poll r = cancelled_poll(fr, cx);
  ac__unlock_slow(&tokens_lock);
  return r;
}

void ac_cancel_token_cancelled_drop(void *frame) {
  struct ac_cancel_token_cancelled_frame *fr = frame;
  assert(fr != NULL);
  int locked = ac__lock(&tokens_lock);
  if (fr->w.state == AC__W_WAITING)
    ac__wait_remove(&fr->t->waiters, &fr->w);
  fr->w.state = AC__W_DONE;
  ac__unlock(&tokens_lock, locked);
}
