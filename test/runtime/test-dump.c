/* test-dump.c -- ac_dump_tasks and the future metadata it follows, and the
 * SIGUSR1 dump.  The futures here are written in the transpiler's shape
 * (state enum first, awaited frames in a union) for a pretend source file
 * dump-demo.c, with the ac_future_info tables the transpiler would emit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "co.h"
#include "task.h"

/* ---- async void inner(uint64_t ms) { await(ac_sleep(ms)); } ------------ */

enum inner_state { INNER_START, INNER_L10, INNER_DONE };

struct inner_frame {
  enum inner_state state;
  uint64_t ms;
  union {
    struct ac_sleep_frame await_10;
  } sub;
};

static void inner_init(struct inner_frame *fr, uint64_t ms) {
  fr->state = INNER_START;
  fr->ms = ms;
}

static ac_poll inner_poll(void *frame, ac_cx *cx) {
  struct inner_frame *fr = frame;
  switch (fr->state) {
  case INNER_START:
    break;
  case INNER_L10:
    goto resume_10;
  case INNER_DONE:
    return AC_READY;
  }
  fr->state = INNER_L10;
  ac_sleep_init(&fr->sub.await_10, fr->ms);
resume_10:
  if (ac_sleep_poll(&fr->sub.await_10, cx) == AC_PENDING)
    return AC_PENDING;
  fr->state = INNER_DONE;
  return AC_READY;
}

static void inner_drop(void *frame) {
  struct inner_frame *fr = frame;
  if (fr->state == INNER_L10)
    ac_sleep_drop(&fr->sub.await_10);
  fr->state = INNER_DONE;
}

