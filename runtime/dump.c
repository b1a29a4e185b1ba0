/* dump.c -- ac_dump_tasks: every live task with its await chain, on demand
 * or on SIGUSR1.
 *
 * Frames are opaque to the runtime, so the chain is followed through
 * metadata looked up by poll function (struct ac_future_info, documented
 * in asyncc/task.h): a level's description says where its state is (the
 * frame's first member), and the state's description says where the
 * awaited sub-frame is and which poll drives it, which names the next
 * level.  Generated code registers its descriptions from constructors;
 * the runtime's own leaf futures are described by a built-in table. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- Registry ----------------------------------------------------------- */

static const struct ac_future_info **registry;
static size_t registry_len, registry_cap;

static const struct ac_future_info **registry_slot(ac_poll_fn poll) {
  for (size_t i = 0; i < registry_len; i++)
    if (registry[i]->poll == poll)
      return &registry[i];
  return NULL;
}

int ac__future_info_register(const struct ac_future_info *info) {
  if (info == NULL || info->poll == NULL)
    return AC_EINVAL;
  const struct ac_future_info **slot = registry_slot(info->poll);
  if (slot != NULL) {
    *slot = info;
    return 0;
  }
  if (registry_len == registry_cap) {
    size_t cap = registry_cap != 0 ? 2 * registry_cap : 32;
    const struct ac_future_info **grown = ac__malloc(cap * sizeof *grown);
    if (grown == NULL)
      return AC_ENOMEM;
    if (registry_len != 0)
      memcpy(grown, registry, registry_len * sizeof *grown);
    ac__free(registry);
    registry = grown;
    registry_cap = cap;
  }
  registry[registry_len++] = info;
  return 0;
}

void ac__future_info_unregister(const struct ac_future_info *info) {
  if (info == NULL)
    return;
  const struct ac_future_info **slot = registry_slot(info->poll);
  if (slot == NULL || *slot != info)
    return;
  *slot = registry[--registry_len];
  if (registry_len == 0) {
    ac__free(registry);
    registry = NULL;
    registry_cap = 0;
  }
}

/* Frees the registry at exit, so that valgrind sees no runtime memory even
 * when generated code never unregisters. */
__attribute__((destructor)) static void registry_free(void) {
  ac__free(registry);
  registry = NULL;
  registry_len = registry_cap = 0;
}

/* ---- Built-in descriptions of the runtime's leaf futures ---------------- */

static void describe_sleep(const void *frame, FILE *out) {
  const struct ac_sleep_frame *fr = frame;
  fprintf(out, " (%llu ms)", (unsigned long long)fr->ms);
}

static void describe_join(const void *frame, FILE *out) {
  const struct ac_join_frame *fr = frame;
  if (fr->task != NULL)
    fprintf(out, " (task %llu)", (unsigned long long)fr->task->id);
}

static void describe_send(const void *frame, FILE *out) {
  const struct ac_chan_send_frame *fr = frame;
  if (fr->ch != NULL)
    fprintf(out, " (channel %p, %zu of %zu queued)", (void *)fr->ch,
            fr->ch->len, fr->ch->cap);
}

static void describe_recv(const void *frame, FILE *out) {
  const struct ac_chan_recv_frame *fr = frame;
  if (fr->ch != NULL)
    fprintf(out, " (channel %p, %zu of %zu queued)", (void *)fr->ch,
            fr->ch->len, fr->ch->cap);
}

static void describe_oneshot(const void *frame, FILE *out) {
  const struct ac_oneshot_recv_frame *fr = frame;
  fprintf(out, " (oneshot %p)", (void *)fr->os);
}

static void describe_mutex(const void *frame, FILE *out) {
  const struct ac_mutex_lock_frame *fr = frame;
  fprintf(out, " (mutex %p)", (void *)fr->m);
}

