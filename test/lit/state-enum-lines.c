// Tests that each await gets a state named after its source line, a second
// await on one line gets a _2 suffix, and each state's comment names file:line
// and the await's text.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: enum two_state {
// CHECK-NEXT:    TWO_START,
// CHECK-NEXT:    TWO_L[[#@LINE+10]], /* line [[#@LINE+10]]: await(one()) */
// CHECK-NEXT:    TWO_L[[#@LINE+10]], /* line [[#@LINE+10]]: await(one()) */
// CHECK-NEXT:    TWO_L[[#@LINE+9]]_2, /* line [[#@LINE+9]]: await(one( )) */
// CHECK-NEXT:    TWO_DONE,
// CHECK-NEXT:  };
#include <asyncc.h>

async int one(void) { await(ac_yield()); return 1; }

async int two(void) {
  int a = await(one());
  int b = await(one()) + await(one(  ));
  return a + b;
}
