// Tests that pointers to saved locals stay valid across awaits: the frame never
// moves, so writes through a pointer taken before an await land in the saved
// local.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      x=42 via p
// CHECK-NEXT: arr 10 11 99 13
// CHECK-NEXT: filled 3 4 5
// CHECK-NEXT: node b -> a
// CHECK-NEXT: swap 2 1
#include <asyncc.h>

int printf(const char *, ...);

struct node {
  const char *name;
  struct node *next;
};

async int id(int x) {
  await(ac_yield());
  return x;
}

/* Writes through a pointer to its caller's saved local while suspended. */
async void fill(int *out, int n) {
  for (int i = 0; i < n; i++)
    out[i] = await(id(i + 3));
}

async void swap(int *a, int *b) {
  int t = *a;
  await(ac_yield());
  *a = *b;
  await(ac_yield());
  *b = t;
}

async int main_async(void) {
  int x = 0;
  int *p = &x;
  await(ac_yield());
  *p = await(id(42));
  await(ac_yield());
  printf("x=%d via p\n", x);

  int arr[4] = {10, 11, 12, 13};
  int *mid = &arr[2];
  await(ac_yield());
  *mid = 99;
  printf("arr %d %d %d %d\n", arr[0], arr[1], arr[2], arr[3]);

  int buf[3];
  await(fill(buf, 3));
  printf("filled %d %d %d\n", buf[0], buf[1], buf[2]);

  struct node a = {"a", 0};
  struct node b = {"b", &a};
  await(ac_yield());
  printf("node %s -> %s\n", b.name, b.next->name);

  int u = 1, v = 2;
  await(swap(&u, &v));
  printf("swap %d %d\n", u, v);
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
