// Tests pointers to async functions: declared `async int (*h)(int)` (in the
// sync view, a plain function pointer), kept in tables, struct members and
// parameters, and awaited, spawned, run with ac_block_on and given to a
// combinator through them.  The frame comes from the task's frame arena, set
// up by the function's stub.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
// RUN: %asyncc --emit=layout %s -o - 2>/dev/null | FileCheck %s --check-prefix=LAYOUT
//
// CHECK: table 11 20 -10
// CHECK-NEXT: ops open 1 read 5 close 0
// CHECK-NEXT: param 64 deref 44
// CHECK-NEXT: all 3 4 race 0
// CHECK-NEXT: spawned 12 sum 15
// CHECK-NEXT: block_on 6 7
//
// An await through a pointer keeps three words in the frame, whatever the
// callee: its frame, its type and an error.
// LAYOUT-LABEL: struct apply_frame: 48 bytes, align 8
// LAYOUT:             24     24  union {
// LAYOUT-NEXT:        24     24    struct ac_dyn {{await_[0-9]+}}
//
// The stub of a static function whose address is taken, and an await through
// a pointer.
// OUT-LABEL: static int twice(int x) {
// OUT-NEXT:    struct twice_frame *fr = ac__dyn_begin(sizeof *fr, &twice_type);
// OUT:         ac__dyn_call(&fr->sub.{{await_[0-9_]+}}, AC_DYN_AWAIT, cx, NULL);
// OUT-NEXT:    (void)(fr->f)(fr->x);
// OUT-NEXT:    if (ac__dyn_check(&fr->sub.{{await_[0-9_]+}}) != 0)
// OUT-NEXT:      return ac__frame_oom(cx);
// OUT:         (void)(table[fr->i])(10);
#include <asyncc.h>
#include <stdio.h>

static async int plus_one(int x) {
  await(ac_yield());
  return x + 1;
}

static async int twice(int x) {
  await(ac_yield());
  return 2 * x;
}

static async int negate(int x) {
  return -x;
}

typedef async int (*handler)(int);
static const handler table[] = {plus_one, twice, negate};

struct conn;
struct conn_ops {
  async int (*open)(struct conn *c);
  async int (*read)(struct conn *c, int n);
  async void (*close)(struct conn *c);
};
struct conn {
  const struct conn_ops *ops;
  int fd;
};

static async int conn_open(struct conn *c) {
  await(ac_yield());
  c->fd = 1;
  return c->fd;
}
static async int conn_read(struct conn *c, int n) {
  await(ac_yield());
  return n + c->fd * 0;
}
static async void conn_close(struct conn *c) {
  await(ac_yield());
  c->fd = 0;
}
static const struct conn_ops ops = {conn_open, conn_read, conn_close};

static async int apply(async int (*f)(int), int x) {
  return await(f(x)) + await((*f)(x + 1)) - x - 1;
}

static async void run(void) {
  int r[3];
  for (int i = 0; i < 3; i++)
    r[i] = await(table[i](10));
  printf("table %d %d %d\n", r[0], r[1], r[2]);

  struct conn c = {&ops, -1};
  int o = await(c.ops->open(&c));
  int n = await(c.ops->read(&c, 5));
  await(c.ops->close(&c));
  printf("ops open %d read %d close %d\n", o, n, c.fd);

  printf("param %d deref %d\n", await(apply(twice, 21)),
         await(apply(plus_one, 42)) + 0);

  int a = 0, b = 0;
  await(ac_all(a = table[0](2), b = table[1](2)));
  int w = await(ac_race(table[2](1), ac_sleep(100000)));
  printf("all %d %d race %d\n", a, b, w);

  AC_TASK(int) t = ac_spawn(table[1](6));
  handler h = plus_one;
  AC_TASK(int) u = ac_spawn(h(2));
  int t1 = await(ac_join(t));
  printf("spawned %d sum %d\n", t1, t1 + await(ac_join(u)));
}

int main(void) {
  ac_block_on(run());
  handler h = twice;
  printf("block_on %d %d\n", ac_block_on(h(3)), ac_block_on(table[0](6)));
  return 0;
}
