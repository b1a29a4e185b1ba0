// Tests async functions defined in another file, the two files transpiled and
// compiled apart: awaited, spawned, run with ac_block_on and raced, through
// their stubs (the functions under their own names); one declared without its
// parameters; static ones reached through a table of pointers that the other
// file fills; and that the caller's own names never clash with what asyncc
// generates for them (fetch_twice_result, note_init, fetch_twice_frame_size).
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
// CHECK-NEXT: spawned 20 raced 1 legacy 1003
// CHECK-NEXT: handlers 8 -7
// CHECK-NEXT: block_on 4 names 1 2 3
//
// EMIT:     struct ac_dyn {{await_[0-9_]+}};
// EMIT:     ac__dyn_call(&fr->sub.{{await_[0-9_]+}}, AC_DYN_AWAIT, cx, NULL);
// EMIT-NEXT: (void)note("start");
#include "cross-file.h"

int printf(const char *, ...);

/* Names a caller may well have, which asyncc generated for other files'
 * functions before they were reached through stubs. */
static int fetch_twice_result = 1;
static int note_init(void) { return 2; }
int fetch_twice_frame_size = 3;

static async int main_async(void) {
  await(note("start"));
  int a = await(fetch_twice(21));
  int b = a + await(fetch_twice(0)) + 2;
  printf("%d %d\n", a, b);
  AC_TASK(int) t = ac_spawn(fetch_twice(5));
  int won = await(ac_race(ac_sleep(100000), fetch_twice(1)));
  printf("spawned %d raced %d legacy %d\n", await(ac_join(t)), won,
         await(legacy(3)));
  int h0 = await(handlers[0](7)), h1 = await(handlers[1](7));
  printf("handlers %d %d\n", h0, h1);
  return 0;
}

int main(void) {
  int r = ac_block_on(main_async());
  printf("block_on %d names %d %d %d\n", ac_block_on(fetch_twice(1)),
         fetch_twice_result, note_init(), fetch_twice_frame_size);
  return r;
}
