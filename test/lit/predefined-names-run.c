// Tests that __func__, __FUNCTION__ and __PRETTY_FUNCTION__ in an async
// function, written in the body or by a macro (assert's message uses
// __PRETTY_FUNCTION__), name the async function as in the sync view and
// not the poll function the body moves into; with gcc and with clang,
// which spells __PRETTY_FUNCTION__ as the signature.  A function that
// names none of them gets no extra lines.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t > %t.out
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync > %t.sync.out
// RUN: diff %t.sync.out %t.out && FileCheck %s < %t.out
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT
//
// CHECK: enter named
// CHECK-NEXT: after named 3
// CHECK-NEXT: where: named
// CHECK-NEXT: function: named
// CHECK-NEXT: size: 6
// CHECK-NEXT: returned: named
// CHECK-NEXT: pretty: {{int named\(int\)|named}}
// CHECK-NEXT: fp: {{int \(\*fp\(const char \*\)\)\(int\)|fp}}
// CHECK-NEXT: main_async 7
//
// Compiled by clang (predefined-names-clang-run.c):
// CLANG: pretty: int named(int)
// CLANG: fp: int (*fp(const char *))(int)
//
// OUT-LABEL: {{^}}static AC_MAYBE_UNUSED ac_poll fp_poll(void *self
// OUT:       {{^}}  static AC_MAYBE_UNUSED const char pretty_name[] = "int (*fp(const char *))(int)";
// OUT-LABEL: {{^}}static AC_MAYBE_UNUSED ac_poll plain_poll(void *self
// OUT-NOT:   {{func_name|__func__}}
// OUT:       {{^}}static AC_MAYBE_UNUSED void plain_drop(void *self
// OUT-LABEL: {{^}}static AC_MAYBE_UNUSED ac_poll named_poll(void *self
// OUT:       {{^}}  static AC_MAYBE_UNUSED const char func_name[] = "named";
// OUT-NEXT:  {{^}}#define __func__ func_name
// OUT-NEXT:  {{^}}#define __FUNCTION__ func_name
// OUT-NEXT:  {{^}}#ifdef __clang__
// OUT-NEXT:  {{^}}  static AC_MAYBE_UNUSED const char pretty_name[] = "int named(int)";
// OUT:       {{^}}#undef __PRETTY_FUNCTION__

#include <asyncc.h>
#include <stdio.h>
#include <string.h>

#define WHERE() printf("where: %s\n", __func__)

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async const char *who(void) {
  await(ac_yield());
  return __func__; /* a static array: still there after the return */
}

static int twice(int x) { return 2 * x; }

static async int (*fp(const char *s))(int) {
  await(ac_yield());
  printf("fp: %s\n", __PRETTY_FUNCTION__);
  (void)s;
  return twice;
}

static async int plain(int x) { return await(val(x)) + 1; }

static async int named(int x) {
  printf("enter %s\n", __func__);
  int y = await(val(x));
  printf("after %s %d\n", __func__, y);
  WHERE();
  printf("function: %s\n", __FUNCTION__);
  printf("size: %zu\n", sizeof __func__);
  const char *w = await(who());
  printf("returned: %s\n", strcmp(w, "who") == 0 ? "named" : w);
  printf("pretty: %s\n", __PRETTY_FUNCTION__);
  return y;
}

static async int main_async(void) {
  int r = await(named(3));
  int (*f)(int) = await(fp("x"));
  printf("%s %d\n", __func__, f(r) + await(plain(0)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