static void describe_sem(const void *frame, FILE *out) {
  const struct ac_sem_acquire_frame *fr = frame;
  fprintf(out, " (semaphore %p, %zu wanted, %zu free)", (void *)fr->s, fr->w.n,
          fr->s != NULL ? fr->s->permits : 0);
}

static void describe_notify(const void *frame, FILE *out) {
  const struct ac_notify_wait_frame *fr = frame;
  fprintf(out, " (notify %p)", (void *)fr->n);
}

static void describe_event(const void *frame, FILE *out) {
  const struct ac_event_wait_frame *fr = frame;
  fprintf(out, " (event %p)", (void *)fr->ev);
}

static void describe_mbox(const void *frame, FILE *out) {
  const struct ac_mbox_recv_frame *fr = frame;
  fprintf(out, " (mailbox %p)", (void *)fr->m);
}

static void describe_cancel(const void *frame, FILE *out) {
  const struct ac_cancel_token_cancelled_frame *fr = frame;
  fprintf(out, " (token %p)", (void *)fr->t);
}

static void describe_tick(const void *frame, FILE *out) {
  const struct ac_interval_tick_frame *fr = frame;
  if (fr->iv != NULL)
    fprintf(out, " (every %llu ms, next tick %llu)",
            (unsigned long long)fr->iv->period,
            (unsigned long long)fr->iv->next);
}

static void describe_blocking(const void *frame, FILE *out) {
  const struct ac_spawn_blocking_frame *fr = frame;
  fputs(fr->req != NULL ? " (running on the thread pool)" : "", out);
}

static void describe_scope_join(const void *frame, FILE *out) {
  const struct ac_scope_join_frame *fr = frame;
  if (fr->s != NULL)
    fprintf(out, " (%zu tasks)", ac_scope_pending(fr->s));
}

/* ---- I/O futures (asyncc/stream.h, udp.h, process.h, io.h) -------------- */

static void describe_accept(const void *frame, FILE *out) {
  const struct ac_listener_accept_frame *fr = frame;
  struct sockaddr_storage ss;
  char addr[128];
  if (fr->l != NULL && ac_listener_local_addr(fr->l, &ss) == 0 &&
      ac_addr_format((struct sockaddr *)&ss, addr, sizeof addr) == 0)
    fprintf(out, " (%s)", addr);
}

static void describe_connect(const void *frame, FILE *out) {
  const struct ac_tcp_connect_frame *fr = frame;
  if (fr->ip != NULL)
    fprintf(out, " (%s port %d)", fr->ip, fr->port);
}

static void describe_connect_addr(const void *frame, FILE *out) {
  const struct ac_tcp_connect_addr_frame *fr = frame;
  char addr[64];
  if (fr->addr != NULL && ac_addr_format(fr->addr, addr, sizeof addr) == 0)
    fprintf(out, " (%s)", addr);
}

static void describe_unix_connect(const void *frame, FILE *out) {
  const struct ac_unix_connect_frame *fr = frame;
  if (fr->path != NULL)
    fprintf(out, " (\"%s\")", fr->path);
}

static void describe_read(const void *frame, FILE *out) {
  const struct ac_stream_read_frame *fr = frame;
  fprintf(out, " (stream %p, up to %zu bytes)", (void *)fr->op.s, fr->len);
}

static void describe_read_exact(const void *frame, FILE *out) {
  const struct ac_stream_read_exact_frame *fr = frame;
  fprintf(out, " (stream %p, %zu of %zu bytes)", (void *)fr->op.s,
          fr->done + fr->op.got, fr->len);
}

static void describe_read_until(const void *frame, FILE *out) {
  const struct ac_stream_read_until_frame *fr = frame;
  fprintf(out, " (stream %p, %zu bytes without byte %d)", (void *)fr->op.s,
          fr->scanned, fr->delim);
}

static void describe_read_line(const void *frame, FILE *out) {
  const struct ac_stream_read_line_frame *fr = frame;
  fprintf(out, " (stream %p, %zu bytes without a newline)",
          (void *)fr->until.op.s, fr->until.scanned);
}

