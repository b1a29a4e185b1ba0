/* asyncc/io.h -- TCP, files, DNS and signals as futures over libuv.
 *
 *   ac_tcp_listener *l;
 *   ac_tcp *c;
 *   int err = ac_tcp_listen("127.0.0.1", 0, 128, &l);
 *   err = await(ac_tcp_accept(l, &c));
 *   ptrdiff_t n = await(ac_tcp_read(c, buf, sizeof buf));  0 at end of stream
 *   err = await(ac_tcp_write_all(c, buf, (size_t)n));
 *   ac_tcp_close(c);
 *   await(ac_signal(SIGINT));                               waits for ctrl-c
 *
 * Every operation returns 0 (or a count, or a descriptor) on success and a
 * negative AC_E* code on failure; a peer's misbehaviour is an error code,
 * never an abort.  Dropping a pending future cancels it: whatever libuv
 * still holds (requests, handles, thread-pool work) is owned by the
 * runtime and released when libuv is done with it, so no callback ever
 * touches a dropped frame.  Buffers passed to a future must stay valid
 * until it completes or is dropped, not longer.
 *
 * Each operation is an `async` prototype (the sync view's signature) plus
 * the frame, init, poll and drop of docs/abi.md; the frames' members are
 * the runtime's and not for user code.  Included by <asyncc.h>; see
 * docs/runtime.md, section "I/O". */
#ifndef ASYNCC_IO_H
#define ASYNCC_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr;
struct sockaddr_storage;
struct addrinfo;

/* ---- TCP ------------------------------------------------------------------
 *
 * An ac_tcp is a connection and an ac_tcp_listener a listening socket; both
 * are opaque runtime objects, released by their close functions.  At most
 * one accept may be pending per listener and one read per connection (a
 * second returns AC_EBUSY); writes may overlap and go out in start order.
 * Addresses are numeric IPv4 or IPv6 ("127.0.0.1", "::1"); resolve names
 * with ac_dns_resolve and connect with ac_tcp_connect_addr.  Creating the
 * first TCP object sets SIGPIPE to SIG_IGN if it was SIG_DFL, so that a
 * write to a closed peer is AC_EPIPE rather than the end of the process.
 * With several workers, an object belongs to one worker's loop (an
 * accepted connection to that of its first operation) and operations
 * from another worker fail with AC_EXDEV; closes work from any worker. */

typedef struct ac_tcp ac_tcp;
typedef struct ac_tcp_listener ac_tcp_listener;

/* Bytes a connection buffers between reads; it stops reading from the
 * socket when they are all in use (backpressure). */
#define AC_TCP_READ_BUFFER 65536

/* Binds ip:port (port 0: any free port) and listens with `backlog`.
 * Returns 0 and *out, or AC_EINVAL, AC_EADDRINUSE, AC_ENOMEM, ... */
int ac_tcp_listen(const char *ip, int port, int backlog, ac_tcp_listener **out);
/* The port the listener is bound to, or a negative AC_E* code. */
int ac_tcp_listener_port(const ac_tcp_listener *l);
/* Closes the listener; a pending accept on it completes with
 * AC_ECANCELED.  Its memory is freed by libuv's close callback, when the
 * loop next runs.  NULL is ignored. */
void ac_tcp_listener_close(ac_tcp_listener *l);

/* Closes the connection; a pending read on it completes with AC_ECANCELED
 * and pending writes and shutdowns with AC_ECANCELED.  Data already
 * written is still sent.  NULL is ignored. */
void ac_tcp_close(ac_tcp *c);
/* Closes the connection with a reset (RST) instead of the orderly end of
 * stream: data not yet sent is discarded and the peer's reads and writes
 * fail with AC_ECONNRESET (or AC_EPIPE).  Otherwise like ac_tcp_close. */
void ac_tcp_close_reset(ac_tcp *c);

/* await(ac_tcp_accept(l, &c)): 0 and a new connection in *out, or an
 * error. */
async int ac_tcp_accept(ac_tcp_listener *l, ac_tcp **out);

struct ac_tcp_accept_frame {
  ac_tcp_listener *l;
  ac_tcp **out;
  ac_task *task;
  int state;
  int result;
};
void ac_tcp_accept_init(struct ac_tcp_accept_frame *fr, ac_tcp_listener *l,
                        ac_tcp **out);
ac_poll ac_tcp_accept_poll(void *frame, ac_cx *cx);
void ac_tcp_accept_drop(void *frame);

/* await(ac_tcp_connect(ip, port, &c)): 0 and a connection in *out, or an
 * error such as AC_ECONNREFUSED.  `ip` is read at the first poll. */
async int ac_tcp_connect(const char *ip, int port, ac_tcp **out);

struct ac_tcp_connect_frame {
  const char *ip;
  int port;
  ac_tcp **out;
  ac_tcp *conn; /* the connection being made */
  int state;
  int result;
};
void ac_tcp_connect_init(struct ac_tcp_connect_frame *fr, const char *ip,
                         int port, ac_tcp **out);
