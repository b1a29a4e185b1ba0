/* cancel.c -- cancellation tokens (asyncc/sync.h).
 *
 * Tokens form a tree through parent / first_child / sibling links, so
 * cancelling walks the subtree in pre-order without recursion and without
 * allocating.  A child made under a cancelled parent starts cancelled, so
 * a cancelled token's descendants are all cancelled. */
#include <assert.h>

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
  child->cancelled = parent->cancelled;
  child->parent = parent;
  child->next_sibling = parent->first_child;
  if (parent->first_child != NULL)
    parent->first_child->prev_sibling = child;
  parent->first_child = child;
  return 0;
}

int ac_cancel_token_fini(ac_cancel_token *t) {
  if (t == NULL)
    return AC_EINVAL;
  if (t->waiters.head != NULL)
    return AC_EBUSY;
  if (t->prev_sibling != NULL)
    t->prev_sibling->next_sibling = t->next_sibling;
  else if (t->parent != NULL)
    t->parent->first_child = t->next_sibling;
  if (t->next_sibling != NULL)
    t->next_sibling->prev_sibling = t->prev_sibling;
  for (ac_cancel_token *c = t->first_child, *next; c != NULL; c = next) {
    next = c->next_sibling;
    c->parent = c->prev_sibling = c->next_sibling = NULL;
  }
  *t = (ac_cancel_token){0};
  return 0;
}

/* The token after `t` in a pre-order walk of the subtree of `root`. */
static ac_cancel_token *walk_next(ac_cancel_token *t, ac_cancel_token *root) {
  if (t->first_child != NULL)
    return t->first_child;
  while (t != root && t->next_sibling == NULL)
    t = t->parent;
  return t == root ? NULL : t->next_sibling;
}

void ac_cancel_token_cancel(ac_cancel_token *t) {
  if (t == NULL || t->cancelled)
    return;
  for (ac_cancel_token *c = t; c != NULL; c = walk_next(c, t)) {
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
