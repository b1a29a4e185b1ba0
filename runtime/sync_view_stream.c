/* sync_view_stream.c -- streams, listeners and UDP in the sync view
 * (libasyncc_sync).
 *
 * The functions of runtime/stream.c, reader.c, write.c, listener.c,
 * tcp.c, unix.c and udp.c over blocking POSIX calls, with the runtime's
 * results and error codes (AC_E* codes are negated errno values).  A
 * stream keeps a read buffer like the runtime's, with the same rules:
 * read_until and peek hand out pointers into it that stay valid until
 * the next read operation, a line longer than the buffer is AC_ENOBUFS,
 * and the end of the stream or a read error stays.
 *
 * Separate from sync_view.c because libasyncc defines the same functions:
 * the runtime's tests link both libraries, and a static library only
 * brings in the objects it needs. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"
#include "sync_view_stream.h"

/* errno as an AC_E* code. */
static int sys_err(void) { return -errno; }

/* ---- Streams ------------------------------------------------------------- */

ac_stream *ac__sync_stream_new(int fd, int kind) {
  ac_stream *s = calloc(1, sizeof *s);
  if (s == NULL) {
    close(fd);
    return NULL;
  }
  s->fd = fd;
  s->kind = kind;
  s->cap = AC_STREAM_BUFFER;
  return s;
}

/* Wraps a connected descriptor into *out: 0, or AC_ENOMEM (fd closed). */
static int stream_wrap(int fd, int kind, ac_stream **out) {
  ac_stream *s = ac__sync_stream_new(fd, kind);
  if (s == NULL)
    return AC_ENOMEM;
  *out = s;
  return 0;
}

void ac_stream_close(ac_stream *s) {
  if (s == NULL)
    return;
  close(s->fd);
  free(s->buf);
  free(s);
}

/* A zero linger time makes close send a reset, as uv_tcp_close_reset;
 * like libuv, not after a shutdown. */
void ac_stream_close_reset(ac_stream *s) {
  if (s == NULL)
    return;
  struct linger lg = {1, 0};
  if (s->kind == AC__SYNC_TCP && !s->shut)
    setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  ac_stream_close(s);
}

int ac_stream_fileno(const ac_stream *s) {
  return s != NULL ? s->fd : AC_EINVAL;
}

static int tcp_fd(const ac_stream *s) {
  if (s == NULL || s->kind != AC__SYNC_TCP)
    return AC_EINVAL;
  return s->fd;
}

int ac_tcp_set_nodelay(ac_stream *s, int enable) {
  int fd = tcp_fd(s);
  return fd < 0 ? fd : ac__tcp_nodelay(fd, enable);
}

int ac_tcp_set_keepalive(ac_stream *s, int enable, unsigned delay_s) {
  int fd = tcp_fd(s);
  return fd < 0 ? fd : ac__tcp_keepalive(fd, enable, delay_s);
}

int ac_stream_local_addr(const ac_stream *s, struct sockaddr_storage *out) {
  if (s == NULL || out == NULL)
    return AC_EINVAL;
  return ac__fd_addr(s->fd, out, 0);
}

int ac_stream_peer_addr(const ac_stream *s, struct sockaddr_storage *out) {
  if (s == NULL || out == NULL)
    return AC_EINVAL;
  return ac__fd_addr(s->fd, out, 1);
}

/* ---- Reading ------------------------------------------------------------- */

static void compact(ac_stream *s) {
  if (s->start > 0)
    memmove(s->buf, s->buf + s->start, s->end - s->start);
  s->end -= s->start;
  s->pin = s->start = 0;
}

/* The start of a read operation, as the runtime's ac__read_begin: what
 * the last one handed out may move now; a full buffer is compacted. */
static void op_begin(ac_stream *s) {
  s->pin = s->start;
  if (s->start == s->end || s->end == s->cap)
    compact(s);
}