static const struct ac_await_info inner_awaits_10[] = {
    {offsetof(struct inner_frame, sub.await_10), ac_sleep_poll, 0},
};
static const struct ac_state_info inner_states[] = {
    [INNER_START] = {"INNER_START", 9, NULL, NULL, 0},
    [INNER_L10] = {"INNER_L10", 10, "await(ac_sleep(ms))", inner_awaits_10, 1},
    [INNER_DONE] = {"INNER_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info inner_info = {
    inner_poll, "inner", "dump-demo.c", inner_states, 3, NULL};

/* ---- async void outer(void) { await(inner(3600000)); } ------------------- */

enum outer_state { OUTER_START, OUTER_L20, OUTER_DONE };

struct outer_frame {
  enum outer_state state;
  union {
    struct inner_frame await_20;
  } sub;
};

static ac_poll outer_poll(void *frame, ac_cx *cx) {
  struct outer_frame *fr = frame;
  switch (fr->state) {
  case OUTER_START:
    break;
  case OUTER_L20:
    goto resume_20;
  case OUTER_DONE:
    return AC_READY;
  }
  fr->state = OUTER_L20;
  inner_init(&fr->sub.await_20, 3600000);
resume_20:
  if (inner_poll(&fr->sub.await_20, cx) == AC_PENDING)
    return AC_PENDING;
  fr->state = OUTER_DONE;
  return AC_READY;
}

static void outer_drop(void *frame) {
  struct outer_frame *fr = frame;
  if (fr->state == OUTER_L20)
    inner_drop(&fr->sub.await_20);
  fr->state = OUTER_DONE;
}

static const struct ac_await_info outer_awaits_20[] = {
    {offsetof(struct outer_frame, sub.await_20), inner_poll, 0},
};
static const struct ac_state_info outer_states[] = {
    [OUTER_START] = {"OUTER_START", 19, NULL, NULL, 0},
    [OUTER_L20] = {"OUTER_L20", 20, "await(inner(3600000))", outer_awaits_20,
                   1},
    [OUTER_DONE] = {"OUTER_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info outer_info = {
    outer_poll, "outer", "dump-demo.c", outer_states, 3, NULL};

/* ---- async void both(void) {
 *        await(ac_all(inner(3600000), ac_sleep(1800000)));
 *      }  a combinator state: one await per branch. */

enum both_state { BOTH_START, BOTH_L40, BOTH_DONE };

struct both_frame {
  enum both_state state;
  union {
    struct {
      struct inner_frame b0;
      struct ac_sleep_frame b1;
      unsigned pending;
    } await_40;
  } sub;
};

static ac_poll both_poll(void *frame, ac_cx *cx) {
  struct both_frame *fr = frame;
  switch (fr->state) {
  case BOTH_START:
    break;
  case BOTH_L40:
    goto resume_40;
  case BOTH_DONE:
    return AC_READY;
  }
  fr->state = BOTH_L40;
  inner_init(&fr->sub.await_40.b0, 3600000);
  ac_sleep_init(&fr->sub.await_40.b1, 1800000);
  fr->sub.await_40.pending = 3;
resume_40:
  if ((fr->sub.await_40.pending & 1) &&
      inner_poll(&fr->sub.await_40.b0, cx) == AC_READY)
    fr->sub.await_40.pending &= ~1u;
  if ((fr->sub.await_40.pending & 2) &&
      ac_sleep_poll(&fr->sub.await_40.b1, cx) == AC_READY)
    fr->sub.await_40.pending &= ~2u;
  if (fr->sub.await_40.pending)
    return AC_PENDING;
  fr->state = BOTH_DONE;
  return AC_READY;
}

static void both_drop(void *frame) {
  struct both_frame *fr = frame;
  if (fr->state == BOTH_L40) {
    if (fr->sub.await_40.pending & 1)
      inner_drop(&fr->sub.await_40.b0);
    if (fr->sub.await_40.pending & 2)
      ac_sleep_drop(&fr->sub.await_40.b1);
  }
  fr->state = BOTH_DONE;
}

static const struct ac_await_info both_awaits_40[] = {
    {offsetof(struct both_frame, sub.await_40.b0), inner_poll, 0},
    {offsetof(struct both_frame, sub.await_40.b1), ac_sleep_poll, 0},
};
static const struct ac_state_info both_states[] = {
    [BOTH_START] = {"BOTH_START", 39, NULL, NULL, 0},
    [BOTH_L40] = {"BOTH_L40", 40,
                  "await(ac_all(inner(3600000), ac_sleep(1800000)))",
                  both_awaits_40, 2},
    [BOTH_DONE] = {"BOTH_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info both_info = {
    both_poll, "both", "dump-demo.c", both_states, 3, NULL};

/* ---- async void far(void) { await(remote(5000)); } -------------------------
 * remote() is defined "in another file": its frame comes from the arena. */

enum far_state { FAR_START, FAR_L50, FAR_DONE };

struct far_frame {
  enum far_state state;
  union {
    struct inner_frame *await_50;
  } sub;
};

static ac_poll far_poll(void *frame, ac_cx *cx) {
  struct far_frame *fr = frame;
  switch (fr->state) {
  case FAR_START:
    break;
  case FAR_L50:
    goto resume_50;
  case FAR_DONE:
    return AC_READY;
  }
  fr->state = FAR_L50;
  if (!(fr->sub.await_50 = ac_frame_alloc(cx, sizeof(struct inner_frame))))
    return ac__frame_oom(cx);
  inner_init(fr->sub.await_50, 5000000);
resume_50:
  if (inner_poll(fr->sub.await_50, cx) == AC_PENDING)
    return AC_PENDING;
  ac_frame_free(fr->sub.await_50);
  fr->state = FAR_DONE;
  return AC_READY;
}

static void far_drop(void *frame) {
  struct far_frame *fr = frame;
  if (fr->state == FAR_L50 && fr->sub.await_50 != NULL) {
    inner_drop(fr->sub.await_50);
    ac_frame_free(fr->sub.await_50);
  }
  fr->state = FAR_DONE;
}

static const struct ac_await_info far_awaits_50[] = {
    {offsetof(struct far_frame, sub.await_50), inner_poll, 1},
};
static const struct ac_state_info far_states[] = {
    [FAR_START] = {"FAR_START", 49, NULL, NULL, 0},
    [FAR_L50] = {"FAR_L50", 50, "await(remote(5000))", far_awaits_50, 1},
    [FAR_DONE] = {"FAR_DONE", 0, NULL, NULL, 0},
};
static const struct ac_future_info far_info = {far_poll,   "far", "dump-demo.c",
                                               far_states, 3,     NULL};

static void register_all(void) {
  ASSERT_OK(ac__future_info_register(&inner_info));
  ASSERT_OK(ac__future_info_register(&outer_info));
  ASSERT_OK(ac__future_info_register(&both_info));
  ASSERT_OK(ac__future_info_register(&far_info));
}

/* ---- Helpers ----------------------------------------------------------------
 */

/* The dump as a string (static buffer). */
static const char *dump_to_string(void) {
  static char buf[8192];
  FILE *f = tmpfile();
  ASSERT_NOT_NULL(f);
  ac_dump_tasks(f);
  rewind(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

#define ASSERT_HAS(text, needle)                                               \
  do {                                                                         \
    if (strstr((text), (needle)) == NULL)                                      \
      test_fail(__FILE__, __LINE__, "missing in dump: \"%s\"\n%s", (needle),   \
                (text));                                                       \
  } while (0)

static ac_task *spawn_frame(size_t size, ac_poll_fn poll, ac_drop_fn drop,
                            const char *name) {
  /* Every frame here starts zeroed: state START. */
  static const char zero[256];
  ASSERT_LE(size, sizeof zero);
  return co_spawn(zero, size, poll, drop, 0, 0, name, NULL);
}

struct root_frame {
  struct co co;
  ac_task *h[4];
  struct ac_yield_frame y;
  struct ac_join_frame join;
  int i;
  char text[8192];
};

static void co_frame_drop(void *frame) { co_drop(frame); }

#define YIELD(fr)                                                              \
  do {                                                                         \
    ac_yield_init(&(fr)->y);                                                   \
    CO_AWAIT(&(fr)->co, &(fr)->y, ac_yield_poll, ac_yield_drop);               \
  } while (0)

#define JOIN(fr, task)                                                         \
  do {                                                                         \
    ac_join_init(&(fr)->join, (task));                                         \
    CO_AWAIT(&(fr)->co, &(fr)->join, ac_join_poll, ac_join_drop);              \
    ac_join_finish(&(fr)->join);                                               \
  } while (0)

static int run_root(ac_poll_fn poll, struct root_frame *fr) {
  memset(fr, 0, sizeof *fr);
  return ac__block_on(fr, poll, co_frame_drop);
}

/* ---- Tests ------------------------------------------------------------------
 */

static ac_poll chain_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] =
      spawn_frame(sizeof(struct outer_frame), outer_poll, outer_drop, "outer");
  fr->h[1] =
      spawn_frame(sizeof(struct both_frame), both_poll, both_drop, "both");
  fr->h[2] = spawn_frame(sizeof(struct far_frame), far_poll, far_drop, "far");
  ASSERT_OK(ac_task_set_name(fr->h[2], "far away"));
  YIELD(fr);
  strcpy(fr->text, dump_to_string());
  for (fr->i = 0; fr->i < 3; fr->i++) {
    ASSERT_OK(ac_task_abort(fr->h[fr->i]));
    JOIN(fr, fr->h[fr->i]);
  }
  CO_END(&fr->co);
}

/* Each task's await chain is printed level by level, like a backtrace,
 * through combinator branches and arena-allocated frames. */
TEST(dump_tasks_await_chain) {
  struct root_frame fr;
  register_all();
  ASSERT_OK(run_root(chain_poll, &fr));
  const char *t = fr.text;
  ASSERT_HAS(t, "asyncc: 4 tasks\n");
  ASSERT_HAS(t, "task 0 \"block_on\" running\ntask 1"); /* No chain. */
  ASSERT_HAS(t, "task 1 \"outer\" waiting\n"
                "  #0 outer at dump-demo.c:20 await(inner(3600000)) "
                "[OUTER_L20]\n"
                "  #1 inner at dump-demo.c:10 await(ac_sleep(ms)) "
                "[INNER_L10]\n"
                "  #2 ac_sleep (3600000 ms)\n");
  ASSERT_HAS(t, "task 2 \"both\" waiting\n"
                "  #0 both at dump-demo.c:40 "
                "await(ac_all(inner(3600000), ac_sleep(1800000))) "
                "[BOTH_L40]\n"
                "  [0]\n"
                "    #1 inner at dump-demo.c:10 await(ac_sleep(ms)) "
                "[INNER_L10]\n"
                "    #2 ac_sleep (3600000 ms)\n"
                "  [1]\n"
                "    #1 ac_sleep (1800000 ms)\n");
  ASSERT_HAS(t, "task 3 \"far away\" waiting\n"
                "  #0 far at dump-demo.c:50 await(remote(5000)) [FAR_L50]\n"
                "  #1 inner at dump-demo.c:10 await(ac_sleep(ms)) "
                "[INNER_L10]\n"
                "  #2 ac_sleep (5000000 ms)\n");
  ASSERT_LOOP_CLOSED();
}

/* async int quick(void): finishes at once. */
static ac_poll quick_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  return AC_READY;
}

static void noop_drop(void *frame) { (void)frame; }

static ac_poll states_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] = spawn_frame(sizeof(int), quick_poll, noop_drop, "quick");
  fr->h[1] =
      spawn_frame(sizeof(struct outer_frame), outer_poll, outer_drop, "doomed");
  fr->h[2] =
      spawn_frame(sizeof(struct outer_frame), outer_poll, outer_drop, "queued");
  YIELD(fr);
  ASSERT_OK(ac_task_abort(fr->h[1]));
  YIELD(fr);
  ac_task_wake(fr->h[2]); /* Spurious, but makes it "ready". */
  strcpy(fr->text, dump_to_string());
  for (fr->i = 0; fr->i < 3; fr->i++) {
    ASSERT_OK(ac_task_abort(fr->h[fr->i]));
    JOIN(fr, fr->h[fr->i]);
  }
  CO_END(&fr->co);
}

