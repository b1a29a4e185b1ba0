/* sync_view_io.c -- files, DNS, signals and graceful shutdown in the sync
 * view (libasyncc_sync); streams and UDP are in sync_view_stream.c,
 * processes in sync_view_process.c.
 *
 * Untransformed, every I/O operation is a plain call, so it blocks: the
 * same functions as runtime/fs.c, dns.c, signal.c and shutdown.c, over
 * blocking POSIX calls.  Results and errors are the runtime's: AC_E* codes are
 * negated errno values (libuv's on Linux, checked by error.c), and
 * getaddrinfo's codes map to libuv's UV_EAI_* as libuv maps them.  The
 * sync view links no libuv; <uv.h> only supplies those constants.
 *
 * Separate from sync_view.c because libasyncc defines the same functions:
 * the runtime's tests link both libraries, and a static library only
 * brings in the objects it needs. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asyncc.h>
#include <uv.h>

/* errno as an AC_E* code. */
static int sys_err(void) { return -errno; }

/* ---- Files --------------------------------------------------------------- */

int ac_fs_open(const char *path, int flags, int mode) {
  if (path == NULL)
    return AC_EINVAL;
  int fd;
  while ((fd = open(path, flags | O_CLOEXEC, mode)) < 0 && errno == EINTR)
    continue;
  return fd < 0 ? sys_err() : fd;
}

ptrdiff_t ac_fs_read(int fd, void *buf, size_t len, int64_t offset) {
  if (len == 0)
    return 0;
  if (buf == NULL)
    return AC_EINVAL;
  if (len > AC_FS_CHUNK) /* the runtime's bounce buffer */
    len = AC_FS_CHUNK;
  ssize_t n;
  do
    n = offset < 0 ? read(fd, buf, len) : pread(fd, buf, len, (off_t)offset);
  while (n < 0 && errno == EINTR);
  return n < 0 ? sys_err() : n;
}

/* Writes everything, as the runtime does chunk by chunk; a write of 0
 * bytes ends it with the count written so far. */
ptrdiff_t ac_fs_write(int fd, const void *buf, size_t len, int64_t offset) {
  if (buf == NULL && len > 0)
    return AC_EINVAL;
  size_t done = 0;
  while (done < len) {
    size_t n = len - done < AC_FS_CHUNK ? len - done : AC_FS_CHUNK;
    const char *p = (const char *)buf + done;
    ssize_t w = offset < 0 ? write(fd, p, n)
                           : pwrite(fd, p, n, (off_t)(offset + (int64_t)done));
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return sys_err();
    if (w == 0)
      break;
    done += (size_t)w;
  }
  return (ptrdiff_t)done;
}

int ac_fs_close(int fd) { return close(fd) == 0 ? 0 : sys_err(); }

int ac_fs_stat(const char *path, struct stat *st) {
  if (path == NULL || st == NULL)
    return AC_EINVAL;
  return stat(path, st) == 0 ? 0 : sys_err();
}

int ac_fs_fstat(int fd, struct stat *st) {
  if (st == NULL)
    return AC_EINVAL;
  return fstat(fd, st) == 0 ? 0 : sys_err();
}

/* ---- DNS ----------------------------------------------------------------- */

/* getaddrinfo's codes as libuv reports them (uv__getaddrinfo_translate_error).
 */
static int gai_err(int rc) {
  switch (rc) {
  case 0:
    return 0;
  case EAI_AGAIN:
    return UV_EAI_AGAIN;
  case EAI_BADFLAGS:
    return UV_EAI_BADFLAGS;
  case EAI_FAIL:
    return UV_EAI_FAIL;
  case EAI_FAMILY:
    return UV_EAI_FAMILY;
  case EAI_MEMORY:
    return UV_EAI_MEMORY;
  case EAI_NONAME:
    return UV_EAI_NONAME;
  case EAI_OVERFLOW:
    return UV_EAI_OVERFLOW;
  case EAI_SERVICE:
    return UV_EAI_SERVICE;
  case EAI_SOCKTYPE:
    return UV_EAI_SOCKTYPE;
  case EAI_SYSTEM:
    return sys_err();
  default:
    return UV_EAI_FAIL;
  }
}

int ac_getaddrinfo(const char *node, const char *service,
                   const struct addrinfo *hints, struct addrinfo **res) {
  if (res == NULL || (node == NULL && service == NULL))
    return AC_EINVAL;
  *res = NULL;
  return gai_err(getaddrinfo(node, service, hints, res));
}

void ac_freeaddrinfo(struct addrinfo *ai) {
  if (ai != NULL)
    freeaddrinfo(ai);
}

int ac_dns_resolve(const char *host, int port, struct sockaddr_storage *out) {
  if (host == NULL || out == NULL || port < 0 || port > 65535)
    return AC_EINVAL;
  /* The runtime's hints: without AI_ADDRCONFIG (dns.c says why). */
  struct addrinfo hints = {0};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo *list = NULL;
  int err = ac_getaddrinfo(host, service, &hints, &list);
  if (err != 0)
    return err;
  err = AC_EAI_NONAME;
  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
    if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
        ai->ai_addrlen <= sizeof *out) {
      memset(out, 0, sizeof *out);
      memcpy(out, ai->ai_addr, ai->ai_addrlen);
      err = 0;
      break;
    }
  }
  freeaddrinfo(list);
  return err;
}

/* ---- Signals ------------------------------------------------------------- */

/* Waits for `signum` with it blocked, so that it is taken rather than
 * acted on, as the runtime catches it while an ac_signal is pending. */
int ac_signal(int signum) {
  sigset_t set, old;
  sigemptyset(&set);
  if (signum <= 0 || signum == SIGKILL || signum == SIGSTOP ||
      sigaddset(&set, signum) != 0)
    return AC_EINVAL;
  int err = pthread_sigmask(SIG_BLOCK, &set, &old);
  if (err != 0)
    return -err;
  int got = 0;
  while ((err = sigwait(&set, &got)) == EINTR)
    continue;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return err != 0 ? -err : got;
}

/* ---- Graceful shutdown --------------------------------------------------- */

/* Every task of the scope ran to its end when it was spawned, so the
 * scope has ended before any signal could come: 0, as in the runtime. */
int ac_shutdown_on_signal(ac_scope *tasks, ac_cancel_token *stop,
                          uint64_t grace_ms) {
  (void)stop;
  (void)grace_ms;
  if (tasks == NULL)
    return AC_EINVAL;
  ac_scope_join(tasks);
  return 0;
}
