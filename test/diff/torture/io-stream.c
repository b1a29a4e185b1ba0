// Covers: streams in one program (each step completes on its own: small writes fit in the socket's buffer, connects complete through the backlog): read_line and read_until over pipelined lines, a last line without newline, peek and consume, read_exact and its early end, a line longer than the buffer, writev, sendfile from a file, TCP options, descriptors and addresses, and the same over a Unix-domain socket.
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <asyncc.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Prints the next line of s as the reader sees it. */
static async ptrdiff_t show_line(ac_stream *s) {
  const char *line;
  ptrdiff_t n = await(ac_stream_read_line(s, &line));
  if (n > 0)
    printf("line %d: %.*s|\n", (int)n, (int)n, line);
  else
    printf("line: %d\n", (int)n);
  return n;
}

/* A connected pair over the listener l: *a the client, *b the server. */
static async int pair(ac_listener *l, int port, ac_stream **a, ac_stream **b) {
  int err = port > 0 ? await(ac_tcp_connect("127.0.0.1", port, a))
                     : await(ac_unix_connect("/tmp/asyncc-io-stream.sock", a));
  if (err == 0)
    err = await(ac_listener_accept(l, b));
  return err;
}

static async int lines(ac_stream *client, ac_stream *server) {
  const char *text = "PING\r\nSET key value\r\nGET key;MORE;\npartial";
  printf("write: %d\n", await(ac_stream_write_all(client, text, strlen(text))));
  printf("shutdown: %d\n", await(ac_stream_shutdown(client)));
  await(show_line(server));
  printf("buffered: %zu\n", ac_stream_buffered(server));
  await(show_line(server));
  const char *p;
  ptrdiff_t n = await(ac_stream_read_until(server, ';', &p));
  printf("until: %d %.*s|\n", (int)n, (int)n, p);
  n = await(ac_stream_peek(server, 4, &p));
  printf("peek: %d %.4s\n", n >= 4 ? 4 : (int)n, p);
  ac_stream_consume(server, 5);
  while (await(show_line(server)) > 0)
    continue;
  return 0;
}

static async int exact(ac_stream *client, ac_stream *server) {
  char buf[16];
  struct iovec iov[3] = {{(void *)"head", 4}, {NULL, 0}, {(void *)"-body", 5}};
  printf("writev: %d\n", await(ac_stream_writev(client, iov, 3)));
  printf("exact: %d\n", (int)await(ac_stream_read_exact(server, buf, 9)));
  printf("got: %.9s\n", buf);
  printf("set size: %d\n", ac_stream_set_buffer_size(server, 8));
  await(ac_stream_write_all(client, "0123456789\n", 11));
  const char *p;
  printf("long line: %d\n", (int)await(ac_stream_read_line(server, &p)));
  printf("peek too much: %d\n", (int)await(ac_stream_peek(server, 9, &p)));
  ac_stream_consume(server, 8);
  await(show_line(server));
  await(ac_stream_write_all(client, "abc", 3));
  await(ac_stream_shutdown(client));
  printf("short exact: %d\n", (int)await(ac_stream_read_exact(server, buf, 5)));
  return 0;
}

static async int send_file(ac_stream *client, ac_stream *server) {
  char path[] = "/tmp/asyncc-io-stream-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, "file contents\n", 14) != 14)
    return 1;
  printf("sendfile: %d\n", (int)await(ac_stream_sendfile(client, fd, 5, 100)));
  char buf[32];
  printf("read: %d\n", (int)await(ac_stream_read_exact(server, buf, 9)));
  printf("got: %.9s", buf);
  printf("sendfile bad fd: %d\n",
         (int)await(ac_stream_sendfile(client, -1, 0, 1)));
  close(fd);
  unlink(path);
  return 0;
}

static void options(ac_stream *client, ac_stream *server) {
  printf("nodelay: %d\n", ac_tcp_set_nodelay(client, 1));
  printf("keepalive: %d\n", ac_tcp_set_keepalive(server, 1, 30));
  printf("fileno: %s\n", ac_stream_fileno(client) >= 0 ? "fd" : "error");
  struct sockaddr_storage a, b;
  char ta[64], tb[64];
  ac_stream_local_addr(client, &a);
  ac_stream_peer_addr(server, &b);
  ac_addr_format((struct sockaddr *)&a, ta, sizeof ta);
  ac_addr_format((struct sockaddr *)&b, tb, sizeof tb);
  printf("client is the server's peer: %s\n", strcmp(ta, tb) == 0 ? "yes" : "no");
}

static async int tcp(void) {
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", 0, 16, &l);
  printf("listen: %d\n", err);
  if (err != 0)
    return 1;
  int port = ac_listener_port(l);
  ac_stream *client = NULL, *server = NULL;
  printf("pair: %d\n", await(pair(l, port, &client, &server)));
  options(client, server);
  await(lines(client, server));
  ac_stream_close(client);
  ac_stream_close(server);
  printf("pair: %d\n", await(pair(l, port, &client, &server)));
  await(exact(client, server));
  ac_stream_close(client);
  ac_stream_close(server);
  printf("pair: %d\n", await(pair(l, port, &client, &server)));
  await(send_file(client, server));
  ac_stream_close(client);
  ac_stream_close(server);
  ac_listener_close(l);
  return 0;
}

static async int unix_domain(void) {
  const char *path = "/tmp/asyncc-io-stream.sock";
  unlink(path);
  ac_listener *l;
  int err = ac_unix_listen(path, 16, &l);
  printf("unix listen: %d, port: %d\n", err, ac_listener_port(l));
  if (err != 0)
    return 1;
  ac_stream *client = NULL, *server = NULL;
  printf("pair: %d\n", await(pair(l, 0, &client, &server)));
  printf("nodelay: %d\n", ac_tcp_set_nodelay(client, 1));
  struct sockaddr_storage ss;
  char text[64];
  ac_stream_local_addr(server, &ss);
  ac_addr_format((struct sockaddr *)&ss, text, sizeof text);
  printf("server address: %s\n", text);
  await(lines(client, server));
  ac_stream_close(client);
  ac_stream_close(server);
  ac_listener_close(l);
  printf("path removed: %s\n", access(path, F_OK) != 0 ? "yes" : "no");
  client = NULL;
  printf("connect to nothing: %d %s\n",
         await(ac_unix_connect(path, &client)), client == NULL ? "none" : "stream");
  return 0;
}

static async int main_async(void) {
  await(tcp());
  await(unix_domain());
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
