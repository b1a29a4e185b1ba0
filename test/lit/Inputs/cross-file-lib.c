/* Defines cross-file.h's async functions; transpiled and compiled apart. */
#include "cross-file.h"

int printf(const char *, ...);

async int fetch_twice(int x) {
  await(ac_sleep(1));
  int once = x * 2;
  await(ac_yield());
  return once * 2;
}

async void note(const char *what) {
  await(ac_yield());
  printf("note: %s\n", what);
}
