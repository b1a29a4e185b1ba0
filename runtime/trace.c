/* trace.c -- ASYNCC_TRACE=1 and ac_trace_enable: what the executor does,
 * told as a story.
 *
 * The runtime calls a hook at each event: block_on starts its root, a
 * task is spawned, woken, polled or dropped, or ends, and the libuv loop
 * takes a turn.  A poll is told by what it changed: before it, the trace
 * records the task's await chain (the tree of frames it is suspended in,
 * read through the same ac_future_info tables as ac_dump_tasks); after
 * it, it reads the chain again and prints, level by level, each future's
 * state before and after.  The trace sees only where a poll started and
 * where it stopped: a state passed through without suspending is not
 * printed, and neither is an await that finished and was entered again
 * at the same line.
 *
 * The output has no addresses and no times, so that a program whose
 * events happen in a fixed order traces the same text on every run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

atomic_int ac__trace_on;
static _Atomic(FILE *) trace_out;

void ac_trace_enable(FILE *out) {
  atomic_store(&trace_out, out);
  atomic_store(&ac__trace_on, out != NULL);
}

void ac__trace_from_environment(void) {
  const char *v = getenv("ASYNCC_TRACE");
  ac_trace_enable(v != NULL && *v != '\0' && strcmp(v, "0") != 0 ? stderr
                                                                 : NULL);
}

__attribute__((constructor)) static void trace_at_start(void) {
  ac__trace_from_environment();
}

/* ---- Snapshots of await chains ------------------------------------------ */

/* Levels kept per snapshot; a larger tree is cut, and says so. */
#define SNAP_MAX 128

enum level_kind {
  LV_FUTURE,  /* a frame with its description (states or leaf) */
  LV_UNKNOWN, /* a future without ac_future_info */
  LV_ABSENT,  /* an indirect frame not allocated yet */
  LV_CUT,     /* the tree goes on, deeper or wider than kept */
};

struct level {
  enum level_kind kind;
  ac_poll_fn poll;
  const void *frame;
  const struct ac_future_info *info;
  const struct ac_state_info *st; /* NULL for a leaf or a bad state */
  int state;                      /* the raw state, when info has states */
  unsigned depth;
  unsigned size; /* levels in the subtree, this one included */
  unsigned nkids;
};

/* A task's await tree in preorder: a level's children follow it, each
 * followed by its own subtree. */
struct snap {
  struct level lv[SNAP_MAX];
  unsigned n;
};

/* Per executor thread: the chain before the poll running now, and the
 * turns of the loop since the running block_on started. */
static _Thread_local struct {
  struct snap before;  /* the polled task's chain before its poll */
  struct snap scratch; /* for every other use */
  unsigned turns;
} tr;

static unsigned take(struct snap *s, const void *frame, ac_poll_fn poll,
                     unsigned depth);

/* Adds the children of level `at`, the futures its state awaits. */
static void take_kids(struct snap *s, unsigned at) {
  struct level *l = &s->lv[at];
  const struct ac_state_info *st = l->st;
  if (st == NULL || st->nawaits == 0)
    return;
  if (l->depth + 1 >= AC__CHAIN_MAX_DEPTH || s->n == SNAP_MAX) {
    if (s->n < SNAP_MAX)
      s->lv[s->n++] =
          (struct level){.kind = LV_CUT, .depth = l->depth + 1, .size = 1};
    l->nkids = 1;
    return;
  }
  for (unsigned i = 0; i < st->nawaits && s->n < SNAP_MAX; i++) {
    const void *sub = ac__await_frame(l->frame, &st->awaits[i]);
    take(s, sub, ac__await_poll(l->frame, &st->awaits[i]), l->depth + 1);
    s->lv[at].nkids++;
  }
}

