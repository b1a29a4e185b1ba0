/* cancel_tree.c -- linking cancellation tokens into trees (cancel_tree.h). */
#include "cancel_tree.h"

void ac__cancel_tree_link(ac_cancel_token *child, ac_cancel_token *parent) {
  child->cancelled = parent->cancelled;
  child->parent = parent;
  child->next_sibling = parent->first_child;
  if (parent->first_child != NULL)
    parent->first_child->prev_sibling = child;
  parent->first_child = child;
}

void ac__cancel_tree_unlink(ac_cancel_token *t) {
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
}

ac_cancel_token *ac__cancel_tree_next(ac_cancel_token *t,
                                      ac_cancel_token *root) {
  if (t->first_child != NULL)
    return t->first_child;
  while (t != root && t->next_sibling == NULL)
    t = t->parent;
  return t == root ? NULL : t->next_sibling;
}
