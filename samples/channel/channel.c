/* channel: a producer and a slow consumer over a bounded channel.
 *
 * An ac_chan is a FIFO queue of fixed-size elements with a capacity.
 * await(ac_chan_send(&ch, &v)) copies v in, and waits while the queue is
 * full: a fast producer is held back to the pace of a slow consumer
 * (backpressure) instead of queueing without bound.
 * await(ac_chan_recv(&ch, &v)) takes the oldest element, waiting while the
 * queue is empty.  Closing the channel ends the stream: sends fail with
 * AC_EPIPE, and receivers get what is still queued, then AC_EOF. */
#include <asyncc.h>
#include <stdio.h>

#define CAPACITY 3
#define ITEMS 7

/* Sends 1..ITEMS as fast as the channel takes them, then closes it. */
static async void producer(ac_chan *ch) {
  for (int i = 1; i <= ITEMS; i++) {
    if (ac_chan_len(ch) == CAPACITY)
      printf("producer: queue full, waiting to send %d\n", i);
    int err = await(ac_chan_send(ch, &i));
    if (err < 0) {
      printf("producer: send failed: %s\n", ac_strerror(err));
      return;
    }
    printf("producer: sent %d (%zu queued)\n", i, ac_chan_len(ch));
  }
  ac_chan_close(ch);
  printf("producer: closed the channel\n");
}

/* Receives until the end of the stream, taking 10 ms per item; returns
 * the sum of the items. */
static async int consumer(ac_chan *ch) {
  int sum = 0, v;
  int err;
  while ((err = await(ac_chan_recv(ch, &v))) == 0) {
    printf("consumer: got %d\n", v);
    sum += v;
    await(ac_sleep(10)); /* slow work on each item */
  }
  printf("consumer: end of stream (%s)\n", ac_strerror(err));
  return sum;
}

static async int main_async(void) {
  ac_chan ch;
  if (ac_chan_init(&ch, sizeof(int), CAPACITY) < 0)
    return 1;

  AC_TASK(void) p = ac_spawn_void(producer(&ch));
  AC_TASK(int) c = ac_spawn(consumer(&ch));
  await(ac_join_void(p));
  int sum = await(ac_join(c));
  printf("main: the consumer's sum is %d\n", sum);

  int late = 99;
  int err = ac_chan_try_send(&ch, &late);
  printf("main: sending after close: %d (%s)\n", err, ac_strerror(err));
  ac_chan_fini(&ch);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
