// Tests that --emit=layout reports each frame's size as the C compiler lays it out, and that locals of disjoint blocks share storage.
// RUN: %asyncc --emit=layout %s -o %t.layout
// RUN: %asyncc %s -o %t.c
// RUN: %cc -DPRINT_SIZES %t.c %ac_rt -o %t
// RUN: %t > %t.sizes
// RUN: cat %t.layout %t.sizes | FileCheck %s
// REQUIRES: runtime
//
// CHECK: struct leaf_frame: [[LEAF:[0-9]+]] bytes
// CHECK: struct disjoint_frame: [[DISJOINT:[0-9]+]] bytes
// CHECK:         union {
// CHECK-NEXT:      double a
// CHECK-NEXT:      char buf[24]
// CHECK-NEXT:    }
// CHECK-NEXT:    union {
// CHECK-NEXT:      double b
// CHECK-NEXT:      long c
// CHECK-NEXT:    }
// CHECK:       locals and parameters declared: 60 bytes in all
// CHECK: struct recursive_frame: [[REC:[0-9]+]] bytes
// CHECK:         struct recursive_frame *await_{{[0-9]+}}
// CHECK: struct both_frame: [[BOTH:[0-9]+]] bytes
// CHECK:         union {
// CHECK-NEXT:      struct {
// CHECK-NEXT:        struct leaf_frame b0
// CHECK-NEXT:        struct leaf_frame b1
// CHECK-NEXT:        unsigned pending
//
// CHECK: sizeof leaf_frame = [[LEAF]]
// CHECK: sizeof disjoint_frame = [[DISJOINT]]
// CHECK: sizeof recursive_frame = [[REC]]
// CHECK: sizeof both_frame = [[BOTH]]
#include <asyncc.h>

int printf(const char *, ...);

async int leaf(int x) {
  await(ac_yield());
  return x + 1;
}

/* a, b and c, buf live in sibling blocks: the frame overlaps them. */
async double disjoint(int n) {
  double r = 0;
  if (n > 0) {
    double a = n, b = n * 2;
    await(ac_yield());
    r = a + b;
  } else {
    long c = -n;
    char buf[24] = "x";
    await(ac_yield());
    r = (double)c + buf[0];
  }
  return r;
}

async long recursive(int n) {
  if (n == 0)
    return 0;
  long below = await(recursive(n - 1));
  return below + n;
}

async int both(void) {
  int a = 0, b = 0;
  await(ac_all(a = leaf(1), b = leaf(2)));
  return a + b;
}

async int main_async(void) {
  double d = await(disjoint(2)) + await(disjoint(-3));
  long r = await(recursive(4));
  int s = await(both());
  return (int)d + (int)r + s;
}

int main(void) { return ac_block_on(main_async()) == 0; }

#ifdef PRINT_SIZES
__attribute__((constructor)) static void print_sizes(void) {
  printf("sizeof leaf_frame = %zu\n", sizeof(struct leaf_frame));
  printf("sizeof disjoint_frame = %zu\n", sizeof(struct disjoint_frame));
  printf("sizeof recursive_frame = %zu\n", sizeof(struct recursive_frame));
  printf("sizeof both_frame = %zu\n", sizeof(struct both_frame));
}
#endif
