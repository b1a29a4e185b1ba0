/* timers: several timers run at once; each reports as it fires.
 *
 * await(ac_all(a = f(), b = g(), ...)) starts every operand together and
 * waits until all of them have finished.  Here each operand is a timer of
 * its own length, started in the order 250, 50, 200, 100 ms: they fire in
 * order of length, not in the order they were written, and the whole
 * ac_all takes about as long as its longest timer (250 ms), not the sum
 * (600 ms).  Each result lands in an ordinary int variable. */
#include <asyncc.h>
#include <stdio.h>

/* How many timers have fired so far, to number them as they fire.  Only
 * one task runs at a time, so a plain counter is safe. */
static int fired;

/* Sleeps `ms` milliseconds, then reports; returns its place among the
 * timers that fired (1 for the first). */
static async int timer(const char *name, int ms) {
  await(ac_sleep((uint64_t)ms));
  int place = ++fired;
  printf("  timer %s (%d ms) fired #%d\n", name, ms, place);
  return place;
}

/* Two timers one after the other: e's 100 ms, then f's 100 ms. */
static async int e_then_f(void) {
  await(timer("e", 100));
  return await(timer("f", 100));
}

static async int main_async(void) {
  int a, b, c, d;
  printf("ac_all of a = 250 ms, b = 50 ms, c = 200 ms, d = 100 ms\n");
  await(ac_all(a = timer("a", 250), b = timer("b", 50), c = timer("c", 200),
               d = timer("d", 100)));
  printf("all fired; places: a=%d b=%d c=%d d=%d\n", a, b, c, d);

  /* Inside one operand the awaits still run in sequence: f starts when e
   * is done, at 100 ms, and fires at 200 ms, after g (150 ms). */
  fired = 0;
  int f, g;
  printf("ac_all of (e = 100 ms, then f = 100 ms) and g = 150 ms\n");
  await(ac_all(f = e_then_f(), g = timer("g", 150)));
  printf("all fired; places: f=%d g=%d\n", f, g);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
