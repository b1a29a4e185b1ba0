// Tests that loops with awaits in their bodies, conditions and increments run
// the same as the sync view, including 'continue' and 'break' in each kind of
// loop.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      while-body 10
// CHECK-NEXT: while-cond 0 1 2 4 5 calls=7
// CHECK-NEXT: do-cond 0 2 3 4 calls=5
// CHECK-NEXT: for-cond 0 1 2 3 calls=5
// CHECK-NEXT: for-inc 0 1 3 4 calls=5
// CHECK-NEXT: nested 0:0 0:1 1:0 1:1 2:0 2:1
// CHECK-NEXT: break-at 3
#include <asyncc.h>

int printf(const char *, ...);

static int calls;

async int id(int x) {
  calls++;
  await(ac_yield());
  return x;
}

async void while_body(void) {
  int n = 5, s = 0;
  while (n-- > 0)
    s += await(id(n));
  printf("while-body %d\n", s);
}

async void while_cond(void) {
  int i = 0;
  calls = 0;
  printf("while-cond");
  while (await(id(i)) < 6) {
    if (i == 3) {
      i++;
      continue;
    }
    printf(" %d", i);
    i++;
  }
  printf(" calls=%d\n", calls);
}

async void do_cond(void) {
  int i = 0;
  calls = 0;
  printf("do-cond");
  do {
    if (i == 1)
      continue;
    printf(" %d", i);
  } while (await(id(++i)) < 5);
  printf(" calls=%d\n", calls);
}

async void for_cond(void) {
  calls = 0;
  printf("for-cond");
  for (int i = 0; i < await(id(4)); i++)
    printf(" %d", i);
  printf(" calls=%d\n", calls);
}

async void for_inc(void) {
  calls = 0;
  printf("for-inc");
  for (int i = 0; i < 5; i += await(id(1))) {
    if (i == 2)
      continue;
    printf(" %d", i);
  }
  printf(" calls=%d\n", calls);
}

async void nested(void) {
  printf("nested");
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < await(id(2)); j++) {
      printf(" %d:%d", await(id(i)), j);
    }
  }
  printf("\n");
}

async void break_at(void) {
  int i = 0;
  for (;;) {
    if (await(id(i)) == 3)
      break;
    i++;
  }
  printf("break-at %d\n", i);
}

async int main_async(void) {
  await(while_body());
  await(while_cond());
  await(do_cond());
  await(for_cond());
  await(for_inc());
  await(nested());
  await(break_at());
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
