// Tests a file that defines __func__ itself, as code written for
// compilers older than C99 does: in an async function the name is the
// async function's, and after it the file's own macro is back.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: FileCheck %s --check-prefix=OUT < %t.c
//
// CHECK: fetch: 1
// CHECK-NEXT: after: 2
//
// OUT:      {{^}}#pragma push_macro("__func__")
// OUT-NEXT: {{^}}#undef __func__
// OUT-NEXT: {{^}}#define __func__ func_name
// OUT:      {{^}}#pragma pop_macro("__func__")
// OUT-NEXT: {{^}}#undef __FUNCTION__

#include <asyncc.h>
#include <stdio.h>

#ifndef __func__
#define __func__ __FUNCTION__
#endif
#define TRACE(n) printf("%s: %d\n", __func__, (n))

static async int fetch(int x) {
  await(ac_yield());
  TRACE(x);
  return x + 1;
}

static void after(int n) { TRACE(n); }

static async int main_async(void) {
  after(await(fetch(1)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
