/* asyncc/process.h -- child processes, with pipes to their standard
 * streams.
 *
 *   char *args[] = {"sort", NULL};
 *   struct ac_process_options o = {.file = "sort", .args = args,
 *       .stdio = {AC_STDIO_PIPE, AC_STDIO_PIPE, AC_STDIO_INHERIT}};
 *   ac_process *p;
 *   ac_stream *pipes[3];
 *   int err = ac_process_spawn(&o, &p, pipes);
 *   err = await(ac_stream_write_all(pipes[0], "b\na\n", 4));
 *   ac_stream_close(pipes[0]);                     sort reads the end
 *   ptrdiff_t n = await(ac_stream_read_line(pipes[1], &line));   "a\n"
 *   int status = await(ac_process_wait(p));        0
 *   ac_stream_close(pipes[1]);
 *   ac_process_close(p);
 *
 * Pipes are streams (asyncc/stream.h): everything that reads, writes and
 * closes a stream works on them.  A process and its pipes belong to the
 * loop of the worker that spawned them.  Included by <asyncc.h>. */
#ifndef ASYNCC_PROCESS_H
#define ASYNCC_PROCESS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_process ac_process;

/* What a child's standard stream is connected to. */
#define AC_STDIO_INHERIT 0 /* the parent's own descriptor */
#define AC_STDIO_NULL 1    /* /dev/null */
#define AC_STDIO_PIPE 2    /* a pipe, the parent's end a new stream */

struct ac_process_options {
  const char *file;  /* the program; searched in PATH if it has no '/' */
  char *const *args; /* argv, NULL-terminated (args[0]: the name) */
  char *const *env;  /* "NAME=value"s, NULL-terminated; NULL: inherit */
  const char *cwd;   /* the child's directory; NULL: the parent's */
  int stdio[3];      /* AC_STDIO_* for stdin, stdout and stderr */
};

/* Starts the program.  0 and *out, with pipes[i] a new stream for each
 * stdio[i] that is AC_STDIO_PIPE (NULL for the others; pipes may be NULL
 * when none is), which the caller closes; or an error: AC_ENOENT when the
 * program is not found, AC_EINVAL for bad options, AC_ENOMEM, ... */
int ac_process_spawn(const struct ac_process_options *opts, ac_process **out,
                     ac_stream *pipes[3]);
/* The child's process id. */
int ac_process_pid(const ac_process *p);
/* Sends `signum` to the child: 0, AC_ESRCH once it has exited (and been
 * waited for by the runtime), or an error. */
int ac_process_kill(ac_process *p, int signum);
/* Releases the process.  Close it once it has exited (after a wait): a
 * child still running when closed is no longer watched, and stays a
 * zombie when it ends until the program exits.  A pending wait completes
 * with AC_ECANCELED.  NULL is ignored. */
void ac_process_close(ac_process *p);

/* await(ac_process_wait(p)): waits until the child ends and yields its
 * exit status (0 to 255), or 128 + the number of the signal that ended
 * it, as a shell's $? does; or an error.  Waiting again yields the same.
 * At most one wait may be pending (AC_EBUSY). */
async int ac_process_wait(ac_process *p);

struct ac_process_wait_frame {
  ac_process *p;
  ac_task *task;
  int state;
  int result;
};
void ac_process_wait_init(struct ac_process_wait_frame *fr, ac_process *p);
ac_poll ac_process_wait_poll(void *frame, ac_cx *cx);
void ac_process_wait_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_PROCESS_H */
