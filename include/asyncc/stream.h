/* asyncc/stream.h -- byte streams: TCP and Unix-domain connections and
 * pipes, their listeners, buffered reading, vectored writes and sendfile.
 *
 *   ac_listener *l;
 *   ac_stream *s;
 *   int err = ac_tcp_listen("127.0.0.1", 0, 128, &l);
 *   err = await(ac_listener_accept(l, &s));
 *   const char *line;
 *   ptrdiff_t n = await(ac_stream_read_line(s, &line));   "PING\r\n", 6
 *   err = await(ac_stream_write_all(s, "+PONG\r\n", 7));
 *   ac_stream_close(s);
 *
 * A stream is one type for every transport, as a libuv uv_stream_t or a
 * Go net.Conn: what is read, written and closed does not depend on
 * whether it is a TCP connection, a Unix-domain connection or a child
 * process's pipe.  Listeners are one type too.  Both are opaque runtime
 * objects, released by their close functions.
 *
 * Every operation returns 0 (or a count) on success and a negative AC_E*
 * code on failure; a peer's misbehaviour is an error code, never an
 * abort.  Dropping a pending future cancels it: what libuv still holds is
 * owned by the runtime and released when libuv is done with it.  Buffers
 * passed to a future must stay valid until it completes or is dropped.
 *
 * At most one accept may be pending per listener, and one read (of any
 * kind) and one write (write_all, writev or sendfile) per stream; a
 * second returns AC_EBUSY.  Creating the first stream or listener sets
 * SIGPIPE to SIG_IGN if it was SIG_DFL, so that a write to a closed peer
 * is AC_EPIPE rather than the end of the process.  With several workers,
 * an object belongs to one worker's loop (a listener to that of its
 * first accept, an accepted stream to that of its first operation) and
 * operations from another worker fail with AC_EXDEV; closes work from any
 * worker.
 *
 * Each operation is an `async` prototype (the sync view's signature) plus
 * the frame, init, poll and drop of docs/abi.md; the frames' members are
 * the runtime's.  Included by <asyncc.h>; see docs/runtime.md, section
 * "I/O", and docs/servers.md for two servers built on it. */
#ifndef ASYNCC_STREAM_H
#define ASYNCC_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h> /* struct iovec */

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct sockaddr_storage;

typedef struct ac_stream ac_stream;
typedef struct ac_listener ac_listener;

/* ---- Listeners ------------------------------------------------------------
 *
 * TCP addresses are numeric IPv4 or IPv6 ("127.0.0.1", "::1"); resolve
 * names with ac_dns_resolve.  Unix-domain listeners are bound to a path,
 * which must not exist yet (remove a stale socket first) and which closing
 * the listener removes. */

/* Flags of ac_tcp_listen_flags. */
#define AC_TCP_REUSEPORT 1u /* SO_REUSEPORT: several listeners, one port */
#define AC_TCP_IPV6ONLY 2u  /* an IPv6 listener takes no IPv4 */

/* Binds ip:port (port 0: any free port) and listens with `backlog`.
 * Returns 0 and *out, or AC_EINVAL, AC_EADDRINUSE, AC_ENOMEM, ... */
int ac_tcp_listen(const char *ip, int port, int backlog, ac_listener **out);
/* The same with AC_TCP_* flags. */
int ac_tcp_listen_flags(const char *ip, int port, int backlog, unsigned flags,
                        ac_listener **out);
/* Binds the Unix-domain socket `path` and listens; AC_EINVAL for a path
 * longer than a sockaddr_un holds, AC_EADDRINUSE if it exists. */
int ac_unix_listen(const char *path, int backlog, ac_listener **out);

/* The TCP port the listener is bound to, or a negative AC_E* code
 * (AC_EINVAL for a Unix-domain listener). */
int ac_listener_port(const ac_listener *l);
/* The address it is bound to (a sockaddr_in, _in6 or _un): 0 or an
 * error. */
