// Tests a file that #includes itself: the async function defined in the
// second pass over the file is still the input's own, so its frame is
// embedded in the caller's rather than allocated as another file's.
// The callee's frame is declared in front of the caller's, which embeds it.
// RUN: %asyncc --no-line %s -o - | FileCheck %s
//
// CHECK-NOT: struct twice_frame; /* defined in {{another}} file */
// CHECK:     /* async twice: {{.*}}self-include.c:{{[0-9]+}} */
// CHECK:     struct twice_frame await_{{[0-9_]+}};
// CHECK:     twice_init(&fr->sub.await_{{[0-9_]+}}, 2);
#ifndef SELF_INCLUDE_ONCE
#define SELF_INCLUDE_ONCE
#include <asyncc.h>

async int get(int x) {
  await(ac_yield());
  return x;
}

#include "self-include.c"

async int caller(void) {
  return await(get(1)) + await(twice(2));
}
#else
async int twice(int x) {
  int y = await(get(x));
  return y * 2;
}
#endif
