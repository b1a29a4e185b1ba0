/* abort-10k: aborts 10,000 tasks in the middle of sleeps, channel waits and
 * TCP reads, then joins them all.  Run under valgrind by ctest: every frame
 * chain is dropped, every timer stopped, every connection closed, and
 * nothing leaks. */
#include <asyncc.h>
#include <stdio.h>

enum { TASKS = 10000, READERS = 100 };

static ac_chan chan;
static ac_stream *server_side[READERS], *client_side[READERS];

static async int sleeper(int i) {
  await(ac_sleep(1000000));
  return i;
}

static async int receiver(int i) {
  int value = 0;
  if (await(ac_chan_recv(&chan, &value)) == 0)
    return value;
  return i;
}

static async int reader(int i) {
  char buf[16];
  ptrdiff_t n = await(ac_stream_read(server_side[i], buf, sizeof buf));
  return (int)n;
}

/* READERS loopback connections whose server sides nobody writes to. */
static async int connect_pairs(void) {
  ac_listener *l;
  int err = ac_tcp_listen("127.0.0.1", 0, READERS, &l);
  if (err < 0)
    return err;
  int port = ac_listener_port(l);
  for (int i = 0; i < READERS && err == 0; i++) {
    err = await(ac_tcp_connect("127.0.0.1", port, &client_side[i]));
    if (err == 0)
      err = await(ac_listener_accept(l, &server_side[i]));
  }
  ac_listener_close(l);
  return err;
}

static async int main_async(void) {
  static AC_TASK(int) tasks[TASKS];
  if (ac_chan_init(&chan, sizeof(int), 1) != 0)
    return 1;
  int err = await(connect_pairs());
  if (err < 0) {
    printf("connect: %s\n", ac_strerror(err));
    return 1;
  }
  for (int i = 0; i < TASKS; i++) {
    if (i < READERS)
      tasks[i] = ac_spawn(reader(i));
    else if (i % 2)
      tasks[i] = ac_spawn(sleeper(i));
    else
      tasks[i] = ac_spawn(receiver(i));
    if (!tasks[i])
      return 1;
  }
  await(ac_sleep(1)); /* every task has run up to its first await */
  for (int i = 0; i < TASKS; i++)
    ac_task_abort(tasks[i]);
  int aborted = 0;
  long sum = 0;
  for (int i = 0; i < TASKS; i++) {
    aborted += ac_task_aborted(tasks[i]);
    sum += await(ac_join(tasks[i]));
  }
  for (int i = 0; i < READERS; i++) {
    ac_stream_close(server_side[i]);
    ac_stream_close(client_side[i]);
  }
  ac_chan_fini(&chan);
  printf("aborted %d of %d, joined results sum to %ld\n", aborted, TASKS, sum);
  return aborted == TASKS && sum == 0 ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