ac_poll ac_tcp_connect_poll(void *frame, ac_cx *cx);
void ac_tcp_connect_drop(void *frame);

/* await(ac_tcp_connect_addr(addr, &c)): the same for a struct sockaddr_in
 * or sockaddr_in6 (from ac_dns_resolve), read at the first poll. */
async int ac_tcp_connect_addr(const struct sockaddr *addr, ac_tcp **out);

struct ac_tcp_connect_addr_frame {
  const struct sockaddr *addr;
  ac_tcp **out;
  ac_tcp *conn;
  int state;
  int result;
};
void ac_tcp_connect_addr_init(struct ac_tcp_connect_addr_frame *fr,
                              const struct sockaddr *addr, ac_tcp **out);
ac_poll ac_tcp_connect_addr_poll(void *frame, ac_cx *cx);
void ac_tcp_connect_addr_drop(void *frame);

/* await(ac_tcp_read(c, buf, len)): reads up to `len` bytes into buf and
 * returns their count, 0 at the end of the stream (and at every read
 * after it), or an error such as AC_ECONNRESET.  Returns as soon as any
 * data is available.  Dropping a pending read loses no data. */
async ptrdiff_t ac_tcp_read(ac_tcp *c, void *buf, size_t len);

struct ac_tcp_read_frame {
  ac_tcp *conn;
  void *buf;
  size_t len;
  ac_task *task;
  int state;
  ptrdiff_t result;
};
void ac_tcp_read_init(struct ac_tcp_read_frame *fr, ac_tcp *c, void *buf,
                      size_t len);
ac_poll ac_tcp_read_poll(void *frame, ac_cx *cx);
void ac_tcp_read_drop(void *frame);

/* await(ac_tcp_write_all(c, buf, len)): 0 once all `len` bytes are handed
 * to the kernel, or an error such as AC_EPIPE.  Bytes the socket does not
 * take at once are copied, 64 KiB at a time, into a runtime-owned request,
 * so a dropped write never reads `buf` again; how much of it was sent is
 * then unknown. */
async int ac_tcp_write_all(ac_tcp *c, const void *buf, size_t len);

struct ac__tcp_write;
struct ac_tcp_write_all_frame {
  ac_tcp *conn;
  const char *buf;
  size_t len;
  size_t sent;               /* bytes of buf handed to libuv so far */
  struct ac__tcp_write *req; /* the request in flight, or NULL */
  ac_task *task;
  int state;
  int result;
};
void ac_tcp_write_all_init(struct ac_tcp_write_all_frame *fr, ac_tcp *c,
                           const void *buf, size_t len);
ac_poll ac_tcp_write_all_poll(void *frame, ac_cx *cx);
void ac_tcp_write_all_drop(void *frame);

/* await(ac_tcp_shutdown(c)): once the writes started before it are done,
 * shuts down the sending side (the peer reads the end of the stream);
 * reading still works.  0 or an error; a second shutdown is
 * AC_ENOTCONN. */
async int ac_tcp_shutdown(ac_tcp *c);

struct ac_tcp_shutdown_frame {
  ac_tcp *conn;
  ac_task *task;
  int state;
  int result;
};
void ac_tcp_shutdown_init(struct ac_tcp_shutdown_frame *fr, ac_tcp *c);
ac_poll ac_tcp_shutdown_poll(void *frame, ac_cx *cx);
void ac_tcp_shutdown_drop(void *frame);

/* ---- Files ----------------------------------------------------------------
 *
 * Run on libuv's thread pool.  Reads and writes go through a runtime-owned
 * bounce buffer of at most AC_FS_CHUNK bytes, so that a pool thread still
 * working for a dropped future never touches the caller's buffer. */

#define AC_FS_CHUNK (256 * 1024)

struct ac__fs_req;
/* The part common to every file future's frame. */
struct ac__fs_op {
  struct ac__fs_req *req; /* the request in flight, or NULL */
  ac_task *task;
  int state;
};

/* await(ac_fs_open(path, flags, mode)): a descriptor (>= 0), or an error
 * such as AC_ENOENT.  flags and mode are open(2)'s.  If the future is
 * dropped after the file was opened, the runtime closes it. */
async int ac_fs_open(const char *path, int flags, int mode);

struct ac_fs_open_frame {
  const char *path;
  int flags;
  int mode;
  struct ac__fs_op op;
  int result;
};
void ac_fs_open_init(struct ac_fs_open_frame *fr, const char *path, int flags,
                     int mode);
ac_poll ac_fs_open_poll(void *frame, ac_cx *cx);
void ac_fs_open_drop(void *frame);

/* await(ac_fs_read(fd, buf, len, offset)): reads up to min(len,
 * AC_FS_CHUNK) bytes at `offset` (-1: at the file position) and returns
 * their count, 0 at the end of the file, or an error. */
