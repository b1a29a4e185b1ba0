/* test-unix.c -- Unix-domain streams: listen on a path, connect, read and
 * write as over TCP, addresses, the path removed on close, and the errors:
 * a path too long, a path taken, nothing listening. */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "peer.h"

/* A fresh socket path in a temporary directory, in sh->path. */
struct unix_shared {
  struct shared sh;
  char dir[64];
  char path[96];
};

static void unix_listen(struct unix_shared *u) {
  snprintf(u->dir, sizeof u->dir, "/tmp/asyncc-unix-XXXXXX");
  ASSERT_NOT_NULL(mkdtemp(u->dir));
  snprintf(u->path, sizeof u->path, "%s/s", u->dir);
  ASSERT_OK(ac_unix_listen(u->path, 8, &u->sh.l));
  ASSERT_EQ(ac_listener_port(u->sh.l), AC_EINVAL);
}

static void unix_cleanup(struct unix_shared *u) {
  unlink(u->path);
  ASSERT_OK(rmdir(u->dir));
}

static ac_poll echo_line_server_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ACCEPT_ONE(fr, cx);
  AWAIT(&fr->s, cx, ac_stream_read_line, fr->sub.read_line, fr->c, &fr->view);
  ASSERT_EQ(fr->sub.read_line.result, 6);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, fr->view,
        (size_t)fr->sub.read_line.result);
  ASSERT_OK(fr->sub.write.result);
  {
    struct sockaddr_storage ss;
    ASSERT_OK(ac_stream_local_addr(fr->c, &ss));
    ASSERT_EQ(ss.ss_family, AF_UNIX);
    ASSERT_OK(
        ac_addr_format((struct sockaddr *)&ss, fr->bulk, sizeof fr->bulk));
    ASSERT_EQ(strcmp(fr->bulk, fr->sh->peer_seen), 0);
    ASSERT_EQ(ac_tcp_set_nodelay(fr->c, 1), AC_EINVAL); /* Not TCP. */
  }
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

static ac_poll echo_line_client_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  AWAIT(&fr->s, cx, ac_unix_connect, fr->sub.unix_connect, fr->sh->peer_seen,
        &fr->c);
  ASSERT_OK(fr->sub.unix_connect.result);
  AWAIT(&fr->s, cx, ac_stream_write_all, fr->sub.write, fr->c, "hello\n", 6);
  READ_TO_EOF(fr, cx);
  ASSERT_EQ(fr->got, 6);
  ASSERT_EQ(memcmp(fr->buf, "hello\n", 6), 0);
  ac_stream_close(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(unix_echo_and_addresses) {
  struct unix_shared u = {0};
  unix_listen(&u);
  u.sh.peer_seen = u.path;
  struct peer a, b;
  peer_init(&a, &u.sh);
  peer_init(&b, &u.sh);
  run_pair(&a, echo_line_server_poll, &b, echo_line_client_poll);
  /* Closing the listener removed its path. */
  struct stat st;
  ASSERT_EQ(stat(u.path, &st), -1);
  unix_cleanup(&u);
}

/* Connecting to nothing, and to a path that is no socket. */
static ac_poll refused_poll(void *frame, ac_cx *cx) {
  struct peer *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  AWAIT(&fr->s, cx, ac_unix_connect, fr->sub.unix_connect,
        "/nonexistent/asyncc.sock", &fr->c);
  ASSERT_EQ(fr->sub.unix_connect.result, AC_ENOENT);
  ASSERT_NULL(fr->c);
  AWAIT(&fr->s, cx, ac_unix_connect, fr->sub.unix_connect, "/dev/null", &fr->c);
  ASSERT_EQ(fr->sub.unix_connect.result, AC_ECONNREFUSED);
  ASSERT_NULL(fr->c);
  SCRIPT_END(&fr->s);
}

TEST(unix_connect_errors) {
  struct shared sh = {0};
  struct peer p;
  peer_init(&p, &sh);
  ASSERT_OK(ac__block_on(&p, refused_poll, script_drop));
  ASSERT_LOOP_CLOSED();
}

static void listen_errors_body(ac_cx *cx) {
  char path[200];
  memset(path, 'x', sizeof path - 1);
  path[0] = '/';
  path[sizeof path - 1] = '\0';
  ac_listener *l = NULL;
  ASSERT_EQ(ac_unix_listen(path, 8, &l), AC_EINVAL); /* Too long. */
  ASSERT_EQ(ac_unix_listen("", 8, &l), AC_EINVAL);
  ASSERT_EQ(ac_unix_listen(NULL, 8, &l), AC_EINVAL);
  ASSERT_NULL(l);
  struct ac_unix_connect_frame c;
  ac_stream *s = NULL;
  ASSERT_EQ(POLL_NOW(cx, ac_unix_connect, c, path, &s), AC_EINVAL);
  struct unix_shared u = {0};
  unix_listen(&u);
  ASSERT_EQ(ac_unix_listen(u.path, 8, &l), AC_EADDRINUSE); /* Taken. */
  ac_listener_close(u.sh.l);
  unix_cleanup(&u);
}

TEST(unix_listen_errors) {
  run_in_block_on(listen_errors_body);
}
