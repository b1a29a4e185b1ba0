// Tests that an await inside a macro invocation that writes several
// arguments of an awaited call is refused: it cannot be taken out of the
// invocation.
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <asyncc.h>

#define TWO(x) x, 2

static async int get(int v) {
  await(ac_yield());
  return v;
}

static async int times(int v, int w) {
  await(ac_yield());
  return v * w;
}

static async int caller(int a) {
  // CHECK: diag-await-in-shared-macro-args.c:[[@LINE+1]]:26: error: await in a macro invocation that writes several arguments of an awaited call; await into a variable first
  return await(times(TWO(await(get(a)))));
}
