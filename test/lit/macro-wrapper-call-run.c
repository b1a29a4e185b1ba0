// Tests awaits, spawns and block_ons of a call that a macro writes whole,
// the wrapper idiom (`#define alloc(n) alloc_at(n, __FILE__, __LINE__)`):
// the invocation stands for the call, so the call's arguments are printed
// one by one from the expansion, and locals and awaits in them still
// work.  The output once passed the invocation's text as the arguments.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t > %t.out
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync > %t.sync.out
// RUN: diff %t.sync.out %t.out && FileCheck %s < %t.out
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT
//
// CHECK: alloc 10 at line 20
// CHECK-NEXT: alloc 20 at line 21
// CHECK-NEXT: alloc 3 at line 22
// CHECK-NEXT: alloc 0 at line 23
// CHECK-NEXT: ok
// CHECK-NEXT: alloc 1 at line 0
// CHECK-NEXT: alloc 7 at line 26
// CHECK-NEXT: alloc 5 at line 1
// CHECK-NEXT: 20 40 6 2 25
// CHECK-NEXT: alloc 7 at line 29
// CHECK-NEXT: joined 14
// CHECK-NEXT: alloc 2 at line 35
// CHECK-NEXT: main 4
//
// The arguments, and __LINE__ the line of the await:
// OUT:      {{^}}  /* await(alloc(10)), expanded */
// OUT-NEXT: {{^}}  fr->state = RUN_L[[#L:]];
// OUT-NEXT: {{^}}  alloc_at_init(&fr->sub.await_[[#L]], (10),
// OUT-NEXT: {{^}}                "{{.*}}macro-wrapper-call-run.c", [[#L]]);
// OUT:      {{^}}  /* await(alloc_bare(a)), expanded */
// OUT-NEXT: {{^}}  fr->state = RUN_L[[#M:]];
// OUT-NEXT: {{^}}  alloc_at_init(&fr->sub.await_[[#M]], fr->a,
// OUT-NEXT: {{^}}                "{{.*}}macro-wrapper-call-run.c", [[#M]]);

#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

/* Lines are counted from here, so that the checks above do not move
 * them. */
static const int base = __LINE__;

static async int alloc_at(int n, const char *file, int line) {
  await(ac_yield());
  printf("alloc %d at line %d\n", n,
         line == 0 ? 0 : strstr(file, "wrapper") ? line - base : -1);
  return n * 2;
}

#define alloc(n) alloc_at((n), __FILE__, __LINE__)
#define alloc_bare(n) alloc_at(n, __FILE__, __LINE__)
#define AWAIT_OK(e) (await(e) >= 0)
#define DEFAULT_ALLOC alloc_at(1, "default", 0)
#define PAIR(a, b) alloc_at(a, b, base + 1)

struct pt {
  int x, y;
};

static async int run(int k) {
  int a = await(alloc(10)) + k;
  int b = await(alloc_bare(a));
  int c = await(alloc(await(val(3))));
  if (AWAIT_OK(alloc_bare(0)))
    printf("ok\n");
  int d = await(DEFAULT_ALLOC);
  struct pt p = {.y = await(alloc(7)), .x = d};
  int e = await(PAIR(5, __FILE__));
  printf("%d %d %d %d %d\n", a, b, c, p.x, p.y + e + 1);
  AC_TASK(int) h = ac_spawn(alloc_bare(7));
  printf("joined %d\n", await(ac_join(h)));
  return d;
}

int main(void) {
  int r = ac_block_on(run(0)) + ac_block_on(alloc(2));
  printf("main %d\n", r - 2);
  return 0;
}