static void describe_peek(const void *frame, FILE *out) {
  const struct ac_stream_peek_frame *fr = frame;
  fprintf(out, " (stream %p, %zu bytes wanted)", (void *)fr->op.s, fr->n);
}

/* Bytes of op's buffers written so far. */
static size_t written(const struct ac__stream_write_op *op) {
  size_t n = 0;
  for (int i = 0; op->iov != NULL && i < op->idx; i++)
    n += op->iov[i].iov_len;
  return n + op->off;
}

static void describe_write(const void *frame, FILE *out) {
  const struct ac_stream_write_all_frame *fr = frame;
  fprintf(out, " (stream %p, %zu of %zu bytes sent)", (void *)fr->op.s,
          written(&fr->op), fr->len);
}

static void describe_writev(const void *frame, FILE *out) {
  const struct ac_stream_writev_frame *fr = frame;
  fprintf(out, " (stream %p, %zu bytes of %d buffers sent)", (void *)fr->op.s,
          written(&fr->op), fr->iovcnt);
}

static void describe_sendfile(const void *frame, FILE *out) {
  const struct ac_stream_sendfile_frame *fr = frame;
  fprintf(out, " (stream %p, fd %d, %zu of %zu bytes sent)", (void *)fr->op.s,
          fr->fd, fr->sent, fr->len);
}

static void describe_shutdown(const void *frame, FILE *out) {
  const struct ac_stream_shutdown_frame *fr = frame;
  fprintf(out, " (stream %p)", (void *)fr->s);
}

static void describe_udp_send(const void *frame, FILE *out) {
  const struct ac_udp_send_to_frame *fr = frame;
  char addr[64];
  if (fr->to != NULL && ac_addr_format(fr->to, addr, sizeof addr) == 0)
    fprintf(out, " (%zu bytes to %s)", fr->len, addr);
}

static void describe_udp_recv(const void *frame, FILE *out) {
  const struct ac_udp_recv_from_frame *fr = frame;
  fprintf(out, " (socket %p, up to %zu bytes)", (void *)fr->u, fr->len);
}

static void describe_process_wait(const void *frame, FILE *out) {
  const struct ac_process_wait_frame *fr = frame;
  if (fr->p != NULL)
    fprintf(out, " (pid %d)", ac_process_pid(fr->p));
}

static void describe_shutdown_on_signal(const void *frame, FILE *out) {
  const struct ac_shutdown_on_signal_frame *fr = frame;
  static const char *const phases[] = {"not started", "waiting for a signal",
                                       "grace period", "tasks cancelled",
                                       "done"};
  if (fr->phase >= 0 && fr->phase < 5)
    fprintf(out, " (%s, %zu tasks)", phases[fr->phase],
            fr->tasks != NULL ? ac_scope_pending(fr->tasks) : 0);
}

static void describe_fs_open(const void *frame, FILE *out) {
  const struct ac_fs_open_frame *fr = frame;
  if (fr->path != NULL)
    fprintf(out, " (\"%s\")", fr->path);
}

static void describe_fs_read(const void *frame, FILE *out) {
  const struct ac_fs_read_frame *fr = frame;
  fprintf(out, " (fd %d, up to %zu bytes)", fr->fd, fr->len);
}

static void describe_fs_write(const void *frame, FILE *out) {
  const struct ac_fs_write_frame *fr = frame;
  fprintf(out, " (fd %d, %zu of %zu bytes written)", fr->fd, fr->done, fr->len);
}

static void describe_fs_close(const void *frame, FILE *out) {
  const struct ac_fs_close_frame *fr = frame;
  fprintf(out, " (fd %d)", fr->fd);
}

static void describe_fs_stat(const void *frame, FILE *out) {
  const struct ac_fs_stat_frame *fr = frame;
  if (fr->path != NULL)
    fprintf(out, " (\"%s\")", fr->path);
}

