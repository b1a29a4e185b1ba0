/* select-timeout: racing operations, and giving up on a slow one.
 *
 * await(ac_race(a = f(), b = g())) runs both calls at once and finishes
 * with the first one to complete, yielding its index (0 for f, 1 for g);
 * the other is dropped (cancelled where it stands: its timer stopped, its
 * frame abandoned), so its result variable is never assigned.
 * await(ac_timeout(ms, v = f())) is ac_race(v = f(), ac_sleep(ms)): 0 if f
 * finished in time, 1 if the time ran out first and f was dropped. */
#include <asyncc.h>
#include <stdio.h>

/* Answers `value` after `ms` milliseconds. */
static async int fetch(const char *from, int ms, int value) {
  printf("  %s: asked, will answer in %d ms\n", from, ms);
  await(ac_sleep((uint64_t)ms));
  printf("  %s: answering %d\n", from, value);
  return value;
}

/* Fetches with a time limit: prints what happened. */
static async void fetch_with_timeout(int limit_ms, int ms) {
  int v = -1;
  printf("timeout of %d ms on a fetch that takes %d ms\n", limit_ms, ms);
  if (await(ac_timeout((uint64_t)limit_ms, v = fetch("server", ms, 42))))
    printf("timed out; v is still %d\n", v);
  else
    printf("in time; v = %d\n", v);
}

static async int main_async(void) {
  await(fetch_with_timeout(200, 10));
  await(fetch_with_timeout(30, 500));

  /* A race between two mirrors: the faster one wins, the other is
   * dropped before it can answer. */
  int east = -1, west = -1;
  printf("race: east (100 ms) against west (20 ms)\n");
  int winner =
      await(ac_race(east = fetch("east", 100, 1), west = fetch("west", 20, 2)));
  printf("winner: %s; east = %d, west = %d\n", winner == 0 ? "east" : "west",
         east, west);

  /* Proof that east was stopped, not just ignored: waiting past its
   * 100 ms shows no "east: answering" line. */
  await(ac_sleep(120));
  printf("120 ms later: east never answered\n");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
