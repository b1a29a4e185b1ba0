/* test-process.c -- child processes: pipes both ways (sort reads its
 * input to the end, then writes), exit statuses, a child killed by a
 * signal, the environment and the directory, /dev/null, a program that
 * does not exist, and a wait pending when the process is closed. */
#include <signal.h>
#include <string.h>

#include "io-util.h"

struct proc_script {
  struct script s;
  ac_process *p;
  ac_stream *pipes[3];
  const char *line;
  char buf[256];
  size_t got;
  union {
    struct ac_process_wait_frame wait;
    struct ac_stream_write_all_frame write;
    struct ac_stream_read_line_frame read_line;
    struct ac_stream_read_frame read;
  } sub;
};

static void run_proc(ac_poll_fn poll) {
  struct proc_script fr;
  memset(&fr, 0, sizeof fr);
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
}

/* Spawns `argv` with the standard streams given; asserts success. */
static void spawn(struct proc_script *fr, char **argv, int in, int out,
                  int err) {
  struct ac_process_options o = {.file = argv[0], .args = argv};
  o.stdio[0] = in;
  o.stdio[1] = out;
  o.stdio[2] = err;
  ASSERT_OK(ac_process_spawn(&o, &fr->p, fr->pipes));
  ASSERT_GT(ac_process_pid(fr->p), 0);
}

#define READ_ALL(fr, cx, pipe)                                                 \
  do {                                                                         \
    for (;;) {                                                                 \
      AWAIT(&(fr)->s, cx, ac_stream_read, (fr)->sub.read, pipe,                \
            (fr)->buf + (fr)->got, sizeof(fr)->buf - 1 - (fr)->got);           \
      ASSERT_GE((fr)->sub.read.result, 0);                                     \
      if ((fr)->sub.read.result == 0)                                          \
        break;                                                                 \
      (fr)->got += (size_t)(fr)->sub.read.result;                              \
    }                                                                          \
    (fr)->buf[(fr)->got] = '\0';                                               \
  } while (0)