static void describe_fs_fstat(const void *frame, FILE *out) {
  const struct ac_fs_fstat_frame *fr = frame;
  fprintf(out, " (fd %d)", fr->fd);
}

static void describe_getaddrinfo(const void *frame, FILE *out) {
  const struct ac_getaddrinfo_frame *fr = frame;
  fprintf(out, " (%s%s%s)", fr->node != NULL ? fr->node : "",
          fr->node != NULL && fr->service != NULL ? " " : "",
          fr->service != NULL ? fr->service : "");
}

static void describe_dns_resolve(const void *frame, FILE *out) {
  const struct ac_dns_resolve_frame *fr = frame;
  if (fr->gai.node != NULL)
    fprintf(out, " (%s port %d)", fr->gai.node, fr->port);
}

static void describe_signal(const void *frame, FILE *out) {
  const struct ac_signal_frame *fr = frame;
  fprintf(out, " (signal %d)", fr->signum);
}

static const struct ac_future_info builtins[] = {
    {ac_sleep_poll, "ac_sleep", NULL, NULL, 0, describe_sleep},
    {ac_yield_poll, "ac_yield", NULL, NULL, 0, NULL},
    {ac_join_poll, "ac_join", NULL, NULL, 0, describe_join},
    {ac_chan_send_poll, "ac_chan_send", NULL, NULL, 0, describe_send},
    {ac_chan_recv_poll, "ac_chan_recv", NULL, NULL, 0, describe_recv},
    {ac_oneshot_recv_poll, "ac_oneshot_recv", NULL, NULL, 0, describe_oneshot},
    {ac_mutex_lock_poll, "ac_mutex_lock", NULL, NULL, 0, describe_mutex},
    {ac_sem_acquire_poll, "ac_sem_acquire", NULL, NULL, 0, describe_sem},
    {ac_notify_wait_poll, "ac_notify_wait", NULL, NULL, 0, describe_notify},
    {ac_event_wait_poll, "ac_event_wait", NULL, NULL, 0, describe_event},
    {ac_mbox_recv_poll, "ac_mbox_recv", NULL, NULL, 0, describe_mbox},
    {ac_cancel_token_cancelled_poll, "ac_cancel_token_cancelled", NULL, NULL, 0,
     describe_cancel},
    {ac_interval_tick_poll, "ac_interval_tick", NULL, NULL, 0, describe_tick},
    {ac_spawn_blocking_poll, "ac_spawn_blocking", NULL, NULL, 0,
     describe_blocking},
    {ac_scope_join_poll, "ac_scope_join", NULL, NULL, 0, describe_scope_join},
    {ac_listener_accept_poll, "ac_listener_accept", NULL, NULL, 0,
     describe_accept},
    {ac_tcp_connect_poll, "ac_tcp_connect", NULL, NULL, 0, describe_connect},
    {ac_tcp_connect_addr_poll, "ac_tcp_connect_addr", NULL, NULL, 0,
     describe_connect_addr},
    {ac_unix_connect_poll, "ac_unix_connect", NULL, NULL, 0,
     describe_unix_connect},
    {ac_stream_read_poll, "ac_stream_read", NULL, NULL, 0, describe_read},
    {ac_stream_read_exact_poll, "ac_stream_read_exact", NULL, NULL, 0,
     describe_read_exact},
    {ac_stream_read_until_poll, "ac_stream_read_until", NULL, NULL, 0,
     describe_read_until},
    {ac_stream_read_line_poll, "ac_stream_read_line", NULL, NULL, 0,
     describe_read_line},
    {ac_stream_peek_poll, "ac_stream_peek", NULL, NULL, 0, describe_peek},
    {ac_stream_write_all_poll, "ac_stream_write_all", NULL, NULL, 0,
     describe_write},
    {ac_stream_writev_poll, "ac_stream_writev", NULL, NULL, 0, describe_writev},
    {ac_stream_sendfile_poll, "ac_stream_sendfile", NULL, NULL, 0,
     describe_sendfile},
    {ac_stream_shutdown_poll, "ac_stream_shutdown", NULL, NULL, 0,
     describe_shutdown},
    {ac_udp_send_to_poll, "ac_udp_send_to", NULL, NULL, 0, describe_udp_send},
    {ac_udp_recv_from_poll, "ac_udp_recv_from", NULL, NULL, 0,
     describe_udp_recv},
    {ac_process_wait_poll, "ac_process_wait", NULL, NULL, 0,
     describe_process_wait},
    {ac_shutdown_on_signal_poll, "ac_shutdown_on_signal", NULL, NULL, 0,
     describe_shutdown_on_signal},
    {ac_fs_open_poll, "ac_fs_open", NULL, NULL, 0, describe_fs_open},
    {ac_fs_read_poll, "ac_fs_read", NULL, NULL, 0, describe_fs_read},
    {ac_fs_write_poll, "ac_fs_write", NULL, NULL, 0, describe_fs_write},
    {ac_fs_close_poll, "ac_fs_close", NULL, NULL, 0, describe_fs_close},
    {ac_fs_stat_poll, "ac_fs_stat", NULL, NULL, 0, describe_fs_stat},
    {ac_fs_fstat_poll, "ac_fs_fstat", NULL, NULL, 0, describe_fs_fstat},
    {ac_getaddrinfo_poll, "ac_getaddrinfo", NULL, NULL, 0,
     describe_getaddrinfo},
    {ac_dns_resolve_poll, "ac_dns_resolve", NULL, NULL, 0,
     describe_dns_resolve},
    {ac_signal_poll, "ac_signal", NULL, NULL, 0, describe_signal},
};