/* The stream's sticky outcome as a read's result: 0 at the end. */
static int sticky(const ac_stream *s) { return s->err == 1 ? 0 : s->err; }

/* One read(2) into buf: its count, 0 at the end of the stream or on an
 * error, both then sticky. */
static size_t read_some(ac_stream *s, void *buf, size_t len) {
  if (s->err != 0)
    return 0;
  ssize_t n;
  while ((n = read(s->fd, buf, len)) < 0 && errno == EINTR)
    continue;
  if (n <= 0)
    s->err = n == 0 ? 1 : sys_err();
  return n > 0 ? (size_t)n : 0;
}

/* Reads what comes next into the buffer's free end. */
static void fill(ac_stream *s) {
  s->end += read_some(s, s->buf + s->end, s->cap - s->end);
}

static int buffer_alloc(ac_stream *s) {
  if (s->buf == NULL && (s->buf = malloc(s->cap)) == NULL)
    return AC_ENOMEM;
  return 0;
}

ptrdiff_t ac_stream_read(ac_stream *s, void *buf, size_t len) {
  if (s == NULL || (buf == NULL && len > 0))
    return AC_EINVAL;
  if (len == 0)
    return 0;
  op_begin(s);
  size_t n = s->end - s->start;
  if (n > 0) {
    if (n > len)
      n = len;
    memcpy(buf, s->buf + s->start, n);
    s->pin = s->start += n;
    return (ptrdiff_t)n;
  }
  n = read_some(s, buf, len);
  return n > 0 ? (ptrdiff_t)n : sticky(s);
}

ptrdiff_t ac_stream_read_exact(ac_stream *s, void *buf, size_t len) {
  if (s == NULL || (buf == NULL && len > 0))
    return AC_EINVAL;
  op_begin(s);
  size_t done = s->end - s->start;
  if (done > len)
    done = len;
  if (done > 0)
    memcpy(buf, s->buf + s->start, done);
  s->pin = s->start += done;
  while (done < len) {
    size_t n = read_some(s, (char *)buf + done, len - done);
    if (n == 0)
      return s->err == 1 ? AC_EOF : s->err;
    done += n;
  }
  return (ptrdiff_t)len;
}

ptrdiff_t ac_stream_read_until(ac_stream *s, int delim, const char **p) {
  if (s == NULL || p == NULL)
    return AC_EINVAL;
  op_begin(s);
  if (buffer_alloc(s) != 0)
    return AC_ENOMEM;
  size_t scanned = 0;
  for (;;) {
    size_t avail = s->end - s->start;
    const char *hit = memchr(s->buf + s->start + scanned, (unsigned char)delim,
                             avail - scanned);
    size_t n = hit != NULL ? (size_t)(hit - (s->buf + s->start)) + 1 : 0;
    if (n == 0 && s->err == 1)
      n = avail; /* The last line has no delim. */
    if (n > 0 || s->err != 0) {
      if (n == 0)
        return sticky(s);
      *p = s->buf + s->start;
      s->start += n;
      return (ptrdiff_t)n;
    }
    scanned = avail;
    if (avail == s->cap)
      return AC_ENOBUFS;
    if (s->end == s->cap)
      compact(s);
    fill(s);
  }
}

ptrdiff_t ac_stream_read_line(ac_stream *s, const char **p) {
  return ac_stream_read_until(s, '\n', p);
}

ptrdiff_t ac_stream_peek(ac_stream *s, size_t n, const char **p) {
  if (s == NULL || p == NULL)
    return AC_EINVAL;
  op_begin(s);
  if (n > s->cap)
    return AC_ENOBUFS;
  if (buffer_alloc(s) != 0)
    return AC_ENOMEM;
  while (s->end - s->start < n && s->err == 0) {
    if (s->cap - s->start < n)
      compact(s);
    fill(s);
  }
  if (s->end - s->start < n && s->err != 1)
    return s->err;
  *p = s->buf + s->start;
  return (ptrdiff_t)(s->end - s->start);
}