/* Appends the level of `frame` and its subtree; returns its index. */
static unsigned take(struct snap *s, const void *frame, ac_poll_fn poll,
                     unsigned depth) {
  unsigned at = s->n++;
  struct level *l = &s->lv[at];
  *l = (struct level){
      .kind = LV_FUTURE, .poll = poll, .frame = frame, .depth = depth};
  if (frame == NULL) {
    l->kind = LV_ABSENT;
  } else if ((l->info = poll ? ac__future_info_find(poll) : NULL) == NULL) {
    l->kind = LV_UNKNOWN;
  } else if (l->info->nstates != 0) {
    l->st = ac__future_state(l->info, frame, &l->state);
    take_kids(s, at);
  }
  s->lv[at].size = s->n - at;
  return at;
}

static void snapshot(struct snap *s, const ac_task *t) {
  ac_poll_fn poll;
  const void *frame = ac__task_shown_frame(t, &poll);
  s->n = 0;
  take(s, frame, poll, 0);
}

/* The index of child k of level `at` (k < nkids). */
static unsigned kid(const struct snap *s, unsigned at, unsigned k) {
  unsigned i = at + 1;
  while (k-- > 0)
    i += s->lv[i].size;
  return i;
}

/* ---- Printing ----------------------------------------------------------- */

static FILE *out_lock(void) {
  FILE *out = atomic_load(&trace_out);
  if (out == NULL)
    return NULL;
  /* The program's own output first, so that both read in order when
   * they go to the same place. */
  if (out != stdout)
    fflush(stdout);
  flockfile(out);
  return out;
}

static void out_unlock(FILE *out) {
  fflush(out);
  funlockfile(out);
}

/* A task's headline: its id, and the name of the async function it runs,
 * or failing that the task's own name. */
static void print_task(FILE *out, const ac_task *t) {
  ac_poll_fn poll;
  ac__task_shown_frame(t, &poll);
  const struct ac_future_info *info =
      poll != NULL ? ac__future_info_find(poll) : NULL;
  fprintf(out, "task %llu %s", (unsigned long long)t->id,
          info != NULL && info->name != NULL ? info->name : ac__task_name(t));
}

/* "NAME" or "NAME (line N: TEXT)", the state of an async function. */
static void print_state(FILE *out, const struct level *l) {
  if (l->st == NULL) {
    fprintf(out, "state %d", l->state);
    return;
  }
  fputs(l->st->name != NULL ? l->st->name : "?", out);
  if (l->st->text != NULL)
    fprintf(out, " (line %u: %s)", l->st->line, l->st->text);
}

/* A level's line, up to its name: indented by depth, with the branch
 * index under a combinator. */
static void print_head(FILE *out, const struct level *l, int branch) {
  fprintf(out, "%*s", 2 + 2 * (int)l->depth, "");
  if (branch >= 0)
    fprintf(out, "[%d] ", branch);
  switch (l->kind) {
  case LV_FUTURE:
    fputs(l->info->name != NULL ? l->info->name : "?", out);
    break;
  case LV_UNKNOWN:
    fputs("<future without ac_future_info>", out);
    break;
  case LV_ABSENT:
    fputs("<frame not allocated>", out);
    break;
  case LV_CUT:
    fputs("...", out);
    break;
  }
}

static int is_async(const struct level *l) {
  return l->kind == LV_FUTURE && l->info->nstates != 0;
}

/* A combinator's branches, when it is over: the trace cannot tell the
 * ones that finished from those dropped, which the same frames hold. */
static const char branch_over[] = "finished or dropped";

/* A subtree that is over: each level with `how` it ended.  A combinator's
 * branches ended as branch_over, unless everything is being dropped. */
static void print_over(FILE *out, const struct snap *s, unsigned at, int branch,
                       const char *how) {
  const struct level *l = &s->lv[at];
  print_head(out, l, branch);
  if (is_async(l)) {
    fputs(": ", out);
    print_state(out, l);
    fprintf(out, " -> %s\n", how);
  } else {
    fprintf(out, ": %s\n", how);
  }
  const char *kids_how =
      l->nkids > 1 && strcmp(how, "dropped") != 0 ? branch_over : how;
  for (unsigned k = 0; k < l->nkids; k++)
    print_over(out, s, kid(s, at, k), l->nkids > 1 ? (int)k : -1, kids_how);
}