const struct ac_future_info *ac__future_info_find(ac_poll_fn poll) {
  const struct ac_future_info **slot = registry_slot(poll);
  if (slot != NULL)
    return *slot;
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (builtins[i].poll == poll)
      return &builtins[i];
  return NULL;
}

/* ---- The dump ----------------------------------------------------------- */

const struct ac_state_info *ac__future_state(const struct ac_future_info *info,
                                             const void *frame, int *state) {
  memcpy(state, frame, sizeof *state);
  if (info->nstates == 0 || *state < 0 || (unsigned)*state >= info->nstates)
    return NULL;
  return &info->states[*state];
}

const void *ac__await_frame(const void *frame, const struct ac_await_info *aw) {
  const void *sub = (const char *)frame + aw->offset;
  if (aw->indirect == 2) {
    struct ac_dyn d;
    memcpy(&d, sub, sizeof d);
    return d.frame;
  }
  if (aw->indirect)
    memcpy(&sub, sub, sizeof sub);
  return sub;
}

ac_poll_fn ac__await_poll(const void *frame, const struct ac_await_info *aw) {
  if (aw->indirect != 2)
    return aw->poll;
  struct ac_dyn d;
  memcpy(&d, (const char *)frame + aw->offset, sizeof d);
  return d.type ? d.type->poll : NULL;
}

static void dump_level(FILE *out, const void *frame, ac_poll_fn poll, int depth,
                       int indent);

/* Prints the awaits of state `st` of `frame`, one level deeper. */
static void dump_awaits(FILE *out, const void *frame,
                        const struct ac_state_info *st, int depth, int indent) {
  for (unsigned i = 0; i < st->nawaits; i++) {
    const struct ac_await_info *aw = &st->awaits[i];
    const void *sub = ac__await_frame(frame, aw);
    int sub_indent = indent;
    if (st->nawaits > 1) {
      fprintf(out, "%*s[%u]\n", indent, "", i);
      sub_indent += 2;
    }
    if (sub == NULL)
      fprintf(out, "%*s#%d (frame not allocated)\n", sub_indent, "", depth);
    else
      dump_level(out, sub, ac__await_poll(frame, aw), depth, sub_indent);
  }
}