async ptrdiff_t ac_fs_read(int fd, void *buf, size_t len, int64_t offset);

struct ac_fs_read_frame {
  int fd;
  void *buf;
  size_t len;
  int64_t offset;
  struct ac__fs_op op;
  ptrdiff_t result;
};
void ac_fs_read_init(struct ac_fs_read_frame *fr, int fd, void *buf, size_t len,
                     int64_t offset);
ac_poll ac_fs_read_poll(void *frame, ac_cx *cx);
void ac_fs_read_drop(void *frame);

/* await(ac_fs_write(fd, buf, len, offset)): writes all `len` bytes at
 * `offset` (-1: at the file position), in chunks of AC_FS_CHUNK, and
 * returns `len`, or an error. */
async ptrdiff_t ac_fs_write(int fd, const void *buf, size_t len,
                            int64_t offset);

struct ac_fs_write_frame {
  int fd;
  const char *buf;
  size_t len;
  int64_t offset;
  size_t done; /* bytes written so far */
  struct ac__fs_op op;
  ptrdiff_t result;
};
void ac_fs_write_init(struct ac_fs_write_frame *fr, int fd, const void *buf,
                      size_t len, int64_t offset);
ac_poll ac_fs_write_poll(void *frame, ac_cx *cx);
void ac_fs_write_drop(void *frame);

/* await(ac_fs_close(fd)): 0 or an error such as AC_EBADF.  A dropped close
 * still closes the descriptor. */
async int ac_fs_close(int fd);

struct ac_fs_close_frame {
  int fd;
  struct ac__fs_op op;
  int result;
};
void ac_fs_close_init(struct ac_fs_close_frame *fr, int fd);
ac_poll ac_fs_close_poll(void *frame, ac_cx *cx);
void ac_fs_close_drop(void *frame);

/* ---- DNS ------------------------------------------------------------------
 *
 * getaddrinfo(3) on libuv's thread pool.  A dropped lookup is cancelled if
 * it has not started; otherwise its result is freed when it arrives. */

struct ac__dns_req;

/* await(ac_getaddrinfo(node, service, hints, &res)): 0 and the address
 * list in *res, to be freed with ac_freeaddrinfo, or an error (AC_EINVAL,
 * AC_EAI_NONAME, ...).  `hints` may be NULL; the arguments are copied at
 * the first poll. */
async int ac_getaddrinfo(const char *node, const char *service,
                         const struct addrinfo *hints, struct addrinfo **res);

struct ac_getaddrinfo_frame {
  const char *node;
  const char *service;
  const struct addrinfo *hints;
  struct addrinfo **res;
  struct ac__dns_req *req;
  ac_task *task;
  int state;
  int result;
};
void ac_getaddrinfo_init(struct ac_getaddrinfo_frame *fr, const char *node,
                         const char *service, const struct addrinfo *hints,
                         struct addrinfo **res);
ac_poll ac_getaddrinfo_poll(void *frame, ac_cx *cx);
void ac_getaddrinfo_drop(void *frame);

/* Frees a list from ac_getaddrinfo; NULL is ignored. */
void ac_freeaddrinfo(struct addrinfo *ai);

/* await(ac_dns_resolve(host, port, &addr)): 0 and the first stream
 * address of `host` (IPv4 or IPv6), with `port`, in *out, ready for
 * ac_tcp_connect_addr; or an error. */
async int ac_dns_resolve(const char *host, int port,
                         struct sockaddr_storage *out);

struct ac_dns_resolve_frame {
  struct ac_getaddrinfo_frame gai;
  int port;
  char service[8]; /* the port, for getaddrinfo */
  struct addrinfo *list;
  struct sockaddr_storage *out;
  int result;
};
void ac_dns_resolve_init(struct ac_dns_resolve_frame *fr, const char *host,
                         int port, struct sockaddr_storage *out);
ac_poll ac_dns_resolve_poll(void *frame, ac_cx *cx);
void ac_dns_resolve_drop(void *frame);

/* ---- Signals --------------------------------------------------------------
 *
 * await(ac_signal(signum)): waits until the process receives `signum` and
 * returns it, or returns an error (AC_EINVAL for an invalid number).  While
 * the future is pending the signal is caught (its default action, such as
 * ending the process for SIGINT, does not happen); dropping or completing
 * it closes the uv_signal_t, which restores the default action unless
 * another future waits for the same signal.  Every pending ac_signal of
 * that number completes. */
async int ac_signal(int signum);

struct ac__signal;
struct ac_signal_frame {
  int signum;
  struct ac__signal *sig; /* NULL until first polled, and once released */
  int state;
  int result;
};
void ac_signal_init(struct ac_signal_frame *fr, int signum);
ac_poll ac_signal_poll(void *frame, ac_cx *cx);
void ac_signal_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_IO_H */