int ac_listener_local_addr(const ac_listener *l, struct sockaddr_storage *out);
/* Its descriptor, for options this API lacks (setsockopt); the runtime
 * keeps owning it.  A negative AC_E* code for a closed listener. */
int ac_listener_fileno(const ac_listener *l);
/* Closes the listener (and removes a Unix-domain listener's path); a
 * pending accept on it completes with AC_ECANCELED.  Its memory is freed
 * by libuv's close callback, when the loop next runs (by the call itself
 * outside every ac_block_on).  NULL is ignored. */
void ac_listener_close(ac_listener *l);

/* await(ac_listener_accept(l, &s)): 0 and a new stream in *out, or an
 * error (AC_EMFILE when out of descriptors: libuv then drops the
 * connections waiting, and later accepts work again once descriptors
 * are freed). */
async int ac_listener_accept(ac_listener *l, ac_stream **out);

struct ac_listener_accept_frame {
  ac_listener *l;
  ac_stream **out;
  ac_task *task;
  int state;
  int result;
};
void ac_listener_accept_init(struct ac_listener_accept_frame *fr,
                             ac_listener *l, ac_stream **out);
ac_poll ac_listener_accept_poll(void *frame, ac_cx *cx);
void ac_listener_accept_drop(void *frame);

/* ---- Connecting ------------------------------------------------------- */

/* await(ac_tcp_connect(ip, port, &s)): 0 and a stream in *out, or an
 * error such as AC_ECONNREFUSED.  `ip` is read at the first poll. */
async int ac_tcp_connect(const char *ip, int port, ac_stream **out);

struct ac_tcp_connect_frame {
  const char *ip;
  int port;
  ac_stream **out;
  ac_stream *conn; /* the stream being connected */
  int state;
  int result;
};
void ac_tcp_connect_init(struct ac_tcp_connect_frame *fr, const char *ip,
                         int port, ac_stream **out);
ac_poll ac_tcp_connect_poll(void *frame, ac_cx *cx);
void ac_tcp_connect_drop(void *frame);

/* await(ac_tcp_connect_addr(addr, &s)): the same for a struct sockaddr_in
 * or sockaddr_in6 (from ac_dns_resolve), read at the first poll. */
async int ac_tcp_connect_addr(const struct sockaddr *addr, ac_stream **out);

struct ac_tcp_connect_addr_frame {
  const struct sockaddr *addr;
  ac_stream **out;
  ac_stream *conn;
  int state;
  int result;
};
void ac_tcp_connect_addr_init(struct ac_tcp_connect_addr_frame *fr,
                              const struct sockaddr *addr, ac_stream **out);
ac_poll ac_tcp_connect_addr_poll(void *frame, ac_cx *cx);
void ac_tcp_connect_addr_drop(void *frame);

/* await(ac_unix_connect(path, &s)): 0 and a stream connected to the
 * Unix-domain socket `path`, or an error (AC_ENOENT, AC_ECONNREFUSED,
 * AC_EINVAL for a path too long).  `path` is read at the first poll. */
async int ac_unix_connect(const char *path, ac_stream **out);

struct ac_unix_connect_frame {
  const char *path;
  ac_stream **out;
  ac_stream *conn;
  int state;
  int result;
};
void ac_unix_connect_init(struct ac_unix_connect_frame *fr, const char *path,
                          ac_stream **out);
ac_poll ac_unix_connect_poll(void *frame, ac_cx *cx);
void ac_unix_connect_drop(void *frame);

/* ---- Streams: options, addresses, closing ----------------------------- */

/* TCP_NODELAY: segments go out at once instead of waiting (Nagle's
 * algorithm) for the previous one to be acknowledged.  A server that
 * writes a response in more than one write wants it.  0 or an error
 * (AC_EINVAL for a stream that is not TCP). */