static void dump_level(FILE *out, const void *frame, ac_poll_fn poll, int depth,
                       int indent) {
  const struct ac_future_info *info =
      poll != NULL ? ac__future_info_find(poll) : NULL;
  fprintf(out, "%*s#%d ", indent, "", depth);
  if (info == NULL) {
    fputs("<future without ac_future_info>\n", out);
    return;
  }
  fputs(info->name != NULL ? info->name : "?", out);
  if (info->nstates == 0) {
    if (info->describe != NULL)
      info->describe(frame, out);
    fputc('\n', out);
    return;
  }
  int state;
  const struct ac_state_info *st = ac__future_state(info, frame, &state);
  if (st == NULL) {
    fprintf(out, " (bad state %d)\n", state);
    return;
  }
  if (st->line != 0)
    fprintf(out, " at %s:%u", info->file != NULL ? info->file : "?", st->line);
  if (st->text != NULL)
    fprintf(out, " %s", st->text);
  fprintf(out, " [%s]\n", st->name != NULL ? st->name : "?");
  if (depth + 1 >= AC__CHAIN_MAX_DEPTH) {
    if (st->nawaits > 0)
      fprintf(out, "%*s...\n", indent, "");
    return;
  }
  dump_awaits(out, frame, st, depth + 1, indent);
}

static const char *task_state(const struct ac__exec *ex, const ac_task *t) {
  if (t == ex->current)
    return "running";
  unsigned state = ac__task_state(t);
  if (state & AC__T_DONE)
    return t->err == 0              ? "finished"
           : t->err == AC_ECANCELED ? "aborted"
                                    : "failed";
  return state & AC__T_QUEUED ? "ready" : "waiting";
}

/* Prints one task; its await chain only if the calling thread polls it:
 * the frames of another worker's tasks change under its polls. */
static void dump_task(FILE *out, struct ac__exec *self, ac_task *t) {
  fprintf(out, "task %llu \"%s\" ", (unsigned long long)t->id,
          ac__task_name(t));
  struct ac__exec *owner = ac__task_exec(t);
  if (owner != self) {
    if (owner == NULL)
      fputs("ready (not started)\n", out);
    else
      fprintf(out, "on worker %d\n", owner->worker_index);
    return;
  }
  fputs(task_state(self, t), out);
  if ((ac__task_state(t) & AC__T_DONE) && t->err != 0 &&
      t->err != AC_ECANCELED)
    fprintf(out, " (%s)", ac_strerror(t->err));
  fputc('\n', out);
  /* A running task is the one calling the dump: its frame is being
   * changed, and its position is the caller's own code. */
  if (!(ac__task_state(t) & AC__T_DONE) && t != self->current) {
    ac_poll_fn poll;
    void *frame = ac__task_shown_frame(t, &poll);
    dump_level(out, frame, poll, 0, 2);
  }
}

/* The tasks of one executor's heap and its root, to be printed in spawn
 * order; `tasks` may be NULL when out of memory (then in heap order). */
struct listing {
  FILE *out;
  struct ac__exec *self;
  ac_task **tasks;
  size_t n, cap;
};

/* Whether t has started (ac__task_start publishes the type last). */
static int started(ac_task *t) {
  return __atomic_load_n(&t->type, __ATOMIC_ACQUIRE) != NULL;
}

static void count_task(ac_task *t, void *arg) {
  if (started(t))
    ++*(size_t *)arg;
}

static void list_task(ac_task *t, void *arg) {
  struct listing *l = arg;
  if (!started(t))
    return;
  if (l->tasks != NULL && l->n < l->cap)
    l->tasks[l->n++] = t;
  else
    dump_task(l->out, l->self, t);
}

static int by_id(const void *a, const void *b) {
  uint64_t x = (*(ac_task *const *)a)->id, y = (*(ac_task *const *)b)->id;
  return x < y ? -1 : x > y;
}