static ac_poll sort_poll(void *frame, ac_cx *cx) {
  static char *argv[] = {(char *)"sort", NULL};
  struct proc_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  spawn(fr, argv, AC_STDIO_PIPE, AC_STDIO_PIPE, AC_STDIO_INHERIT);
  ASSERT_NULL(fr->pipes[2]);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->pipes[0],
        "pear\napple\nfig\n", 15);
  ASSERT_OK(fr->sub.write.result);
  ac_stream_close(fr->pipes[0]); /* sort reads the end of its input */
  AWAIT(&fr->s, cx, ac_stream_read_line, fr->sub.read_line, fr->pipes[1],
        &fr->line);
  ASSERT_EQ(fr->sub.read_line.result, 6);
  ASSERT_EQ(memcmp(fr->line, "apple\n", 6), 0);
  READ_ALL(fr, cx, fr->pipes[1]);
  ASSERT_EQ(strcmp(fr->buf, "fig\npear\n"), 0);
  AWAIT(&fr->s, cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_EQ(fr->sub.wait.result, 0);
  /* Waiting again yields the same; the child is gone. */
  AWAIT(&fr->s, cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_EQ(fr->sub.wait.result, 0);
  ASSERT_EQ(ac_process_kill(fr->p, SIGTERM), AC_ESRCH);
  ac_stream_close(fr->pipes[1]);
  ac_process_close(fr->p);
  SCRIPT_END(&fr->s);
}

TEST(process_pipes_both_ways) {
  run_proc(sort_poll);
}

/* Exit statuses, and 128 + the signal for a child killed. */
static ac_poll status_poll(void *frame, ac_cx *cx) {
  static char *exit3[] = {(char *)"sh", (char *)"-c", (char *)"exit 3", NULL};
  static char *sleeper[] = {(char *)"sleep", (char *)"60", NULL};
  struct proc_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  spawn(fr, exit3, AC_STDIO_NULL, AC_STDIO_NULL, AC_STDIO_NULL);
  AWAIT(&fr->s, cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_EQ(fr->sub.wait.result, 3);
  ac_process_close(fr->p);
  spawn(fr, sleeper, AC_STDIO_NULL, AC_STDIO_NULL, AC_STDIO_NULL);
  ASSERT_OK(ac_process_kill(fr->p, SIGKILL));
  AWAIT(&fr->s, cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_EQ(fr->sub.wait.result, 128 + SIGKILL);
  ac_process_close(fr->p);
  SCRIPT_END(&fr->s);
}

TEST(process_exit_status_and_signal) {
  run_proc(status_poll);
}

/* The child gets the environment and directory asked for; stderr is a
 * pipe too. */
static ac_poll env_cwd_poll(void *frame, ac_cx *cx) {
  static char *argv[] = {(char *)"/bin/sh", (char *)"-c",
                         (char *)"echo \"$GREETING\" $(pwd) >&2", NULL};
  static char *env[] = {(char *)"GREETING=hello", NULL};
  struct proc_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  {
    struct ac_process_options o = {
        .file = argv[0], .args = argv, .env = env, .cwd = "/"};
    o.stdio[0] = AC_STDIO_NULL;
    o.stdio[1] = AC_STDIO_NULL;
    o.stdio[2] = AC_STDIO_PIPE;
    ASSERT_OK(ac_process_spawn(&o, &fr->p, fr->pipes));
  }
  READ_ALL(fr, cx, fr->pipes[2]);
  ASSERT_EQ(strcmp(fr->buf, "hello /\n"), 0);
  AWAIT(&fr->s, cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_EQ(fr->sub.wait.result, 0);
  ac_stream_close(fr->pipes[2]);
  ac_process_close(fr->p);
  SCRIPT_END(&fr->s);
}

TEST(process_env_and_cwd) {
  run_proc(env_cwd_poll);
}

/* A wait pending when the process is closed completes with
 * AC_ECANCELED; the child is killed first so that nothing is left. */
static ac_poll close_pending_poll(void *frame, ac_cx *cx) {
  static char *sleeper[] = {(char *)"sleep", (char *)"60", NULL};
  struct proc_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  spawn(fr, sleeper, AC_STDIO_NULL, AC_STDIO_NULL, AC_STDIO_NULL);
  START(cx, ac_process_wait, fr->sub.wait, fr->p);
  {
    struct ac_process_wait_frame second;
    ASSERT_EQ(POLL_NOW(cx, ac_process_wait, second, fr->p), AC_EBUSY);
  }
  ac_process_wait_drop(&fr->sub.wait);
  START(cx, ac_process_wait, fr->sub.wait, fr->p);
  ASSERT_OK(ac_process_kill(fr->p, SIGKILL));
  ac_process_close(fr->p);
  RESUME(&fr->s, cx, ac_process_wait, fr->sub.wait);
  ASSERT_EQ(fr->sub.wait.result, AC_ECANCELED);
  SCRIPT_END(&fr->s);
}

TEST(process_close_with_wait_pending) {
  run_proc(close_pending_poll);
}

static void errors_body(ac_cx *cx) {
  static char *missing[] = {(char *)"asyncc-no-such-program", NULL};
  static char *sh[] = {(char *)"sh", NULL};
  ac_process *p = NULL;
  ac_stream *pipes[3];
  struct ac_process_options o = {.file = missing[0], .args = missing};
  ASSERT_EQ(ac_process_spawn(&o, &p, pipes), AC_ENOENT);
  ASSERT_NULL(p);
  o.stdio[1] = AC_STDIO_PIPE;
  ASSERT_EQ(ac_process_spawn(&o, &p, NULL), AC_EINVAL); /* No pipes[]. */
  o.file = sh[0];
  o.args = sh;
  o.cwd = "/nonexistent-directory";
  ASSERT_EQ(ac_process_spawn(&o, &p, pipes), AC_ENOENT);
  o.cwd = NULL;
  o.stdio[1] = 7;
  ASSERT_EQ(ac_process_spawn(&o, &p, pipes), AC_EINVAL);
  ASSERT_EQ(ac_process_spawn(NULL, &p, pipes), AC_EINVAL);
  ASSERT_EQ(ac_process_pid(NULL), AC_EINVAL);
  ASSERT_EQ(ac_process_kill(NULL, SIGTERM), AC_EINVAL);
  ac_process_close(NULL);
  struct ac_process_wait_frame w;
  ASSERT_EQ(POLL_NOW(cx, ac_process_wait, w, NULL), AC_EINVAL);
  ac_process_wait_drop(&w);
}

TEST(process_errors) {
  run_in_block_on(errors_body);
}