int ac_tcp_set_nodelay(ac_stream *s, int enable);
/* SO_KEEPALIVE, with the first probe after `delay_s` seconds of silence
 * (TCP_KEEPIDLE; ignored when disabling), as uv_tcp_keepalive.  0 or an
 * error. */
int ac_tcp_set_keepalive(ac_stream *s, int enable, unsigned delay_s);

/* The stream's descriptor, for options this API lacks; the runtime keeps
 * owning it (do not close it, or read or write it behind the runtime's
 * back).  A negative AC_E* code once the stream is closed. */
int ac_stream_fileno(const ac_stream *s);
/* The addresses of the two ends of a TCP or Unix-domain stream
 * (getsockname and getpeername): 0 or an error (AC_ENOTCONN, AC_ENOTSOCK
 * for a pipe). */
int ac_stream_local_addr(const ac_stream *s, struct sockaddr_storage *out);
int ac_stream_peer_addr(const ac_stream *s, struct sockaddr_storage *out);
/* Writes `addr` as text into buf: "127.0.0.1:80", "[::1]:80", or a Unix
 * socket's path ("" if unnamed).  0, AC_EINVAL (unknown family) or
 * AC_ENOBUFS (buf too small; buf then holds "").  size <= 64 always
 * suffices for IP addresses. */
int ac_addr_format(const struct sockaddr *addr, char *buf, size_t size);

/* Closes the stream; pending futures on it complete with AC_ECANCELED.
 * Data already written is still sent.  NULL is ignored. */
void ac_stream_close(ac_stream *s);
/* Closes a TCP stream with a reset (RST) instead of the orderly end of
 * stream: data not yet sent is discarded and the peer's reads and writes
 * fail with AC_ECONNRESET (or AC_EPIPE).  Other streams close normally. */
void ac_stream_close_reset(ac_stream *s);

/* ---- Reading ---------------------------------------------------------------
 *
 * libuv reads as data arrives.  When a read is pending and nothing is
 * buffered, libuv reads straight into the caller's buffer (ac_stream_read,
 * ac_stream_read_exact); otherwise into the stream's buffer (at most
 * AC_STREAM_BUFFER bytes by default, allocated when first needed), which
 * the buffered operations parse in place: ac_stream_read_until and
 * ac_stream_peek yield pointers into it, so no byte is copied twice.
 * Those pointers stay valid until the next read operation on the stream
 * (of any kind) or its close, whatever else is awaited meanwhile.  The
 * stream stops reading from the socket while its buffer is full, until a
 * read makes room (backpressure: the peer's writes then wait). */

#define AC_STREAM_BUFFER 65536

/* await(ac_stream_read(s, buf, len)): reads up to `len` bytes into buf and
 * returns their count, 0 at the end of the stream (and at every read
 * after it), or an error such as AC_ECONNRESET.  Returns as soon as any
 * data is available.  Dropping a pending read loses no data. */
async ptrdiff_t ac_stream_read(ac_stream *s, void *buf, size_t len);

/* The part common to every read future's frame. */
struct ac__stream_read_op {
  ac_stream *s; /* NULL once finished or the stream closed */
  ac_task *task;
  char *direct; /* the caller's memory libuv may read into, or NULL */
  size_t want;  /* how much may go there */
  size_t got;   /* how much did */
  int state;
};

struct ac_stream_read_frame {
  struct ac__stream_read_op op;
  void *buf;
  size_t len;
  ptrdiff_t result;
};
void ac_stream_read_init(struct ac_stream_read_frame *fr, ac_stream *s,
                         void *buf, size_t len);
ac_poll ac_stream_read_poll(void *frame, ac_cx *cx);
void ac_stream_read_drop(void *frame);

/* await(ac_stream_read_exact(s, buf, len)): reads exactly `len` bytes into
 * buf: what is buffered, then the rest straight from the socket.  Yields
 * len, AC_EOF if the stream ends first (buf then holds what came), or an
 * error. */
