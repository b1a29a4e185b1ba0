// Tests that a local with GNU's cleanup attribute is refused when its
// block awaits after it (the cleanup would run at every suspension),
// written directly or by a macro, and accepted when its block does not
// (an await in its own initialiser runs before it exists).
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

static void release(int *p) { (void)p; }
#define AUTO_RELEASE __attribute__((cleanup(release)))

static async int id(int x) {
  await(ac_yield());
  return x;
}

static async int f(void) {
  int total = 0;
  {
    // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:43: error: 'guard' has a cleanup attribute and its block awaits; the cleanup would run each time the function suspends
    __attribute__((cleanup(release))) int guard = 1;
    // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:14: note: the block awaits here
    total += await(id(guard));
  }
  for (int i = 0; i < 2; i++) {
    // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:9: error: 'other' has a cleanup attribute
    int other __attribute__((__cleanup__(release))) = i;
    // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:14: note: the block awaits here
    total += await(id(other));
  }
  // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:20: error: 'wrapped' has a cleanup attribute
  AUTO_RELEASE int wrapped = 3;
  // CHECK: diag-cleanup-attribute.c:[[@LINE+1]]:12: note: the block awaits here
  total += await(id(wrapped));
  {
    AUTO_RELEASE int quiet = 4; /* its block does not await: fine */
    total += quiet;
  }
  {
    /* The await runs before the variable exists: fine too. */
    AUTO_RELEASE int from_await = await(id(5));
    total += from_await;
  }
  return total;
}

int main(void) { return ac_block_on(f()); }
