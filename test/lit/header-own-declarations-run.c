// Tests that <asyncc.h> brings in only what its own declarations need: old
// code that declares a C library function its own way (here strlen, as
// `int strlen(char *)`, with no <string.h>) still compiles, transformed and
// as the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc -Wno-builtin-declaration-mismatch %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %cc -Wno-builtin-declaration-mismatch %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// (gcc warns about any such declaration, <string.h> or not: the warning is
// off here.)
// CHECK: length 5
#include <asyncc.h>

int strlen(char *s);
int printf(const char *, ...);

int strlen(char *s) {
  int n = 0;
  while (s[n])
    n++;
  return n;
}

static async int measure(char *s) {
  char copy[8] = "hello";
  await(ac_yield());
  return strlen(s) + strlen(copy) - 5;
}

int main(void) {
  printf("length %d\n", ac_block_on(measure("hello")));
  return 0;
}
