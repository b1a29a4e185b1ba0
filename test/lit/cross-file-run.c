// Tests that an async function declared in a header and defined in another file is awaited through its exported frame size and result accessor, with the two files transpiled and compiled separately.
// RUN: %asyncc -I%S/Inputs %S/Inputs/cross-file-lib.c -o %t.lib.c
// RUN: %asyncc -I%S/Inputs %s -o %t.main.c
// RUN: %cc -I%S/Inputs -c %t.lib.c -o %t.lib.o
// RUN: %cc -I%S/Inputs -c %t.main.c -o %t.main.o
// RUN: %cc %t.main.o %t.lib.o %ac_rt -o %t
// RUN: %t | FileCheck %s
// RUN: %asyncc --no-line -I%S/Inputs %s -o - | FileCheck %s --check-prefix=EMIT
// REQUIRES: runtime
//
// CHECK: note: start
// CHECK-NEXT: 84 86
//
// EMIT: struct fetch_twice_frame; /* defined in another file */
// EMIT: extern const size_t fetch_twice_frame_size;
// EMIT: int fetch_twice_result(struct fetch_twice_frame *);
// EMIT: struct fetch_twice_frame *{{await_[0-9_]+}};
// EMIT: ac_frame_alloc(cx, fetch_twice_frame_size)
#include "cross-file.h"

int printf(const char *, ...);

static async int main_async(void) {
  await(note("start"));
  int a = await(fetch_twice(21));
  int b = a + await(fetch_twice(0)) + 2;
  printf("%d %d\n", a, b);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