/* A subtree the poll started: each level from its start state. */
static void print_new(FILE *out, const struct snap *s, unsigned at,
                      int branch) {
  const struct level *l = &s->lv[at];
  print_head(out, l, branch);
  if (is_async(l)) {
    fputs(": ", out);
    if (l->state != 0 && l->info->states[0].name != NULL)
      fprintf(out, "%s -> ", l->info->states[0].name);
    print_state(out, l);
    fputc('\n', out);
  } else {
    fputs(l->kind == LV_FUTURE ? ": started\n" : "\n", out);
  }
  for (unsigned k = 0; k < l->nkids; k++)
    print_new(out, s, kid(s, at, k), l->nkids > 1 ? (int)k : -1);
}

static int same_future(const struct level *a, const struct level *b) {
  return a->kind == b->kind && a->poll == b->poll && a->frame == b->frame;
}

/* Levels `bi` of the chain before the poll and `ai` after are the same
 * future: prints its state change, then its children's.  When its state
 * changed, the futures it awaited before are over (finished, or dropped
 * if they were a combinator's branches) and those it awaits now are new. */
static void print_diff(FILE *out, const struct snap *b, unsigned bi,
                       const struct snap *a, unsigned ai, int branch) {
  const struct level *lb = &b->lv[bi], *la = &a->lv[ai];
  int changed = is_async(la) && lb->state != la->state;
  print_head(out, la, branch);
  if (is_async(la)) {
    fputs(changed ? ": " : ": at ", out);
    if (changed) {
      print_state(out, lb);
      fputs(" -> ", out);
    }
    print_state(out, la);
    fputc('\n', out);
  } else {
    fputs(la->kind == LV_FUTURE ? ": polled again\n" : "\n", out);
  }
  if (changed) {
    const char *how = lb->nkids > 1 ? branch_over : "finished";
    for (unsigned k = 0; k < lb->nkids; k++)
      print_over(out, b, kid(b, bi, k), lb->nkids > 1 ? (int)k : -1, how);
    for (unsigned k = 0; k < la->nkids; k++)
      print_new(out, a, kid(a, ai, k), la->nkids > 1 ? (int)k : -1);
    return;
  }
  for (unsigned k = 0; k < la->nkids || k < lb->nkids; k++) {
    int br = la->nkids > 1 ? (int)k : -1;
    unsigned bk = k < lb->nkids ? kid(b, bi, k) : 0;
    unsigned ak = k < la->nkids ? kid(a, ai, k) : 0;
    if (k < lb->nkids && k < la->nkids && same_future(&b->lv[bk], &a->lv[ak])) {
      print_diff(out, b, bk, a, ak, br);
      continue;
    }
    if (k < lb->nkids)
      print_over(out, b, bk, br, "finished");
    if (k < la->nkids)
      print_new(out, a, ak, br);
  }
}

/* ---- Hooks -------------------------------------------------------------- */

/* Who is waking or spawning a task, on the calling thread: the task
 * being polled, or a libuv callback. */
static void print_waker(FILE *out, const ac_task *t) {
  const struct ac__exec *ex = ac__exec_current();
  if (ex->current == t)
    fputs(" by itself", out);
  else if (ex->current != NULL)
    fprintf(out, " by task %llu", (unsigned long long)ex->current->id);
  else if (ex->in_uv_run)
    fputs(" from the reactor", out);
}

/* Where `t` is suspended, for a wake's line: down its await chain to the
 * leaf future, or to a combinator, whose branches may each have woken
 * it. */
