/* 07-select: a race between two calls, and a call with a time limit.
 * The call that loses is dropped where it stands. */
#include <asyncc.h>
#include <stdio.h>

static async int fetch(const char *from, int ms) {
  printf("%s: asked, answers in %d ms\n", from, ms);
  await(ac_sleep((uint64_t)ms));
  printf("%s: answers\n", from);
  return ms;
}

static async int main_async(void) {
  int a = -1, b = -1;
  int first = await(ac_race(a = fetch("near", 50), b = fetch("far", 300)));
  printf("race won by branch %d: a = %d, b = %d\n", first, a, b);
  int v = -1;
  if (await(ac_timeout(100, v = fetch("slow", 300))))
    printf("timed out after 100 ms: v = %d\n", v);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
