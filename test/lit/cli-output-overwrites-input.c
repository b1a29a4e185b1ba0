// Tests that an output path naming the input itself (directly, through
// another spelling, or as the input's name in the -o directory) is a usage
// error: exit status 2, a message, and the input left as it was.
// RUN: rm -rf %t.dir && mkdir -p %t.dir/sub && cp %s %t.dir/in.c && cp %s %t.dir/sub/in.c
// RUN: sh -c '%asyncc %t.dir/in.c -o %t.dir/in.c 2> %t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: sh -c '%asyncc %t.dir/in.c -o %t.dir/sub/../in.c 2> %t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: sh -c '%asyncc %t.dir/sub/in.c %s -o %t.dir/sub 2> %t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: cmp %s %t.dir/in.c
// RUN: cmp %s %t.dir/sub/in.c
//
// CHECK: asyncc: error: the output for '{{.*}}in.c' would overwrite it
#include <asyncc.h>

async void caller(void) {
  await(ac_yield());
}
