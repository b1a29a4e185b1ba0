// Tests line splices inside async functions: in the middle of 'await',
// 'if', 'while' and an awaited call, and before the '(', ';' and ')' of
// a for statement that awaits in every part.  The transformed program,
// suspended or not, agrees with the sync view, and the same file with
// CRLF line ends is handled alike.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: sed 's/$/\r/' %s > %t.crlf.c && %asyncc %t.crlf.c -o %t.crlf.out.c && %cc %t.crlf.out.c %ac_rt -o %t.crlf && %t.crlf | FileCheck %s
// CHECK: sum 30 last 4
// CHECK: spliced 206
#include <asyncc.h>
#include <stdio.h>

static async int id(int x) {
  await(ac_yield());
  return x;
}

static async int sum(void) {
  int s = 0, last = -1;
  for \
(int i = await(id(0))\
; i < await(id(5))\
  ; i += await(id(1))\
) {
    s += await(id(i * 3));
    last = i;
  }
  printf("sum %d last %d\n", s, last);
  return s;
}

static async int spliced(int a) {
  int s = aw\
ait(id(a\
 + 1));
  s += await \
 ( id \
 (s));
  i\
f (s > 3) s += await(id(100));
  whi\
le (s < 200) s += await(id(1));
  do s += await(id(2)); wh\
ile (s < 205);
  printf("spliced %d\n", s);
  return s;
}

static async int both(void) { return await(sum()) + await(spliced(2)); }

int main(void) { return ac_block_on(both()) == 236 ? 0 : 1; }
