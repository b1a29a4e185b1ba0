// Covers: nested awaits: await(f(await(g()), await(h()))), awaits several levels deep, awaited results feeding awaited arguments.
#include <asyncc.h>
#include <stdio.h>

static async int g(void) {
  await(ac_yield());
  return 3;
}
static async int h(void) { return 4; }
static async int f(int a, int b) {
  await(ac_yield());
  return a * 10 + b;
}
static async int inc(int x) { return x + 1; }

static async int main_async(void) {
  int r = await(f(await(g()), await(h())));
  printf("r=%d\n", r);
  r = await(inc(await(inc(await(inc(await(inc(0))))))));
  printf("r=%d\n", r);
  r = await(f(await(f(await(g()), 1)), await(f(2, await(h())))));
  printf("r=%d\n", r);
  int s = await(f(await(inc(r)), await(inc(await(g()))))) +
          await(inc(await(h())));
  printf("s=%d\n", s);
  for (int i = 0; i < 3; i++)
    printf("i=%d -> %d\n", i, await(f(await(inc(i)), await(inc(await(inc(i)))))));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
