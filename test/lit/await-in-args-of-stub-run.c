// Tests an await in the arguments of an awaited call that sets up its
// sub-frame before it evaluates them: a call through a pointer or to
// another file's function (a stub, which ac__dyn_call announces first)
// and a recursive call (whose frame is allocated first).  The inner
// result shares the sub-frame union with the outer call, so it must be
// kept in a temporary; the output once read it after the outer call had
// overwritten it, and printed garbage.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t > %t.out
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync > %t.sync.out
// RUN: diff %t.sync.out %t.out && FileCheck %s < %t.out
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT
//
// CHECK: pointer 106 6 6
// CHECK-NEXT: macro 102 103 205
// CHECK-NEXT: recursion 15
//
// OUT:      {{^}}  /* await(CALL(&o, await(pub(b)))), expanded */
// OUT-NEXT: {{^}}  int [[T:t_[0-9]+]];
// OUT-NEXT: {{^}}  fr->state = MAIN_ASYNC_L[[#L:]];
// OUT-NEXT: {{^}}  pub_init(&fr->sub.await_[[#L]], fr->b);
// OUT:      {{^}}  [[T]] = fr->sub.await_[[#L]].result;
// OUT:      {{^}}  (void)((&fr->o)->ops->op)((&fr->o), ([[T]]), [[#L]]);

#include <asyncc.h>
#include <stdio.h>

static async int add(int x, int y) {
  await(ac_yield());
  return x + y;
}

static async int (*op)(int, int) = add;

async int pub(int n);

async int pub(int n) {
  await(ac_yield());
  return n + 1;
}

struct obj;
struct ops {
  async int (*op)(struct obj *, int, int);
};
struct obj {
  const struct ops *ops;
  int base;
};

static async int obj_add(struct obj *o, int x, int line) {
  await(ac_yield());
  return o->base + x + (line > 0);
}

static const struct ops add_ops = {obj_add};
#define CALL(o, x) (o)->ops->op((o), (x), __LINE__)

static async int rec(int n, int acc) {
  if (n == 0)
    return acc;
  return await(rec(await(pub(n - 2)), await(add(acc, n))));
}

static async int main_async(void) {
  int b = 5;
  int c = await(op(await(pub(b)), 100));
  int d = await(op(1, await(op(2, 3))));
  int e = await(pub(await(op(await(pub(1)), await(pub(2))))));
  printf("pointer %d %d %d\n", c, d, e);
  struct obj o = {&add_ops, 100};
  int a = await(CALL(&o, 1));
  b = await(pub(a));
  c = await(CALL(&o, await(pub(b))));
  printf("macro %d %d %d\n", a, b, c);
  printf("recursion %d\n", await(rec(5, 0)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
