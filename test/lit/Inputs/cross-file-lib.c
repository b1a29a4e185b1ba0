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

async int legacy(int x) {
  await(ac_yield());
  return x + 1000;
}

static async int plus_one(int x) {
  await(ac_yield());
  return x + 1;
}

static async int negate(int x) {
  await(ac_yield());
  return -x;
}

/* The addresses of two static async functions, from another file. */
async int (*const handlers[2])(int) = {plus_one, negate};