void ac_stream_consume(ac_stream *s, size_t n) {
  if (s == NULL)
    return;
  if (n > s->end - s->start)
    n = s->end - s->start;
  s->start += n;
}

size_t ac_stream_buffered(const ac_stream *s) {
  return s != NULL ? s->end - s->start : 0;
}

int ac_stream_set_buffer_size(ac_stream *s, size_t size) {
  if (s == NULL || size == 0 || size < s->end - s->start)
    return AC_EINVAL;
  if (s->buf == NULL) {
    s->cap = size;
    return 0;
  }
  char *buf = malloc(size);
  if (buf == NULL)
    return AC_ENOMEM;
  size_t n = s->end - s->start;
  memcpy(buf, s->buf + s->start, n);
  free(s->buf);
  s->buf = buf;
  s->cap = size;
  s->pin = s->start = 0;
  s->end = n;
  return 0;
}

/* ---- Writing ------------------------------------------------------------- */

int ac_stream_writev(ac_stream *s, const struct iovec *iov, int iovcnt) {
  int bad = iovcnt < 0 || (iov == NULL && iovcnt > 0);
  for (int i = 0; !bad && i < iovcnt; i++)
    bad = iov[i].iov_base == NULL && iov[i].iov_len > 0;
  if (bad || s == NULL)
    return AC_EINVAL;
  struct iovec left[64];
  int idx = 0;
  size_t off = 0;
  while (idx < iovcnt) {
    int n = 0;
    for (int i = idx; i < iovcnt && n < 64; i++, n++) {
      left[n].iov_base = (char *)iov[i].iov_base + (i == idx ? off : 0);
      left[n].iov_len = iov[i].iov_len - (i == idx ? off : 0);
    }
    ssize_t w = writev(s->fd, left, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return sys_err();
    /* Skips the w bytes written, and empty buffers. */
    size_t k = (size_t)w;
    while (idx < iovcnt && k >= iov[idx].iov_len - off) {
      k -= iov[idx].iov_len - off;
      idx++;
      off = 0;
    }
    off += k;
  }
  return 0;
}

int ac_stream_write_all(ac_stream *s, const void *buf, size_t len) {
  if (buf == NULL && len > 0)
    return AC_EINVAL;
  struct iovec one = {(void *)buf, len};
  return ac_stream_writev(s, &one, 1);
}

/* Copies len bytes of fd from offset with pread and write, for what
 * sendfile refuses: the count, fewer at the end of the file, or an
 * error. */
static ptrdiff_t copy_file(ac_stream *s, int fd, int64_t offset, size_t len) {
  char chunk[65536];
  size_t sent = 0;
  while (sent < len) {
    size_t n = len - sent < sizeof chunk ? len - sent : sizeof chunk;
    ssize_t got = pread(fd, chunk, n, (off_t)(offset + (int64_t)sent));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return got == 0 ? (ptrdiff_t)sent : sys_err();
    int err = ac_stream_write_all(s, chunk, (size_t)got);
    if (err != 0)
      return err;
    sent += (size_t)got;
  }
  return (ptrdiff_t)sent;
}

ptrdiff_t ac_stream_sendfile(ac_stream *s, int fd, int64_t offset, size_t len) {
  if (fd < 0 || offset < 0 || s == NULL)
    return AC_EINVAL;
  size_t sent = 0;
  while (sent < len) {
    off_t off = (off_t)(offset + (int64_t)sent);
    size_t n = len - sent < ((size_t)1 << 30) ? len - sent : (size_t)1 << 30;
    ssize_t r = sendfile(s->fd, fd, &off, n);
    if (r > 0) {
      sent += (size_t)r;
    } else if (r == 0) {
      break; /* The file ended. */
    } else if (errno == EINVAL || errno == ENOSYS) {
      ptrdiff_t c = copy_file(s, fd, offset + (int64_t)sent, len - sent);
      return c < 0 ? c : (ptrdiff_t)sent + c;
    } else if (errno != EINTR) {
      return sys_err();
    }
  }
  return (ptrdiff_t)sent;
}

int ac_stream_shutdown(ac_stream *s) {
  if (s == NULL)
    return AC_EINVAL;
  if (s->shut) /* libuv allows one shutdown per stream */
    return AC_ENOTCONN;
  s->shut = 1;
  return shutdown(s->fd, SHUT_WR) == 0 ? 0 : sys_err();
}

/* ---- Listeners ----------------------------------------------------------- */

struct ac_listener {
  int fd;
  int kind;
  char *path; /* a Unix-domain listener's, removed on close as libuv does */
};

/* Listens on the bound fd and wraps it: 0, or an error (fd closed). */
static int listener_wrap(int fd, int kind, int backlog, const char *path,
                         ac_listener **out) {
  ac_listener *l = calloc(1, sizeof *l);
  int err = l == NULL ? AC_ENOMEM : 0;
  if (err == 0 && path != NULL && (l->path = strdup(path)) == NULL)
    err = AC_ENOMEM;
  if (err == 0 && listen(fd, backlog) != 0)
    err = sys_err();
  if (err != 0) {
    if (path != NULL)
      unlink(path);
    close(fd);
    if (l != NULL)
      free(l->path);
    free(l);
    return err;
  }
  l->fd = fd;
  l->kind = kind;
  ac__ignore_sigpipe();
  *out = l;
  return 0;
}

int ac_tcp_listen_flags(const char *ip, int port, int backlog, unsigned flags,
                        ac_listener **out) {
  if (out == NULL || backlog < 0 ||
      (flags & ~(AC_TCP_REUSEPORT | AC_TCP_IPV6ONLY)) != 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  int err = ac__parse_addr(ip, port, &ss);
  if (err != 0)
    return err;
  int fd = ac__listen_socket(&ss, flags);
  if (fd < 0)
    return fd;
  /* The runtime's socket is non-blocking; here accept must block. */
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return listener_wrap(fd, AC__SYNC_TCP, backlog, NULL, out);
}

int ac_tcp_listen(const char *ip, int port, int backlog, ac_listener **out) {
  return ac_tcp_listen_flags(ip, port, backlog, 0, out);
}

int ac_unix_listen(const char *path, int backlog, ac_listener **out) {
  if (out == NULL || backlog < 0)
    return AC_EINVAL;
  *out = NULL;
  if (!ac__unix_path_ok(path))
    return AC_EINVAL;
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  strcpy(un.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return sys_err();
  if (bind(fd, (struct sockaddr *)&un, sizeof un) != 0) {
    /* libuv's uv_pipe_bind reports a missing directory as EACCES. */
    int err = errno == ENOENT ? AC_EACCES : sys_err();
    close(fd);
    return err;
  }
  return listener_wrap(fd, AC__SYNC_UNIX, backlog, path, out);
}

int ac_listener_fileno(const ac_listener *l) {
  return l != NULL ? l->fd : AC_EINVAL;
}

int ac_listener_local_addr(const ac_listener *l, struct sockaddr_storage *out) {
  if (l == NULL || out == NULL)
    return AC_EINVAL;
  return ac__fd_addr(l->fd, out, 0);
}

int ac_listener_port(const ac_listener *l) {
  struct sockaddr_storage ss;
  int err = ac_listener_local_addr(l, &ss);
  if (err != 0)
    return err;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return AC_EINVAL;
}

void ac_listener_close(ac_listener *l) {
  if (l == NULL)
    return;
  close(l->fd);
  if (l->path != NULL)
    unlink(l->path);
  free(l->path);
  free(l);
}

int ac_listener_accept(ac_listener *l, ac_stream **out) {
  if (l == NULL || out == NULL)
    return AC_EINVAL;
  int fd;
  while ((fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) < 0 && errno == EINTR)
    continue;
  if (fd < 0)
    return sys_err();
  return stream_wrap(fd, l->kind, out);
}

/* ---- Connecting ---------------------------------------------------------- */

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

/* A new socket of addr's family connected to it, wrapped into *out. */
static int connect_to(const struct sockaddr *addr, int kind, ac_stream **out) {
  ac__ignore_sigpipe(); /* accepted streams: their listener did */
  int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return sys_err();
  int err = connect_fd(fd, addr, ac__addr_len(addr));
  if (err != 0) {
    close(fd);
    return err;
  }
  return stream_wrap(fd, kind, out);
}

int ac_tcp_connect_addr(const struct sockaddr *addr, ac_stream **out) {
  if (out == NULL || addr == NULL ||
      (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
    return AC_EINVAL;
  return connect_to(addr, AC__SYNC_TCP, out);
}

int ac_tcp_connect(const char *ip, int port, ac_stream **out) {
  struct sockaddr_storage ss;
  if (out == NULL || ac__parse_addr(ip, port, &ss) != 0)
    return AC_EINVAL;
  return ac_tcp_connect_addr((struct sockaddr *)&ss, out);
}

int ac_unix_connect(const char *path, ac_stream **out) {
  if (out == NULL || !ac__unix_path_ok(path))
    return AC_EINVAL;
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  strcpy(un.sun_path, path);
  return connect_to((struct sockaddr *)&un, AC__SYNC_UNIX, out);
}

/* ---- UDP ----------------------------------------------------------------- */

struct ac_udp {
  int fd;
};

int ac_udp_bind(const char *ip, int port, unsigned flags, ac_udp **out) {
  if (out == NULL || (flags & ~AC_UDP_REUSEADDR) != 0)
    return AC_EINVAL;
  *out = NULL;
  struct sockaddr_storage ss;
  int err = ac__parse_addr(ip, port, &ss);
  if (err != 0)
    return err;
  ac_udp *u = malloc(sizeof *u);
  if (u == NULL)
    return AC_ENOMEM;
  u->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int on = 1;
  if (u->fd < 0 ||
      ((flags & AC_UDP_REUSEADDR) &&
       setsockopt(u->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) ||
      bind(u->fd, (struct sockaddr *)&ss,
           ac__addr_len((struct sockaddr *)&ss)) != 0) {
    err = sys_err();
    if (u->fd >= 0)
      close(u->fd);
    free(u);
    return err;
  }
  ac__ignore_sigpipe();
  *out = u;
  return 0;
}

int ac_udp_local_addr(const ac_udp *u, struct sockaddr_storage *out) {
  if (u == NULL || out == NULL)
    return AC_EINVAL;
  return ac__fd_addr(u->fd, out, 0);
}

int ac_udp_fileno(const ac_udp *u) { return u != NULL ? u->fd : AC_EINVAL; }

void ac_udp_close(ac_udp *u) {
  if (u == NULL)
    return;
  close(u->fd);
  free(u);
}

int ac_udp_send_to(ac_udp *u, const void *buf, size_t len,
                   const struct sockaddr *to) {
  if (u == NULL || to == NULL || (buf == NULL && len > 0) || len > UINT32_MAX)
    return AC_EINVAL;
  ssize_t n;
  while ((n = sendto(u->fd, buf, len, 0, to, ac__addr_len(to))) < 0 &&
         errno == EINTR)
    continue;
  return n < 0 ? sys_err() : 0;
}

ptrdiff_t ac_udp_recv_from(ac_udp *u, void *buf, size_t len,
                           struct sockaddr_storage *from) {
  if (u == NULL || (buf == NULL && len > 0) || len > UINT32_MAX)
    return AC_EINVAL;
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  memset(&ss, 0, sizeof ss);
  ssize_t n;
  while ((n = recvfrom(u->fd, buf, len, 0, (struct sockaddr *)&ss, &sl)) < 0 &&
         errno == EINTR)
    continue;
  if (n < 0)
    return sys_err();
  if (from != NULL)
    *from = ss;
  return n;
}
