// Tests that running asyncc without -o is a usage error: exit status 2, a
// message naming the missing option, and nothing on standard output.
// RUN: sh -c '%asyncc %s > %t.out 2> %t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: count 0 < %t.out
//
// CHECK: asyncc: error: no output file: use '-o FILE' or '-o -'
#include <asyncc.h>

async void caller(void) {
  await(ac_yield());
}
