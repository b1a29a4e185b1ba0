// Tests that tasks waiting for I/O show the I/O future by name, with what it waits for, in the task dump.
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// REQUIRES: runtime
//
// CHECK: task [[#]] "acceptor" waiting
// CHECK-NEXT:   #0 acceptor at {{.*}}dump-io-run.c:[[#]] await(ac_listener_accept(l, &c)) [ACCEPTOR_L[[#]]]
// CHECK-NEXT:   #1 ac_listener_accept (127.0.0.1:[[#]])
// CHECK: task [[#]] "reader" waiting
// CHECK-NEXT:   #0 reader at {{.*}}dump-io-run.c:[[#]] await(ac_stream_read(c, buf, sizeof buf)) [READER_L[[#]]]
// CHECK-NEXT:   #1 ac_stream_read (stream 0x{{[0-9a-f]+}}, up to 64 bytes)
// CHECK: task [[#]] "pipe_reader" waiting
// CHECK-NEXT:   #0 pipe_reader at {{.*}}dump-io-run.c:[[#]] await(ac_fs_read(fd, buf, sizeof buf, -1)) [PIPE_READER_L[[#]]]
// CHECK-NEXT:   #1 ac_fs_read (fd [[#]], up to 8 bytes)
// CHECK: task [[#]] "signal_waiter" waiting
// CHECK-NEXT:   #0 signal_waiter at {{.*}}dump-io-run.c:[[#]] await(ac_signal(SIGUSR2)) [SIGNAL_WAITER_L[[#]]]
// CHECK-NEXT:   #1 ac_signal (signal 12)
// CHECK: pipe read 2, accept -125
#include <asyncc.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static async int acceptor(ac_listener *l) {
  ac_stream *c = NULL;
  return await(ac_listener_accept(l, &c));
}

static async int reader(ac_stream *c) {
  char buf[64];
  return (int)await(ac_stream_read(c, buf, sizeof buf));
}

static async int pipe_reader(int fd) {
  char buf[8];
  return (int)await(ac_fs_read(fd, buf, sizeof buf, -1));
}

static async int signal_waiter(void) { return await(ac_signal(SIGUSR2)); }

static async int main_async(void) {
  ac_listener *server, *idle;
  if (ac_tcp_listen("127.0.0.1", 0, 8, &server) != 0 ||
      ac_tcp_listen("127.0.0.1", 0, 8, &idle) != 0)
    return 1;
  ac_stream *client = NULL, *peer = NULL;
  int port = ac_listener_port(server);
  int err = 0;
  await(ac_all(err = ac_tcp_connect("127.0.0.1", port, &client),
               ac_listener_accept(server, &peer)));
  int fds[2];
  if (err != 0 || pipe(fds) != 0)
    return 1;

  AC_TASK(int) a = ac_spawn(acceptor(idle));
  AC_TASK(int) r = ac_spawn(reader(peer));
  AC_TASK(int) p = ac_spawn(pipe_reader(fds[0]));
  AC_TASK(int) s = ac_spawn(signal_waiter());
  await(ac_sleep(20)); /* everyone is waiting now */
  ac_dump_tasks(stdout);

  if (write(fds[1], "hi", 2) != 2)
    return 1;
  int n = await(ac_join(p));
  ac_listener_close(idle); /* completes the accept with AC_ECANCELED */
  int acc = await(ac_join(a));
  printf("pipe read %d, accept %d\n", n, acc);
  ac_task_abort(r);
  ac_task_abort(s);
  await(ac_join(r));
  await(ac_join(s));
  ac_stream_close(client);
  ac_stream_close(peer);
  ac_listener_close(server);
  close(fds[0]);
  close(fds[1]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