/* Tasks that finished or were aborted stay listed until joined. */
TEST(dump_task_states) {
  struct root_frame fr;
  register_all();
  ASSERT_OK(run_root(states_poll, &fr));
  const char *t = fr.text;
  ASSERT_HAS(t, "task 1 \"quick\" finished\ntask 2");
  ASSERT_HAS(t, "task 2 \"doomed\" aborted\ntask 3");
  ASSERT_HAS(t, "task 3 \"queued\" ready\n  #0 outer at");
  ASSERT_LOOP_CLOSED();
}

static ac_poll unregistered_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] =
      spawn_frame(sizeof(struct outer_frame), outer_poll, outer_drop, "outer");
  YIELD(fr);
  strcpy(fr->text, dump_to_string());
  ASSERT_OK(ac_task_abort(fr->h[0]));
  JOIN(fr, fr->h[0]);
  CO_END(&fr->co);
}

/* Without metadata the chain stops at the unknown level; registering
 * again replaces, unregistering forgets. */
TEST(dump_future_info_registry) {
  struct root_frame fr;
  ASSERT_EQ(ac__future_info_register(NULL), AC_EINVAL);
  struct ac_future_info bad = {NULL, "bad", NULL, NULL, 0, NULL};
  ASSERT_EQ(ac__future_info_register(&bad), AC_EINVAL);
  ac__test_fail_alloc(0);
  ASSERT_EQ(ac__future_info_register(&outer_info), AC_ENOMEM);
  ASSERT_NULL(ac__future_info_find(outer_poll));
  ASSERT_OK(ac__future_info_register(&outer_info));
  ASSERT_PTR_EQ(ac__future_info_find(outer_poll), &outer_info);
  struct ac_future_info renamed = outer_info;
  renamed.name = "outer2";
  ASSERT_OK(ac__future_info_register(&renamed));
  ASSERT_PTR_EQ(ac__future_info_find(outer_poll), &renamed);
  ac__future_info_unregister(&outer_info); /* Not the registered one. */
  ASSERT_PTR_EQ(ac__future_info_find(outer_poll), &renamed);
  ASSERT_OK(run_root(unregistered_poll, &fr));
  ASSERT_HAS(fr.text, "  #0 outer2 at dump-demo.c:20 await(inner(3600000)) "
                      "[OUTER_L20]\n"
                      "  #1 <future without ac_future_info>\n");
  ac__future_info_unregister(&renamed);
  ASSERT_NULL(ac__future_info_find(outer_poll));
  /* Many registrations grow the registry. */
  static struct ac_future_info many[100];
  for (int i = 0; i < 100; i++) {
    many[i] = inner_info;
    many[i].poll = i % 2 ? inner_poll : outer_poll;
    ASSERT_OK(ac__future_info_register(&many[i]));
  }
  ASSERT_PTR_EQ(ac__future_info_find(inner_poll), &many[99]);
  for (int i = 0; i < 100; i++)
    ac__future_info_unregister(&many[i]);
  ASSERT_NULL(ac__future_info_find(inner_poll));
  /* The runtime's own futures are always known. */
  ASSERT_EQ(strcmp(ac__future_info_find(ac_sleep_poll)->name, "ac_sleep"), 0);
  ac_dump_tasks(NULL);
  ASSERT_LOOP_CLOSED();
}

