/* sock.h -- sock.c's helpers, shared by libasyncc and libasyncc_sync.
 * Errors are AC_E* codes, which are negated errno values (error.c). */
#ifndef ASYNCC_RUNTIME_SOCK_H
#define ASYNCC_RUNTIME_SOCK_H

#include <asyncc.h>
#include <sys/socket.h>

/* Sets SIGPIPE to SIG_IGN if it has its default action (asyncc/stream.h);
 * called as the first stream, listener or UDP socket is made. */
void ac__ignore_sigpipe(void);
/* Parses a numeric IPv4 or IPv6 address and a port into `ss`: 0 or
 * AC_EINVAL. */
int ac__parse_addr(const char *ip, int port, struct sockaddr_storage *ss);
/* The length of an address of addr's family, 0 for an unknown one. */
socklen_t ac__addr_len(const struct sockaddr *addr);
/* Whether `path` fits in a sockaddr_un (libuv 1.44 would cut it). */
int ac__unix_path_ok(const char *path);
/* TCP_NODELAY and SO_KEEPALIVE + TCP_KEEPIDLE on fd: 0 or an error. */
int ac__tcp_nodelay(int fd, int enable);
int ac__tcp_keepalive(int fd, int enable, unsigned delay_s);
/* A non-blocking, close-on-exec TCP socket bound to ss with the
 * AC_TCP_* options of `flags` (SO_REUSEADDR always, as libuv): the
 * descriptor, or an error. */
int ac__listen_socket(const struct sockaddr_storage *ss, unsigned flags);
/* getsockname (peer 0) or getpeername (peer 1) of fd: 0 or an error. */
int ac__fd_addr(int fd, struct sockaddr_storage *out, int peer);

#endif /* ASYNCC_RUNTIME_SOCK_H */
