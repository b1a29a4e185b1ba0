/* hello: async functions that sleep, awaited one after another and in a loop.
 *
 * `scripts/demo` prints the state machine asyncc makes of play().  Without
 * asyncc this file is plain C (the sync view) and prints the same lines. */
#include <asyncc.h>
#include <stdio.h>

/* Sleeps 10 ms, then prints "tick n"; returns the milliseconds slept. */
static async int tick(int n) {
  await(ac_sleep(10));
  printf("tick %d\n", n);
  return 10;
}

/* Sleeps 30 ms, then prints "tock n"; returns the milliseconds slept. */
static async int tock(int n) {
  await(ac_sleep(30));
  printf("tock %d\n", n);
  return 30;
}

/* One tick, then one tock; returns what the tock returns. */
static async int warm_up(void) {
  await(tick(0));
  return await(tock(0));
}

/* Plays `rounds` rounds of tick and tock; returns the milliseconds slept. */
static async int play(int rounds) {
  int slept = 0;
  for (int i = 1; i <= rounds; i++) {
    int ms = await(tick(i));
    slept += ms;
    ms = await(tock(i));
    slept += ms;
  }
  return slept;
}

static async int main_async(void) {
  printf("hello from asyncc\n");
  int ms = await(warm_up());
  printf("warm-up: the tock slept %d ms\n", ms);
  int total = await(play(3));
  printf("3 rounds slept %d ms\n", total);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
