// Covers: TCP between a client and a server in one program (connect completes through the backlog, so it needs no concurrency): echo, shutdown, the end of the stream, a read error that stays, a refused connection, invalid arguments, and a reset seen by the peer.
#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async int echo_upper(ac_stream *peer) {
  char buf[64];
  ptrdiff_t n = await(ac_stream_read(peer, buf, sizeof buf));
  if (n <= 0)
    return (int)n;
  for (ptrdiff_t i = 0; i < n; i++)
    if (buf[i] >= 'a' && buf[i] <= 'z')
      buf[i] = (char)(buf[i] - 'a' + 'A');
  int err = await(ac_stream_write_all(peer, buf, (size_t)n));
  if (err == 0)
    err = await(ac_stream_shutdown(peer));
  return err != 0 ? err : (int)n;
}

static async int read_all(ac_stream *c, char *out, size_t cap) {
  size_t got = 0;
  ptrdiff_t n;
  while (got < cap && (n = await(ac_stream_read(c, out + got, cap - got))) > 0)
    got += (size_t)n;
  out[got] = '\0';
  return (int)got;
}

static async int session(void) {
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", 0, 16, &l);
  printf("listen: %d\n", err);
  if (err != 0)
    return 1;
  int port = ac_listener_port(l);
  printf("port: %s\n", port > 0 ? "bound" : "none");

  ac_stream *client = NULL, *peer = NULL;
  printf("connect: %d\n", await(ac_tcp_connect("127.0.0.1", port, &client)));
  printf("write: %d\n", await(ac_stream_write_all(client, "hello, tcp", 10)));
  printf("accept: %d\n", await(ac_listener_accept(l, &peer)));
  printf("echoed: %d\n", await(echo_upper(peer)));
  char back[64];
  int n = await(read_all(client, back, sizeof back - 1));
  printf("client read %d: %s\n", n, back);
  printf("read at end: %d, again: %d\n",
         (int)await(ac_stream_read(client, back, sizeof back)),
         (int)await(ac_stream_read(client, back, sizeof back)));
  printf("second shutdown: %d\n", await(ac_stream_shutdown(peer)));
  printf("read of 0 bytes: %d\n", (int)await(ac_stream_read(client, back, 0)));
  ac_stream_close(peer);
  ac_stream_close(client);

  /* A reset: the peer's read fails, and keeps failing. */
  printf("connect: %d\n", await(ac_tcp_connect("127.0.0.1", port, &client)));
  printf("accept: %d\n", await(ac_listener_accept(l, &peer)));
  ac_stream_close_reset(client);
  printf("read after reset: %d, again: %d\n",
         (int)await(ac_stream_read(peer, back, sizeof back)),
         (int)await(ac_stream_read(peer, back, sizeof back)));
  ac_stream_close(peer);
  ac_listener_close(l);

  /* Nothing listens on the port any more. */
  client = NULL;
  printf("refused: %d %s\n", await(ac_tcp_connect("127.0.0.1", port, &client)),
         client == NULL ? "no connection" : "connection");
  printf("bad address: %d\n", await(ac_tcp_connect("not-an-ip", port, &client)));
  printf("bad port: %d\n", ac_tcp_listen("127.0.0.1", 70000, 1, &l));
  printf("null listener: %d\n", await(ac_listener_accept(NULL, &peer)));
  printf("null connection: %d %d\n", (int)await(ac_stream_read(NULL, back, 1)),
         await(ac_stream_write_all(NULL, back, 1)));
  return 0;
}

int main(void) { return ac_block_on(session()); }
