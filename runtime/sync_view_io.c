/* sync_view_io.c -- TCP, files, DNS and signals in the sync view
 * (libasyncc_sync).
 *
 * Untransformed, every I/O operation is a plain call, so it blocks: the
 * same functions as runtime/tcp.c, fs.c, dns.c and signal.c, over blocking
 * POSIX calls.  Results and errors are the runtime's: AC_E* codes are
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
#include <unistd.h>

#include <asyncc.h>
#include <uv.h>

struct ac_tcp {
  int fd;
  int err;  /* sticky: the end of the stream (1) or a read error */
  int shut; /* ac_tcp_shutdown was called */
};

struct ac_tcp_listener {
  int fd;
};

/* errno as an AC_E* code. */
static int sys_err(void) { return -errno; }

/* As tcp.c: a write to a peer that has gone fails with AC_EPIPE instead
 * of ending the process, unless the program chose a disposition. */
static void ignore_sigpipe(void) {
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL ||
      (sa.sa_flags & SA_SIGINFO))
    return;
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
}

/* Parses a numeric IPv4 or IPv6 address and a port; its length, or 0. */
static socklen_t parse_addr(const char *ip, int port,
                            struct sockaddr_storage *ss) {
  if (ip == NULL || port < 0 || port > 65535)
    return 0;
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
  if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)port);
    return sizeof *in4;
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    return sizeof *in6;
  }
  return 0;
}

/* A stream socket of `family`, close-on-exec like libuv's: the descriptor
 * or an error. */
static int stream_socket(int family) {
  int fd = socket(family, SOCK_STREAM, 0);
  if (fd < 0)
    return sys_err();
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  ignore_sigpipe();
  return fd;
}

/* ---- TCP ----------------------------------------------------------------- */

int ac_tcp_listen(const char *ip, int port, int backlog,
                  ac_tcp_listener **out) {
  if (out == NULL || backlog < 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  socklen_t len = parse_addr(ip, port, &ss);
  if (len == 0)
    return AC_EINVAL;
  ac_tcp_listener *l = malloc(sizeof *l);
  if (l == NULL)
    return AC_ENOMEM;
  l->fd = stream_socket(ss.ss_family);
  if (l->fd < 0) {
    int err = l->fd;
    free(l);
    return err;
  }
  int on = 1; /* libuv sets it too: restarting a server finds its port. */
  setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(l->fd, (struct sockaddr *)&ss, len) != 0 ||
      listen(l->fd, backlog) != 0) {
    int err = sys_err();
    close(l->fd);
    free(l);
    return err;
  }
  *out = l;
  return 0;
}

int ac_tcp_listener_port(const ac_tcp_listener *l) {
  if (l == NULL)
    return AC_EINVAL;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(l->fd, (struct sockaddr *)&ss, &len) != 0)
    return sys_err();
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

void ac_tcp_listener_close(ac_tcp_listener *l) {
  if (l == NULL)
    return;
  close(l->fd);
  free(l);
}

/* Wraps a connected descriptor; closes it when out of memory. */
static int tcp_wrap(int fd, ac_tcp **out) {
  ac_tcp *c = malloc(sizeof *c);
  if (c == NULL) {
    close(fd);
    return AC_ENOMEM;
  }
  *c = (ac_tcp){fd, 0, 0};
  *out = c;
  return 0;
}

int ac_tcp_accept(ac_tcp_listener *l, ac_tcp **out) {
  if (l == NULL || out == NULL)
    return AC_EINVAL;
  int fd;
  while ((fd = accept(l->fd, NULL, NULL)) < 0 && errno == EINTR)
    continue;
  if (fd < 0)
    return sys_err();
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return tcp_wrap(fd, out);
}

/* connect(2) interrupted by a signal goes on in the background; wait for
 * its outcome as libuv would. */
static int connect_fd(int fd, const struct sockaddr *addr, socklen_t len) {
  if (connect(fd, addr, len) == 0)
    return 0;
  if (errno != EINTR)
    return sys_err();
  struct pollfd p = {fd, POLLOUT, 0};
  while (poll(&p, 1, -1) < 0)
    if (errno != EINTR)
      return sys_err();
  int err = 0;
  socklen_t errlen = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0)
    return sys_err();
  return -err;
}

int ac_tcp_connect_addr(const struct sockaddr *addr, ac_tcp **out) {
  if (out == NULL || addr == NULL ||
      (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
    return AC_EINVAL;
  socklen_t len = addr->sa_family == AF_INET ? sizeof(struct sockaddr_in)
                                             : sizeof(struct sockaddr_in6);
  int fd = stream_socket(addr->sa_family);
  if (fd < 0)
    return fd;
  int err = connect_fd(fd, addr, len);
  if (err != 0) {
    close(fd);
    return err;
  }
  return tcp_wrap(fd, out);
}

int ac_tcp_connect(const char *ip, int port, ac_tcp **out) {
  struct sockaddr_storage ss;
  if (out == NULL || parse_addr(ip, port, &ss) == 0)
    return AC_EINVAL;
  return ac_tcp_connect_addr((struct sockaddr *)&ss, out);
}

/* Like the runtime, the end of the stream and a read error stay: every
 * later read returns them again. */
ptrdiff_t ac_tcp_read(ac_tcp *c, void *buf, size_t len) {
  if (c == NULL || (buf == NULL && len > 0))
    return AC_EINVAL;
  if (len == 0)
    return 0;
  if (c->err != 0)
    return c->err == 1 ? 0 : c->err;
  if (len > AC_TCP_READ_BUFFER) /* the most a runtime read returns */
    len = AC_TCP_READ_BUFFER;
  ssize_t n;
  while ((n = recv(c->fd, buf, len, 0)) < 0 && errno == EINTR)
    continue;
  if (n <= 0)
    c->err = n == 0 ? 1 : sys_err();
  return n < 0 ? c->err : n;
}

int ac_tcp_write_all(ac_tcp *c, const void *buf, size_t len) {
  if (c == NULL || (buf == NULL && len > 0))
    return AC_EINVAL;
  const char *p = buf;
  while (len > 0) {
    ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return sys_err();
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int ac_tcp_shutdown(ac_tcp *c) {
  if (c == NULL)
    return AC_EINVAL;
  if (c->shut) /* libuv allows one shutdown per connection */
    return AC_ENOTCONN;
  c->shut = 1;
  return shutdown(c->fd, SHUT_WR) == 0 ? 0 : sys_err();
}

void ac_tcp_close(ac_tcp *c) {
  if (c == NULL)
    return;
  close(c->fd);
  free(c);
}

/* A zero linger time makes close send a reset, as uv_tcp_close_reset. */
void ac_tcp_close_reset(ac_tcp *c) {
  if (c == NULL)
    return;
  struct linger lg = {1, 0};
  if (!c->shut)
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  ac_tcp_close(c);
}

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