async ptrdiff_t ac_stream_read_exact(ac_stream *s, void *buf, size_t len);

struct ac_stream_read_exact_frame {
  struct ac__stream_read_op op;
  void *buf;
  size_t len;
  size_t done; /* bytes in buf so far */
  ptrdiff_t result;
};
void ac_stream_read_exact_init(struct ac_stream_read_exact_frame *fr,
                               ac_stream *s, void *buf, size_t len);
ac_poll ac_stream_read_exact_poll(void *frame, ac_cx *cx);
void ac_stream_read_exact_drop(void *frame);

/* await(ac_stream_read_until(s, delim, &p)): the bytes up to and including
 * the first `delim`: yields their count, with *p pointing at them in the
 * stream's buffer, and consumes them.  At the end of the stream, the
 * bytes left (without delim, count > 0), then 0.  AC_ENOBUFS when the
 * buffer is full without a delim (nothing is consumed: the caller may
 * give up, or ac_stream_consume), or an error. */
async ptrdiff_t ac_stream_read_until(ac_stream *s, int delim, const char **p);

struct ac_stream_read_until_frame {
  struct ac__stream_read_op op;
  int delim;
  const char **p;
  size_t scanned; /* buffered bytes known to hold no delim */
  ptrdiff_t result;
};
void ac_stream_read_until_init(struct ac_stream_read_until_frame *fr,
                               ac_stream *s, int delim, const char **p);
ac_poll ac_stream_read_until_poll(void *frame, ac_cx *cx);
void ac_stream_read_until_drop(void *frame);

/* await(ac_stream_read_line(s, &p)): ac_stream_read_until(s, '\n', &p);
 * the line keeps its "\n" (and a "\r" before it). */
async ptrdiff_t ac_stream_read_line(ac_stream *s, const char **p);

struct ac_stream_read_line_frame {
  struct ac_stream_read_until_frame until;
  ptrdiff_t result;
};
void ac_stream_read_line_init(struct ac_stream_read_line_frame *fr,
                              ac_stream *s, const char **p);
ac_poll ac_stream_read_line_poll(void *frame, ac_cx *cx);
void ac_stream_read_line_drop(void *frame);

/* await(ac_stream_peek(s, n, &p)): waits until at least n bytes are
 * buffered and yields how many are (>= n), with *p pointing at them;
 * consumes nothing.  Fewer than n only at the end of the stream (0 when
 * nothing is left).  n = 0 yields what is buffered now without waiting.
 * AC_ENOBUFS if n is more than the buffer holds, or an error. */
async ptrdiff_t ac_stream_peek(ac_stream *s, size_t n, const char **p);

struct ac_stream_peek_frame {
  struct ac__stream_read_op op;
  size_t n;
  const char **p;
  ptrdiff_t result;
};
void ac_stream_peek_init(struct ac_stream_peek_frame *fr, ac_stream *s,
                         size_t n, const char **p);
ac_poll ac_stream_peek_poll(void *frame, ac_cx *cx);
void ac_stream_peek_drop(void *frame);

/* Discards the first n buffered bytes (at most all of them); pointers
 * from the last peek stay valid until the next read operation. */
void ac_stream_consume(ac_stream *s, size_t n);
/* The number of bytes buffered and not consumed: what a read would take
 * without waiting.  A server answering pipelined requests writes its
 * replies out when this is 0. */
size_t ac_stream_buffered(const ac_stream *s);
/* Sets the buffer's size: the longest line read_until can return, the
 * most a peek can wait for, and the read-ahead.  0, AC_EINVAL (0, or
 * fewer bytes than are buffered), AC_EBUSY (a read is pending) or
 * AC_ENOMEM.  Pointers into the buffer are invalidated. */
int ac_stream_set_buffer_size(ac_stream *s, size_t size);

