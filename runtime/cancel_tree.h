/* cancel_tree.h -- the parent/child links of cancellation tokens, shared by
 * the runtime (cancel.c) and the sync-view library (sync_view_sync.c), which
 * link the same tree and differ only in waking waiters. */
#ifndef ASYNCC_CANCEL_TREE_H
#define ASYNCC_CANCEL_TREE_H

#include <asyncc.h>

/* Makes `child` (initialised) the first child of `parent`. */
void ac__cancel_tree_link(ac_cancel_token *child, ac_cancel_token *parent);
/* Unlinks `t` from its parent and siblings, orphans its children, and
 * zeroes it. */
void ac__cancel_tree_unlink(ac_cancel_token *t);
/* The token after `t` in a pre-order walk of the subtree of `root`. */
ac_cancel_token *ac__cancel_tree_next(ac_cancel_token *t,
                                      ac_cancel_token *root);

#endif