static void print_waiting(FILE *out, const ac_task *t) {
  struct snap *s = &tr.scratch;
  snapshot(s, t);
  unsigned i = 0, async_at = 0;
  while (s->lv[i].nkids == 1) {
    if (is_async(&s->lv[i]))
      async_at = i;
    i++;
  }
  if (is_async(&s->lv[i]))
    async_at = i;
  const struct level *a = &s->lv[async_at], *l = &s->lv[i];
  if (!is_async(a) || a->st == NULL || a->st->text == NULL)
    return;
  fputs(" (waiting in ", out);
  if (l->kind == LV_FUTURE && !is_async(l))
    fprintf(out, "%s at ", l->info->name);
  fprintf(out, "%s line %u)", a->info->name, a->st->line);
}

void ac__trace_start(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  tr.turns = 0;
  fputs("block_on: ", out);
  print_task(out, t);
  fputs(" starts\n", out);
  out_unlock(out);
}

void ac__trace_spawn(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  fputs("spawn ", out);
  print_task(out, t);
  print_waker(out, t);
  fputc('\n', out);
  out_unlock(out);
}

/* Where `t`, woken by the calling thread, is: its await chain if this
 * thread polls it, else its worker (another worker's frames change under
 * its polls). */
static void print_place(FILE *out, const ac_task *t) {
  const struct ac__exec *owner = ac__task_exec(t);
  if (owner == ac__exec_current())
    print_waiting(out, t);
  else if (owner == NULL)
    fputs(" (not started)", out);
  else
    fprintf(out, " (on worker %d)", owner->worker_index);
}

void ac__trace_wake(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  unsigned state = ac__task_state(t);
  fprintf(out, "wake task %llu", (unsigned long long)t->id);
  if (state & AC__T_DONE) {
    fputs(", which has ended: nothing to do", out);
  } else {
    print_waker(out, t);
    print_place(out, t);
    if (state & AC__T_QUEUED)
      fputs(", already queued", out);
  }
  fputc('\n', out);
  out_unlock(out);
}

void ac__trace_poll(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  fputs("poll ", out);
  print_task(out, t);
  fputc('\n', out);
  snapshot(&tr.before, t);
  out_unlock(out);
}

void ac__trace_polled(const ac_task *t, ac_poll r) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  /* Tracing may have been turned on during the poll. */
  snapshot(&tr.scratch, t);
  if (tr.before.n == 0 || tr.before.lv[0].frame != tr.scratch.lv[0].frame)
    snapshot(&tr.before, t);
  print_diff(out, &tr.before, 0, &tr.scratch, 0, -1);
  fprintf(out, "  -> %s\n", r == AC_READY ? "ready" : "pending");
  tr.before.n = 0;
  out_unlock(out);
}

static const char *drop_reason(const ac_task *t) {
  if (t->err == AC_ECANCELED)
    return ac__exec_current()->tearing_down ? "block_on is ending" : "aborted";
  if (t->err == AC_EDEADLK)
    return "nothing is left that could wake it";
  return ac_strerror(t->err);
}

void ac__trace_drop(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  fputs("drop ", out);
  print_task(out, t);
  fprintf(out, " (%s)\n", drop_reason(t));
  snapshot(&tr.scratch, t);
  print_over(out, &tr.scratch, 0, -1, "dropped");
  out_unlock(out);
}

void ac__trace_end(const ac_task *t) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  if (t->err == 0) {
    print_task(out, t);
    fputs(" finished\n", out);
  }
  out_unlock(out);
}

void ac__trace_turn(const struct ac__exec *ex) {
  FILE *out = out_lock();
  if (out == NULL)
    return;
  tr.turns++;
  if (ex->head != NULL)
    fprintf(out,
            "reactor turn %u: tasks are queued, so check for events "
            "without waiting\n",
            tr.turns);
  else
    fprintf(out,
            "reactor turn %u: no task is queued, so wait for a timer or "
            "I/O\n",
            tr.turns);
  out_unlock(out);
}
