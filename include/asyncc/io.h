/* asyncc/io.h -- files, DNS, signals and graceful shutdown as futures
 * over libuv (streams and sockets are in asyncc/stream.h and udp.h,
 * processes in asyncc/process.h).
 *
 *   int fd = await(ac_fs_open("data.txt", O_RDONLY, 0));
 *   struct stat st;
 *   int err = await(ac_fs_fstat(fd, &st));
 *   ptrdiff_t n = await(ac_fs_read(fd, buf, sizeof buf, 0));
 *   await(ac_signal(SIGINT));                               waits for ctrl-c
 *
 * Every operation returns 0 (or a count, or a descriptor) on success and a
 * negative AC_E* code on failure.  Dropping a pending future cancels it:
 * whatever libuv still holds (requests, handles, thread-pool work) is
 * owned by the runtime and released when libuv is done with it, so no
 * callback ever touches a dropped frame.  Buffers passed to a future must
 * stay valid until it completes or is dropped, not longer.
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
struct stat;

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

/* await(ac_fs_stat(path, &st)) and await(ac_fs_fstat(fd, &st)): 0 and
 * the file's status in *st (stat(2)'s struct stat: S_ISREG(st.st_mode),
 * st.st_size, st.st_mtim, ...), or an error such as AC_ENOENT.  The
 * status is copied into *st when the future completes. */
async int ac_fs_stat(const char *path, struct stat *st);

struct ac_fs_stat_frame {
  const char *path;
  struct stat *st;
  struct ac__fs_op op;
  int result;
};
void ac_fs_stat_init(struct ac_fs_stat_frame *fr, const char *path,
                     struct stat *st);
ac_poll ac_fs_stat_poll(void *frame, ac_cx *cx);
void ac_fs_stat_drop(void *frame);

async int ac_fs_fstat(int fd, struct stat *st);

struct ac_fs_fstat_frame {
  int fd;
  struct stat *st;
  struct ac__fs_op op;
  int result;
};
void ac_fs_fstat_init(struct ac_fs_fstat_frame *fr, int fd, struct stat *st);
ac_poll ac_fs_fstat_poll(void *frame, ac_cx *cx);
void ac_fs_fstat_drop(void *frame);

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

/* ---- Graceful shutdown ----------------------------------------------------
 *
 * A server's tasks live in a scope (asyncc/scope.h) and watch a
 * cancellation token between requests:
 *
 *   int sig = await(ac_shutdown_on_signal(&tasks, &stop, 5000));
 *
 * waits until SIGINT or SIGTERM arrives (neither ends the process while
 * it waits), then cancels `stop`, so that tasks finish what they are doing
 * and return; waits up to grace_ms for every task of the scope to end;
 * cancels the scope's tasks still running after that (ac_scope_cancel:
 * their frames are dropped, their cleanup hooks run); and joins the
 * scope.  Yields the signal's number, or 0 if every task of the scope
 * ended before any signal came (the scope is joined then too), or a
 * negative AC_E* code if the signals cannot be caught (the scope is
 * cancelled and joined).  Once the signal has come, a second one takes
 * its default action: a second ctrl-c ends the process at once.  `stop`
 * may be NULL; the scope must be open, owned by the awaiting task.
 * Dropping the future cancels the scope, as dropping its join does. */
async int ac_shutdown_on_signal(ac_scope *tasks, ac_cancel_token *stop,
                                uint64_t grace_ms);

struct ac_shutdown_on_signal_frame {
  ac_scope *tasks;
  ac_cancel_token *stop;
  uint64_t grace_ms;
  int phase;  /* waiting for a signal, in the grace period, cancelled */
  int signum; /* the signal that came, or 0 */
  struct ac_scope_join_frame join;
  struct ac_signal_frame sigint, sigterm;
  struct ac_sleep_frame grace;
  int result;
};
void ac_shutdown_on_signal_init(struct ac_shutdown_on_signal_frame *fr,
                                ac_scope *tasks, ac_cancel_token *stop,
                                uint64_t grace_ms);
ac_poll ac_shutdown_on_signal_poll(void *frame, ac_cx *cx);
void ac_shutdown_on_signal_drop(void *frame);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCC_IO_H */
