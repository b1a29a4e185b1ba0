/* sync_view_process.c -- child processes in the sync view
 * (libasyncc_sync): runtime/process.c over fork, exec and waitpid, as
 * libuv's uv_spawn does it, with the same results.  A child that cannot
 * be started (no such program, no such directory) reports errno through
 * a close-on-exec pipe, so that the spawn itself fails, as in libuv. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sock.h"
#include "sync_view_stream.h"

extern char **environ;

struct ac_process {
  pid_t pid;
  int exited;
  int status; /* as ac_process_wait yields it */
};

/* errno as an AC_E* code. */
static int sys_err(void) { return -errno; }

/* Closes the descriptors of fd[0..3) that are open (>= 0). */
static void close3(const int fd[3]) {
  for (int i = 0; i < 3; i++)
    if (fd[i] >= 0)
      close(fd[i]);
}

/* The child's side: descriptor i of the child is child_fd[i] (-1:
 * inherited).  Never returns. */
static void child(const struct ac_process_options *o, const int child_fd[3],
                  int report) {
  for (int i = 0; i < 3; i++)
    if (child_fd[i] >= 0 && dup2(child_fd[i], i) < 0)
      goto fail;
  if (o->cwd != NULL && chdir(o->cwd) != 0)
    goto fail;
  if (o->env != NULL)
    environ = (char **)o->env;
  execvp(o->file, o->args);
fail:;
  int err = errno;
  ssize_t w = write(report, &err, sizeof err);
  (void)w;
  _exit(127);
}

/* Makes the descriptors of each standard stream: for a pipe, the child's
 * end in child_fd[i] and the parent's in parent_fd[i]; /dev/null in
 * child_fd[i].  0 or an error (everything made closed). */
static int stdio_make(const struct ac_process_options *o, int child_fd[3],
                      int parent_fd[3]) {
  for (int i = 0; i < 3; i++)
    child_fd[i] = parent_fd[i] = -1;
  for (int i = 0; i < 3; i++) {
    int p[2] = {-1, -1};
    if (o->stdio[i] == AC_STDIO_NULL) {
      if ((p[0] = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
        goto fail;
      child_fd[i] = p[0];
    } else if (o->stdio[i] == AC_STDIO_PIPE) {
      ac__ignore_sigpipe();
      if (pipe2(p, O_CLOEXEC) != 0)
        goto fail;
      child_fd[i] = i == 0 ? p[0] : p[1];
      parent_fd[i] = i == 0 ? p[1] : p[0];
    } else if (o->stdio[i] != AC_STDIO_INHERIT) {
      errno = EINVAL;
      goto fail;
    }
  }
  return 0;
fail:;
  int err = sys_err();
  close3(child_fd);
  close3(parent_fd);
  return err;
}

int ac_process_spawn(const struct ac_process_options *opts, ac_process **out,
                     ac_stream *pipes[3]) {
  if (out == NULL)
    return AC_EINVAL;
  *out = NULL;
  if (opts == NULL || opts->file == NULL || opts->args == NULL ||
      opts->args[0] == NULL)
    return AC_EINVAL;
  int want_pipes = 0;
  for (int i = 0; i < 3; i++)
    want_pipes |= opts->stdio[i] == AC_STDIO_PIPE;
  if (want_pipes && pipes == NULL)
    return AC_EINVAL;
  ac_process *p = malloc(sizeof *p);
  if (p == NULL)
    return AC_ENOMEM;
  int child_fd[3], parent_fd[3], report[2];
  int err = stdio_make(opts, child_fd, parent_fd);
  if (err == 0 && pipe2(report, O_CLOEXEC) != 0) {
    err = sys_err();
    close3(child_fd);
    close3(parent_fd);
  }
  if (err != 0) {
    free(p);
    return err;
  }
  pid_t pid = fork();
  if (pid == 0)
    child(opts, child_fd, report[1]);
  err = pid < 0 ? sys_err() : 0;
  close3(child_fd);
  close(report[1]);
  int child_err = 0;
  ssize_t n = 0;
  while (pid > 0 && (n = read(report[0], &child_err, sizeof child_err)) < 0 &&
         errno == EINTR)
    continue;
  close(report[0]);
  if (err == 0 && n == (ssize_t)sizeof child_err) {
    err = -child_err;
    waitpid(pid, NULL, 0);
  }
  for (int i = 0; i < 3; i++) {
    ac_stream *s = NULL;
    if (parent_fd[i] >= 0 && err == 0 &&
        (s = ac__sync_stream_new(parent_fd[i], AC__SYNC_PIPE)) == NULL)
      err = AC_ENOMEM;
    else if (parent_fd[i] >= 0 && err != 0)
      close(parent_fd[i]);
    if (pipes != NULL)
      pipes[i] = s;
  }
  if (err != 0) {
    for (int i = 0; pipes != NULL && i < 3; i++) {
      ac_stream_close(pipes[i]);
      pipes[i] = NULL;
    }
    free(p);
    return err;
  }
  p->pid = pid;
  p->exited = 0;
  p->status = 0;
  *out = p;
  return 0;
}

int ac_process_pid(const ac_process *p) {
  return p != NULL ? (int)p->pid : AC_EINVAL;
}

int ac_process_kill(ac_process *p, int signum) {
  if (p == NULL)
    return AC_EINVAL;
  if (p->exited)
    return AC_ESRCH;
  return kill(p->pid, signum) == 0 ? 0 : sys_err();
}

void ac_process_close(ac_process *p) { free(p); }

int ac_process_wait(ac_process *p) {
  if (p == NULL)
    return AC_EINVAL;
  if (p->exited)
    return p->status;
  int st;
  while (waitpid(p->pid, &st, 0) < 0)
    if (errno != EINTR)
      return sys_err();
  p->exited = 1;
  p->status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
  return p->status;
}
