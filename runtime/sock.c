/* sock.c -- socket helpers of both libraries (libasyncc and the sync
 * view's libasyncc_sync): SIGPIPE, numeric addresses, TCP options.  Plain
 * POSIX, no libuv, so that the two agree by construction. */
#define _DEFAULT_SOURCE /* TCP_KEEPIDLE: a Linux option */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

/* Writing to a peer that has gone would raise SIGPIPE, whose default
 * action ends the process; with the signal ignored, the write fails with
 * EPIPE instead.  A handler or disposition the program chose is kept. */
void ac__ignore_sigpipe(void) {
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL ||
      (sa.sa_flags & SA_SIGINFO))
    return;
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
}

int ac__parse_addr(const char *ip, int port, struct sockaddr_storage *ss) {
  if (ip == NULL || port < 0 || port > 65535)
    return AC_EINVAL;
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
  if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)port);
    return 0;
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    return 0;
  }
  return AC_EINVAL;
}

socklen_t ac__addr_len(const struct sockaddr *addr) {
  switch (addr->sa_family) {
  case AF_INET:
    return sizeof(struct sockaddr_in);
  case AF_INET6:
    return sizeof(struct sockaddr_in6);
  case AF_UNIX:
    return sizeof(struct sockaddr_un);
  }
  return 0;
}

int ac_addr_format(const struct sockaddr *addr, char *buf, size_t size) {
  if (addr == NULL || buf == NULL || size == 0)
    return AC_EINVAL;
  buf[0] = '\0';
  char ip[INET6_ADDRSTRLEN];
  int n;
  if (addr->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
    inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
    n = snprintf(buf, size, "%s:%d", ip, ntohs(in->sin_port));
  } else if (addr->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
    inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
    n = snprintf(buf, size, "[%s]:%d", ip, ntohs(in6->sin6_port));
  } else if (addr->sa_family == AF_UNIX) {
    const struct sockaddr_un *un = (const struct sockaddr_un *)addr;
    n = snprintf(buf, size, "%.*s", (int)sizeof un->sun_path, un->sun_path);
  } else {
    return AC_EINVAL;
  }
  if (n < 0 || (size_t)n >= size) {
    buf[0] = '\0';
    return AC_ENOBUFS;
  }
  return 0;
}

int ac__unix_path_ok(const char *path) {
  return path != NULL && path[0] != '\0' &&
         strlen(path) < sizeof(((struct sockaddr_un *)0)->sun_path);
}

static int sockopt(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value) == 0 ? 0 : -errno;
}

int ac__tcp_nodelay(int fd, int enable) {
  return sockopt(fd, IPPROTO_TCP, TCP_NODELAY, enable != 0);
}

/* As libuv 1.44's uv_tcp_keepalive: SO_KEEPALIVE, then TCP_KEEPIDLE. */
int ac__tcp_keepalive(int fd, int enable, unsigned delay_s) {
  int err = sockopt(fd, SOL_SOCKET, SO_KEEPALIVE, enable != 0);
  if (err == 0 && enable)
    err = sockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE,
                  delay_s < INT_MAX ? (int)delay_s : INT_MAX);
  return err;
}

int ac__listen_socket(const struct sockaddr_storage *ss, unsigned flags) {
  int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  /* As libuv: a restarted server finds its port free of TIME_WAITs. */
  int err = sockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  if (err == 0 && (flags & AC_TCP_REUSEPORT))
    err = sockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
  if (err == 0 && (flags & AC_TCP_IPV6ONLY))
    err = ss->ss_family == AF_INET6 ? sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)
                                    : AC_EINVAL;
  if (err == 0 && bind(fd, (const struct sockaddr *)ss,
                       ac__addr_len((const struct sockaddr *)ss)) != 0)
    err = -errno;
  if (err != 0) {
    close(fd);
    return err;
  }
  return fd;
}

int ac__fd_addr(int fd, struct sockaddr_storage *out, int peer) {
  memset(out, 0, sizeof *out);
  socklen_t len = sizeof *out;
  int r = peer ? getpeername(fd, (struct sockaddr *)out, &len)
               : getsockname(fd, (struct sockaddr *)out, &len);
  return r == 0 ? 0 : -errno;
}
