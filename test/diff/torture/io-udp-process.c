// Covers: UDP datagrams both ways with the sender's address, an empty one, one cut to the buffer and one taken by a receive of 0 bytes; a child process fed through a pipe and read through another, its exit status, a signal ending it, a missing program; stat and fstat; and a graceful shutdown whose scope ends before any signal.
#include <asyncc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

static async int udp(void) {
  ac_udp *a, *b;
  printf("bind: %d %d\n", ac_udp_bind("127.0.0.1", 0, 0, &a),
         ac_udp_bind("127.0.0.1", 0, AC_UDP_REUSEADDR, &b));
  struct sockaddr_storage a_addr, b_addr, from;
  ac_udp_local_addr(a, &a_addr);
  ac_udp_local_addr(b, &b_addr);
  printf("send: %d\n", await(ac_udp_send_to(b, "ping", 4,
                                            (struct sockaddr *)&a_addr)));
  char buf[8];
  ptrdiff_t n = await(ac_udp_recv_from(a, buf, sizeof buf, &from));
  printf("recv: %d %.*s from b: %s\n", (int)n, (int)n, buf,
         memcmp(&from, &b_addr, sizeof(struct sockaddr_in)) == 0 ? "yes"
                                                                 : "no");
  await(ac_udp_send_to(a, "", 0, (struct sockaddr *)&b_addr));
  await(ac_udp_send_to(a, "longer than eight", 17, (struct sockaddr *)&b_addr));
  printf("empty: %d\n", (int)await(ac_udp_recv_from(b, buf, sizeof buf, NULL)));
  n = await(ac_udp_recv_from(b, buf, sizeof buf, NULL));
  printf("cut: %d %.*s\n", (int)n, (int)n, buf);
  await(ac_udp_send_to(a, "gone", 4, (struct sockaddr *)&b_addr));
  await(ac_udp_send_to(a, "kept", 4, (struct sockaddr *)&b_addr));
  printf("none: %d\n", (int)await(ac_udp_recv_from(b, buf, 0, NULL)));
  n = await(ac_udp_recv_from(b, buf, sizeof buf, NULL));
  printf("after: %d %.*s\n", (int)n, (int)n, buf);
  printf("bad send: %d\n", await(ac_udp_send_to(a, buf, 1, NULL)));
  ac_udp_close(a);
  ac_udp_close(b);
  return 0;
}

static async int child(void) {
  char *sort[] = {(char *)"sort", NULL};
  struct ac_process_options o = {.file = "sort", .args = sort};
  o.stdio[0] = AC_STDIO_PIPE;
  o.stdio[1] = AC_STDIO_PIPE;
  ac_process *p;
  ac_stream *pipes[3];
  printf("spawn: %d, stderr pipe: %s\n", ac_process_spawn(&o, &p, pipes),
         pipes[2] == NULL ? "none" : "some");
  printf("write: %d\n",
         await(ac_stream_write_all(pipes[0], "pear\napple\nfig\n", 15)));
  ac_stream_close(pipes[0]);
  const char *line;
  ptrdiff_t n;
  while ((n = await(ac_stream_read_line(pipes[1], &line))) > 0)
    printf("sorted: %.*s", (int)n, line);
  printf("status: %d\n", await(ac_process_wait(p)));
  printf("again: %d, kill: %d\n", await(ac_process_wait(p)),
         ac_process_kill(p, SIGTERM));
  ac_stream_close(pipes[1]);
  ac_process_close(p);

  char *sh[] = {(char *)"sh", (char *)"-c", (char *)"kill -TERM $$", NULL};
  o.file = "sh";
  o.args = sh;
  o.stdio[0] = o.stdio[1] = AC_STDIO_NULL;
  printf("spawn: %d\n", ac_process_spawn(&o, &p, NULL));
  printf("status: %d\n", await(ac_process_wait(p)));
  ac_process_close(p);

  o.file = "asyncc-no-such-program";
  printf("missing: %d\n", ac_process_spawn(&o, &p, NULL));
  return 0;
}

static async int files(void) {
  struct stat st;
  int err = await(ac_fs_stat("/", &st));
  printf("stat: %d, directory: %s\n", err, S_ISDIR(st.st_mode) ? "yes" : "no");
  printf("stat missing: %d\n", await(ac_fs_stat("/nonexistent/x", &st)));
  int fd = await(ac_fs_open("/dev/null", 0, 0));
  err = await(ac_fs_fstat(fd, &st));
  printf("fstat: %d, char device: %s\n", err, S_ISCHR(st.st_mode) ? "yes" : "no");
  await(ac_fs_close(fd));
  printf("fstat closed: %d\n", await(ac_fs_fstat(fd, &st)));
  return 0;
}

static async void quick(int *ran) { (*ran)++; }

static async int shutdown_without_signal(void) {
  ac_scope tasks;
  ac_cancel_token stop;
  ac_scope_init(&tasks);
  ac_cancel_token_init(&stop);
  int ran = 0;
  ac_scope_add(&tasks, ac_spawn_void(quick(&ran)));
  ac_scope_add(&tasks, ac_spawn_void(quick(&ran)));
  int sig = await(ac_shutdown_on_signal(&tasks, &stop, 1000));
  printf("shutdown: %d, ran: %d, cancelled: %d\n", sig, ran,
         ac_cancel_token_is_cancelled(&stop));
  ac_cancel_token_fini(&stop);
  return 0;
}

static async int main_async(void) {
  await(udp());
  await(child());
  await(files());
  await(shutdown_without_signal());
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
