// Covers: the program's exit status computed from awaited values, and exit() called from inside an async function after awaits.
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async void maybe_exit(int code) {
  int c = await(val(code));
  printf("exiting with %d\n", c);
  fflush(stdout);
  if (c)
    exit(c);
}

static async int main_async(int argc) {
  int code = await(val(argc + 10));
  printf("code=%d\n", code);
  await(maybe_exit(0));
  if (code == 11) {
    int twice = await(val(code * 2));
    await(maybe_exit(twice));
  }
  printf("not reached\n");
  return 1;
}

int main(int argc, char **argv) {
  (void)argv;
  return ac_block_on(main_async(argc));
}