/* ---- Names of the runtime's leaf futures --------------------------------- */

/* What the dump prints for one level: the name, then the description of
 * `frame`. */
static const char *describe_to_string(ac_poll_fn poll, const void *frame) {
  static char buf[512];
  const struct ac_future_info *info = ac__future_info_find(poll);
  ASSERT_NOT_NULL(info);
  FILE *f = tmpfile();
  ASSERT_NOT_NULL(f);
  fputs(info->name, f);
  if (info->describe != NULL)
    info->describe(frame, f);
  rewind(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

#define ASSERT_DESCRIBES(poll, frame, text)                                    \
  do {                                                                         \
    const char *got_ = describe_to_string((poll), (frame));                    \
    if (strcmp(got_, (text)) != 0)                                             \
      test_fail(__FILE__, __LINE__, "described as \"%s\", not \"%s\"", got_,   \
                (text));                                                       \
  } while (0)

/* Every leaf future of the runtime has a name in dumps, and the I/O ones
 * say what they wait for. */
TEST(dump_names_every_leaf_future) {
  static const struct {
    ac_poll_fn poll;
    const char *name;
  } leaves[] = {
      {ac_sleep_poll, "ac_sleep"},
      {ac_yield_poll, "ac_yield"},
      {ac_join_poll, "ac_join"},
      {ac_scope_join_poll, "ac_scope_join"},
      {ac_spawn_blocking_poll, "ac_spawn_blocking"},
      {ac_chan_send_poll, "ac_chan_send"},
      {ac_chan_recv_poll, "ac_chan_recv"},
      {ac_oneshot_recv_poll, "ac_oneshot_recv"},
      {ac_mutex_lock_poll, "ac_mutex_lock"},
      {ac_sem_acquire_poll, "ac_sem_acquire"},
      {ac_notify_wait_poll, "ac_notify_wait"},
      {ac_event_wait_poll, "ac_event_wait"},
      {ac_mbox_recv_poll, "ac_mbox_recv"},
      {ac_cancel_token_cancelled_poll, "ac_cancel_token_cancelled"},
      {ac_interval_tick_poll, "ac_interval_tick"},
      {ac_listener_accept_poll, "ac_listener_accept"},
      {ac_tcp_connect_poll, "ac_tcp_connect"},
      {ac_tcp_connect_addr_poll, "ac_tcp_connect_addr"},
      {ac_unix_connect_poll, "ac_unix_connect"},
      {ac_stream_read_poll, "ac_stream_read"},
      {ac_stream_read_exact_poll, "ac_stream_read_exact"},
      {ac_stream_read_until_poll, "ac_stream_read_until"},
      {ac_stream_read_line_poll, "ac_stream_read_line"},
      {ac_stream_peek_poll, "ac_stream_peek"},
      {ac_stream_write_all_poll, "ac_stream_write_all"},
      {ac_stream_writev_poll, "ac_stream_writev"},
      {ac_stream_sendfile_poll, "ac_stream_sendfile"},
      {ac_stream_shutdown_poll, "ac_stream_shutdown"},
      {ac_udp_send_to_poll, "ac_udp_send_to"},
      {ac_udp_recv_from_poll, "ac_udp_recv_from"},
      {ac_process_wait_poll, "ac_process_wait"},
      {ac_shutdown_on_signal_poll, "ac_shutdown_on_signal"},
      {ac_fs_stat_poll, "ac_fs_stat"},
      {ac_fs_fstat_poll, "ac_fs_fstat"},
      {ac_fs_open_poll, "ac_fs_open"},
      {ac_fs_read_poll, "ac_fs_read"},
      {ac_fs_write_poll, "ac_fs_write"},
      {ac_fs_close_poll, "ac_fs_close"},
      {ac_getaddrinfo_poll, "ac_getaddrinfo"},
      {ac_dns_resolve_poll, "ac_dns_resolve"},
      {ac_signal_poll, "ac_signal"},
  };
  for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
    const struct ac_future_info *info = ac__future_info_find(leaves[i].poll);
    ASSERT_NOT_NULL(info);
    ASSERT_EQ(strcmp(info->name, leaves[i].name), 0);
    ASSERT_EQ(info->nstates, 0);
  }

  /* Frames as their init leaves them (never polled: nothing runs). */
  struct ac_tcp_connect_frame connect;
  ac_tcp_connect_init(&connect, "127.0.0.1", 8080, NULL);
  ASSERT_DESCRIBES(ac_tcp_connect_poll, &connect,
                   "ac_tcp_connect (127.0.0.1 port 8080)");
  struct sockaddr_in sin;
  ASSERT_OK(uv_ip4_addr("10.1.2.3", 53, &sin));
  struct ac_tcp_connect_addr_frame connect_addr;
  ac_tcp_connect_addr_init(&connect_addr, (const struct sockaddr *)&sin, NULL);
  ASSERT_DESCRIBES(ac_tcp_connect_addr_poll, &connect_addr,
                   "ac_tcp_connect_addr (10.1.2.3:53)");
  struct ac_unix_connect_frame unix_connect;
  ac_unix_connect_init(&unix_connect, "/run/app.sock", NULL);
  ASSERT_DESCRIBES(ac_unix_connect_poll, &unix_connect,
                   "ac_unix_connect (\"/run/app.sock\")");
  char buf[16];
  struct ac_stream_read_frame read;
  ac_stream_read_init(&read, NULL, buf, sizeof buf);
  ASSERT_DESCRIBES(ac_stream_read_poll, &read,
                   "ac_stream_read (stream (nil), up to 16 bytes)");
  struct ac_stream_read_exact_frame exact;
  ac_stream_read_exact_init(&exact, NULL, buf, 12);
  ASSERT_DESCRIBES(ac_stream_read_exact_poll, &exact,
                   "ac_stream_read_exact (stream (nil), 0 of 12 bytes)");
  const char *p;
  struct ac_stream_read_until_frame until;
  ac_stream_read_until_init(&until, NULL, ';', &p);
  ASSERT_DESCRIBES(ac_stream_read_until_poll, &until,
                   "ac_stream_read_until (stream (nil), 0 bytes without "
                   "byte 59)");
  struct ac_stream_read_line_frame line;
  ac_stream_read_line_init(&line, NULL, &p);
  ASSERT_DESCRIBES(ac_stream_read_line_poll, &line,
                   "ac_stream_read_line (stream (nil), 0 bytes without a "
                   "newline)");
  struct ac_stream_peek_frame peek;
  ac_stream_peek_init(&peek, NULL, 5, &p);
  ASSERT_DESCRIBES(ac_stream_peek_poll, &peek,
                   "ac_stream_peek (stream (nil), 5 bytes wanted)");
  struct ac_stream_write_all_frame write;
  ac_stream_write_all_init(&write, NULL, buf, 10);
  ASSERT_DESCRIBES(ac_stream_write_all_poll, &write,
                   "ac_stream_write_all (stream (nil), 0 of 10 bytes sent)");
  struct iovec iov[2] = {{buf, 4}, {buf, 6}};
  struct ac_stream_writev_frame writev;
  ac_stream_writev_init(&writev, NULL, iov, 2);
  ASSERT_DESCRIBES(ac_stream_writev_poll, &writev,
                   "ac_stream_writev (stream (nil), 0 bytes of 2 buffers "
                   "sent)");
  struct ac_stream_sendfile_frame sendfile;
  ac_stream_sendfile_init(&sendfile, NULL, 7, 0, 4096);
  ASSERT_DESCRIBES(ac_stream_sendfile_poll, &sendfile,
                   "ac_stream_sendfile (stream (nil), fd 7, 0 of 4096 bytes "
                   "sent)");
  struct ac_udp_send_to_frame udp_send;
  ac_udp_send_to_init(&udp_send, NULL, buf, 3, (const struct sockaddr *)&sin);
  ASSERT_DESCRIBES(ac_udp_send_to_poll, &udp_send,
                   "ac_udp_send_to (3 bytes to 10.1.2.3:53)");
  struct ac_udp_recv_from_frame udp_recv;
  ac_udp_recv_from_init(&udp_recv, NULL, buf, sizeof buf, NULL);
  ASSERT_DESCRIBES(ac_udp_recv_from_poll, &udp_recv,
                   "ac_udp_recv_from (socket (nil), up to 16 bytes)");
  struct ac_fs_open_frame open;
  ac_fs_open_init(&open, "/etc/hosts", 0, 0);
  ASSERT_DESCRIBES(ac_fs_open_poll, &open, "ac_fs_open (\"/etc/hosts\")");
  struct ac_fs_read_frame fs_read;
  ac_fs_read_init(&fs_read, 7, buf, sizeof buf, -1);
  ASSERT_DESCRIBES(ac_fs_read_poll, &fs_read,
                   "ac_fs_read (fd 7, up to 16 bytes)");
  struct ac_fs_write_frame fs_write;
  ac_fs_write_init(&fs_write, 7, buf, 3, 0);
  ASSERT_DESCRIBES(ac_fs_write_poll, &fs_write,
                   "ac_fs_write (fd 7, 0 of 3 bytes written)");
  struct ac_fs_close_frame fs_close;
  ac_fs_close_init(&fs_close, 7);
  ASSERT_DESCRIBES(ac_fs_close_poll, &fs_close, "ac_fs_close (fd 7)");
  struct stat st;
  struct ac_fs_stat_frame fs_stat;
  ac_fs_stat_init(&fs_stat, "/etc/hosts", &st);
  ASSERT_DESCRIBES(ac_fs_stat_poll, &fs_stat, "ac_fs_stat (\"/etc/hosts\")");
  struct ac_fs_fstat_frame fs_fstat;
  ac_fs_fstat_init(&fs_fstat, 7, &st);
  ASSERT_DESCRIBES(ac_fs_fstat_poll, &fs_fstat, "ac_fs_fstat (fd 7)");
  struct addrinfo *res = NULL;
  struct ac_getaddrinfo_frame gai;
  ac_getaddrinfo_init(&gai, "localhost", "http", NULL, &res);
  ASSERT_DESCRIBES(ac_getaddrinfo_poll, &gai,
                   "ac_getaddrinfo (localhost http)");
  struct sockaddr_storage ss;
  struct ac_dns_resolve_frame resolve;
  ac_dns_resolve_init(&resolve, "example.org", 443, &ss);
  ASSERT_DESCRIBES(ac_dns_resolve_poll, &resolve,
                   "ac_dns_resolve (example.org port 443)");
  struct ac_signal_frame sig;
  ac_signal_init(&sig, SIGINT);
  ASSERT_DESCRIBES(ac_signal_poll, &sig, "ac_signal (signal 2)");
  ac_scope scope = {0};
  scope.pending = 3;
  struct ac_scope_join_frame scope_join;
  ac_scope_join_init(&scope_join, &scope);
  ASSERT_DESCRIBES(ac_scope_join_poll, &scope_join, "ac_scope_join (3 tasks)");
  struct ac_shutdown_on_signal_frame shutdown;
  ac_shutdown_on_signal_init(&shutdown, &scope, NULL, 100);
  ASSERT_DESCRIBES(ac_shutdown_on_signal_poll, &shutdown,
                   "ac_shutdown_on_signal (not started, 3 tasks)");
  ASSERT_LOOP_CLOSED();
}

/* ---- SIGUSR1 ------------------------------------------------------------- */

/* Pending, and nothing will ever wake it. */
static ac_poll stall_poll(void *frame, ac_cx *cx) {
  (void)frame;
  (void)cx;
  return AC_PENDING;
}

static ac_poll signal_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  fr->h[0] =
      spawn_frame(sizeof(struct outer_frame), outer_poll, outer_drop, "outer");
  YIELD(fr);
  ASSERT_OK(raise(SIGUSR1));
  /* The signal is delivered through the loop: turn it until the dump is
   * written (the test's timeout bounds this). */
  for (;;) {
    fflush(stderr);
    FILE *f = fopen(fr->text, "r");
    ASSERT_NOT_NULL(f);
    char line[256] = "";
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL)
      found |= strstr(line, "#2 ac_sleep (3600000 ms)") != NULL;
    fclose(f);
    if (found)
      break;
    YIELD(fr);
  }
  ASSERT_OK(ac_task_abort(fr->h[0]));
  JOIN(fr, fr->h[0]);
  CO_END(&fr->co);
}

/* ac_dump_on_signal(1) makes SIGUSR1 print the dump on stderr while a
 * block_on runs; the handle is closed when block_on returns and does not
 * keep a stalled root alive. */
TEST(dump_on_signal) {
  struct root_frame fr;
  register_all();
  char path[] = "/tmp/asyncc-dump-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_NE(fd, -1);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  ASSERT_NE(saved, -1);
  ASSERT_NE(dup2(fd, STDERR_FILENO), -1);
  ASSERT_OK(ac_dump_on_signal(1));
  memset(&fr, 0, sizeof fr);
  strcpy(fr.text, path);
  int err = ac__block_on(&fr, signal_poll, co_frame_drop);
  fflush(stderr);
  ASSERT_NE(dup2(saved, STDERR_FILENO), -1);
  close(saved);
  close(fd);
  unlink(path);
  ASSERT_OK(err);
  ASSERT_LOOP_CLOSED();
  /* Still enabled: a stalled root fails instead of waiting for signals. */
  ASSERT_EQ(ac__block_on(NULL, stall_poll, noop_drop), AC_EDEADLK);
  ASSERT_OK(ac_dump_on_signal(0));
  ASSERT_LOOP_CLOSED();
}