/* Prints ex's root and the tasks of its heap (under its registry lock). */
static void dump_executor(FILE *out, struct ac__exec *self,
                          struct ac__exec *ex, size_t ntasks) {
  struct listing l = {out, self, NULL, 0, ntasks};
  if (ntasks != 0)
    l.tasks = ac__malloc(ntasks * sizeof *l.tasks);
  if (ex->root != NULL)
    dump_task(out, self, ex->root);
  ac__heap_each(&ex->heap, list_task, &l);
  if (l.tasks == NULL)
    return;
  qsort(l.tasks, l.n, sizeof *l.tasks, by_id);
  for (size_t i = 0; i < l.n; i++)
    dump_task(out, self, l.tasks[i]);
  ac__free(l.tasks);
}

void ac_dump_tasks(FILE *out) {
  if (out == NULL)
    return;
  struct ac__exec *self = ac__exec_current();
  struct ac__exec *all[AC_MAX_WORKERS];
  unsigned nex = ac__rt_executors(self, all);
  size_t n = 0;
  for (unsigned i = 0; i < nex; i++) {
    ac__registry_lock(all[i]);
    ac__heap_each(&all[i]->heap, count_task, &n);
    n += all[i]->root != NULL;
    ac__registry_unlock(all[i]);
  }
  fprintf(out, "asyncc: %zu task%s\n", n, n == 1 ? "" : "s");
  for (unsigned i = 0; i < nex; i++) {
    ac__registry_lock(all[i]);
    size_t mine = 0;
    ac__heap_each(&all[i]->heap, count_task, &mine);
    dump_executor(out, self, all[i], mine);
    ac__registry_unlock(all[i]);
  }
  fflush(out);
}

void ac__dump_deadlock(FILE *out) {
  fputs("asyncc: deadlock: the future given to ac_block_on is pending and "
        "nothing can wake it; where each task waits:\n",
        out);
  ac_dump_tasks(out);
}

/* ---- SIGUSR1 ------------------------------------------------------------ */

struct ac__dump_signal {
  uv_signal_t handle;
};

static void dump_signal_cb(uv_signal_t *handle, int signum) {
  (void)handle;
  (void)signum;
  ac_dump_tasks(stderr);
}

static void dump_signal_close_cb(uv_handle_t *handle) {
  ac__free(handle->data);
}

/* Starts the handle if dumps are enabled and block_on runs; returns 0 or
 * an error code. */
static int dump_signal_open(struct ac__exec *ex) {
  if (!ex->dump_on_signal || !ex->running || ex->dump_signal != NULL)
    return 0;
  int err = ac__loop_open(ex); /* nothing may have needed the loop yet */
  if (err != 0)
    return err;
  struct ac__dump_signal *s = ac__malloc(sizeof *s);
  if (s == NULL)
    return AC_ENOMEM;
  uv_signal_init(&ex->loop, &s->handle); /* Cannot fail on Unix. */
  s->handle.data = s;
  err = uv_signal_start(&s->handle, dump_signal_cb, SIGUSR1);
  if (err != 0) {
    uv_close((uv_handle_t *)&s->handle, dump_signal_close_cb);
    return err;
  }
  /* The handle must not keep the loop alive, or a stalled root future
   * would block forever instead of failing with AC_EDEADLK. */
  uv_unref((uv_handle_t *)&s->handle);
  ex->dump_signal = s;
  return 0;
}

void ac__dump_signal_start(struct ac__exec *ex) {
  /* A failure here only loses the signal; ac_dump_on_signal reported the
   * error when it was called inside a block_on. */
  (void)dump_signal_open(ex);
}

void ac__dump_signal_close(struct ac__exec *ex) {
  if (ex->dump_signal == NULL)
    return;
  uv_close((uv_handle_t *)&ex->dump_signal->handle, dump_signal_close_cb);
  ex->dump_signal = NULL;
}

int ac_dump_on_signal(int enable) {
  struct ac__exec *ex = ac__exec_current();
  ex->dump_on_signal = enable != 0;
  if (!enable) {
    ac__dump_signal_close(ex);
    return 0;
  }
  return dump_signal_open(ex);
}
