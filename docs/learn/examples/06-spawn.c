/* 06-spawn: two tasks run at the same time; main_async joins both. */
#include <asyncc.h>
#include <stdio.h>

static async int nap(const char *who, int ms) {
  printf("%s: sleeps %d ms\n", who, ms);
  await(ac_sleep((uint64_t)ms));
  printf("%s: wakes\n", who);
  return ms;
}

static async int main_async(void) {
  AC_TASK(int) slow = ac_spawn(nap("slow", 300));
  AC_TASK(int) fast = ac_spawn(nap("fast", 50));
  printf("main_async: spawned two tasks\n");
  int a = await(ac_join(slow));
  int b = await(ac_join(fast));
  printf("main_async: joined %d and %d\n", a, b);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
