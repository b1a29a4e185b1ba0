// Tests that the two misuses of a stub the transpiler cannot see end the
// program with a message: an async function called as a plain function
// through a pointer, and an await through a pointer to a function that is not
// async.
// REQUIRES: runtime
// RUN: %asyncc %s -o %t.c
// RUN: %cc -DPLAIN_CALL %t.c %ac_rt -o %t.plain
// RUN: not --crash %t.plain 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: %cc %t.c %ac_rt -o %t.notasync
// RUN: not --crash %t.notasync 2>&1 | FileCheck %s --check-prefix=NOTASYNC
//
// PLAIN: asyncc: async function 'work' called as a plain function; await it, or use ac_spawn or ac_block_on
// NOTASYNC: asyncc: a call through a pointer, awaited, spawned or run with ac_block_on, reached a function that is not async
#include <asyncc.h>

static async int work(int x) {
  await(ac_yield());
  return x;
}

static int plain(int x) { return x; }

static async int caller(int (*f)(int)) {
  return await(f(1));
}

int main(void) {
  int (*volatile p)(int) = work;
#ifdef PLAIN_CALL
  p(1); /* runs work's stub with no call announced */
#endif
  (void)p;
  return ac_block_on(caller(plain));
}