/* ---- Writing ---------------------------------------------------------------
 *
 * A write first hands the socket what it takes at once, straight from the
 * caller's memory; only what it does not take is copied, 64 KiB at a
 * time, into a runtime-owned request, so a dropped write never reads the
 * caller's memory again (how much of it was sent is then unknown). */

/* The part common to every write future's frame. */
struct ac__stream_write;
struct ac__stream_write_op {
  ac_stream *s;
  const struct iovec *iov; /* what is left to write starts at iov[idx] */
  int iovcnt;
  int idx;
  size_t off;                   /* bytes of iov[idx] already written */
  struct ac__stream_write *req; /* the request in flight, or NULL */
  ac_task *task;
  int state;
};

/* await(ac_stream_write_all(s, buf, len)): 0 once all `len` bytes are
 * handed to the kernel, or an error such as AC_EPIPE. */
async int ac_stream_write_all(ac_stream *s, const void *buf, size_t len);

struct ac_stream_write_all_frame {
  struct ac__stream_write_op op;
  const void *buf;
  size_t len;
  struct iovec one; /* the iovec of buf */
  int result;
};
void ac_stream_write_all_init(struct ac_stream_write_all_frame *fr,
                              ac_stream *s, const void *buf, size_t len);
ac_poll ac_stream_write_all_poll(void *frame, ac_cx *cx);
void ac_stream_write_all_drop(void *frame);

/* await(ac_stream_writev(s, iov, iovcnt)): writes every byte of the
 * iovcnt buffers, in order, as one writev(2) when the socket takes them:
 * a response's head and body go out together.  0 or an error; AC_EINVAL
 * for iovcnt < 0.  The iovec array must stay valid until completion. */
async int ac_stream_writev(ac_stream *s, const struct iovec *iov, int iovcnt);

struct ac_stream_writev_frame {
  struct ac__stream_write_op op;
  const struct iovec *iov;
  int iovcnt;
  int result;
};
void ac_stream_writev_init(struct ac_stream_writev_frame *fr, ac_stream *s,
                           const struct iovec *iov, int iovcnt);
ac_poll ac_stream_writev_poll(void *frame, ac_cx *cx);
void ac_stream_writev_drop(void *frame);

/* await(ac_stream_sendfile(s, fd, offset, len)): sends `len` bytes of the
 * file `fd` from `offset` with sendfile(2), the kernel copying from the
 * page cache to the socket.  Yields the count sent: len, or less if the
 * file ends first; or an error.  Runs on the loop's thread, like nginx's
 * sendfile: a page-cache hit does not wait; a file that must come from
 * disk delays the loop while it is read.  When the socket is full, the
 * next chunk is read into a request for uv_write, which waits for room;
 * the same happens for a file sendfile refuses (EINVAL). */
async ptrdiff_t ac_stream_sendfile(ac_stream *s, int fd, int64_t offset,
                                   size_t len);

struct ac_stream_sendfile_frame {
  struct ac__stream_write_op op;
  int fd;
  int64_t offset;
  size_t len;
  size_t sent;
  ptrdiff_t result;
};
void ac_stream_sendfile_init(struct ac_stream_sendfile_frame *fr, ac_stream *s,
                             int fd, int64_t offset, size_t len);
ac_poll ac_stream_sendfile_poll(void *frame, ac_cx *cx);
void ac_stream_sendfile_drop(void *frame);

/* await(ac_stream_shutdown(s)): once the writes started before it are
 * done, shuts down the sending side (the peer reads the end of the
 * stream); reading still works.  0 or an error; a second shutdown is
 * AC_ENOTCONN. */
async int ac_stream_shutdown(ac_stream *s);

struct ac_stream_shutdown_frame {
  ac_stream *s;
  ac_task *task;
  int state;
  int result;
};
void ac_stream_shutdown_init(struct ac_stream_shutdown_frame *fr, ac_stream *s);
ac_poll ac_stream_shutdown_poll(void *frame, ac_cx *cx);
void ac_stream_shutdown_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_STREAM_H */
