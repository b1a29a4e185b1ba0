/* timer.c -- ac_sleep, the runtime's timer leaf future.
 *
 * A pending sleep is a node in its frame (struct ac__timer_node,
 * asyncc.h) on its executor's timer heap, and the executor has one libuv
 * timer, set for the earliest deadline.  So sleeping allocates nothing,
 * a sleeping task costs its frame only, and a thousand sleeps that end
 * together are one libuv callback, which wakes their tasks in order.  A
 * frame may be dropped at any time: dropping a pending sleep takes its
 * node off the heap, which no libuv handle refers to.  (A uv_timer_t per
 * sleep could not live in the frame: a handle must stay valid until its
 * close callback, which may run after the frame is gone.)
 *
 * The heap is a pairing heap ordered by (deadline, start order): O(1) to
 * add a sleep, O(log n) amortised to remove the earliest or any other,
 * and sleeps of equal deadline come out in the order they started.  Its
 * links are three pointers per node: the first child, the next sibling,
 * and `prev`, the parent of a first child or the previous sibling of any
 * other.  Deadlines are in milliseconds on the loop's clock, updated
 * before each start so that a sleep never ends early because the loop's
 * cached time is stale.
 *
 * ac_sleep(0) still suspends: it completes on the next turn of the loop,
 * after other ready tasks and due timers, like a timer of 0 in libuv. */
#include <assert.h>

#include "internal.h"

enum { SLEEP_START, SLEEP_PENDING, SLEEP_FIRED, SLEEP_DONE };

typedef struct ac__timer_node Node;

static int before(const Node *a, const Node *b) {
  return a->deadline < b->deadline ||
         (a->deadline == b->deadline && a->seq < b->seq);
}

/* Joins two heaps (roots, or NULL) into one and returns its root. */
static Node *meld(Node *a, Node *b) {
  if (a == NULL)
    return b;
  if (b == NULL)
    return a;
  if (before(b, a)) {
    Node *t = a;
    a = b;
    b = t;
  }
  b->prev = a;
  b->next = a->child;
  if (a->child != NULL)
    a->child->prev = b;
  a->child = b;
  return a;
}

/* Joins the sibling list starting at `first` into one heap: pairs from
 * the left, then the pairs from the right (the two passes that give the
 * pairing heap its bounds), without recursion. */
static Node *merge_siblings(Node *first) {
  Node *pairs = NULL; /* melded pairs, the last first, through next */
  while (first != NULL) {
    Node *a = first, *b = a->next;
    first = b != NULL ? b->next : NULL;
    a->prev = a->next = NULL;
    if (b != NULL)
      b->prev = b->next = NULL;
    Node *m = meld(a, b);
    m->next = pairs;
    pairs = m;
  }
  Node *root = NULL;
  while (pairs != NULL) {
    Node *m = pairs;
    pairs = m->next;
    m->next = NULL;
    root = meld(m, root);
  }
  return root;
}

/* Takes n, which is on the heap, off it. */
static void heap_remove(struct ac__timers *tm, Node *n) {
  if (n == tm->root) {
    tm->root = merge_siblings(n->child);
  } else {
    if (n->prev->child == n)
      n->prev->child = n->next;
    else
      n->prev->next = n->next;
    if (n->next != NULL)
      n->next->prev = n->prev;
    tm->root = meld(tm->root, merge_siblings(n->child));
  }
  n->child = n->next = n->prev = NULL;
}

static void timer_cb(uv_timer_t *handle);

/* Sets the libuv timer for the earliest deadline, or stops it. */
static void arm(struct ac__exec *ex) {
  struct ac__timers *tm = &ex->timers;
  if (tm->root == NULL) {
    uv_timer_stop(&tm->handle);
    return;
  }
  uint64_t now = uv_now(&ex->loop);
  uint64_t due = tm->root->deadline;
  uv_timer_start(&tm->handle, timer_cb, due > now ? due - now : 0, 0);
}

/* Wakes, in order, the tasks of every sleep that is due. */
static void timer_cb(uv_timer_t *handle) {
  struct ac__exec *ex = ac__container_of(handle, struct ac__exec, timers.handle);
  struct ac__timers *tm = &ex->timers;
  uint64_t now = uv_now(&ex->loop);
  while (tm->root != NULL && tm->root->deadline <= now) {
    Node *n = tm->root;
    heap_remove(tm, n);
    struct ac_sleep_frame *fr = ac__container_of(n, struct ac_sleep_frame, node);
    fr->state = SLEEP_FIRED;
    ac_task_wake(n->task);
  }
  arm(ex);
}

void ac__timers_close(struct ac__exec *ex) {
  struct ac__timers *tm = &ex->timers;
  assert(tm->root == NULL); /* Every task was dropped. */
  if (!tm->handle_open)
    return;
  /* The handle is in the executor, which outlives the loop: nothing to
   * free when the close completes. */
  uv_close((uv_handle_t *)&tm->handle, NULL);
  tm->handle_open = 0;
}

void ac_sleep_init(struct ac_sleep_frame *fr, uint64_t ms) {
  assert(fr != NULL);
  fr->ms = ms;
  fr->state = SLEEP_START;
}

static ac_poll sleep_start(struct ac_sleep_frame *fr, ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0) {
    ac__task_fail(cx->task, err);
    return AC_PENDING;
  }
  struct ac__timers *tm = &ex->timers;
  if (!tm->handle_open) {
    uv_timer_init(&ex->loop, &tm->handle); /* Cannot fail. */
    tm->handle_open = 1;
  }
  uv_update_time(&ex->loop);
  uint64_t now = uv_now(&ex->loop);
  Node *n = &fr->node;
  *n = (Node){.deadline = fr->ms > UINT64_MAX - now ? UINT64_MAX : now + fr->ms,
              .seq = ++tm->seq,
              .task = cx->task};
  Node *old = tm->root;
  tm->root = meld(old, n);
  fr->state = SLEEP_PENDING;
  if (tm->root == n)
    arm(ex); /* A new earliest deadline. */
  return AC_PENDING;
}

ac_poll ac_sleep_poll(void *frame, ac_cx *cx) {
  struct ac_sleep_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  switch (fr->state) {
  case SLEEP_START:
    return sleep_start(fr, cx);
  case SLEEP_PENDING:
    fr->node.task = cx->task;
    return AC_PENDING;
  default:
    fr->state = SLEEP_DONE;
    return AC_READY;
  }
}

/* Takes a pending sleep off the heap; a sleep never polled, fired or
 * finished holds nothing. */
void ac_sleep_drop(void *frame) {
  struct ac_sleep_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == SLEEP_PENDING) {
    struct ac__exec *ex = ac__exec_current();
    int was_first = ex->timers.root == &fr->node;
    heap_remove(&ex->timers, &fr->node);
    if (was_first)
      arm(ex);
  }
  fr->state = SLEEP_DONE;
}
