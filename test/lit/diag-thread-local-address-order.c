// Tests that thread-local addresses kept across an await are reported per
// variable in declaration order, each at every assignment in source order,
// wherever in the body the assignment sits.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error: --implicit-check-not=note:
// RUN: test ! -e %t.c
#include <asyncc.h>

_Thread_local int counter;
_Thread_local int limit;

async int both(int n) {
  int *p = 0;
  int *q = 0;
  if (n)
    q = &limit;
  for (p = &counter; n > 0; n--)
    q = (int *)&counter;
  await(ac_yield());
  return *p + *q;
}
// CHECK: diag-thread-local-address-order.c:17:12: error: 'p' holds the address of thread-local 'counter' across an await
// CHECK: diag-thread-local-address-order.c:13:8: note: 'p' is declared here
// CHECK: diag-thread-local-address-order.c:16:9: error: 'q' holds the address of thread-local 'limit' across an await
// CHECK: diag-thread-local-address-order.c:14:8: note: 'q' is declared here
// CHECK: diag-thread-local-address-order.c:18:9: error: 'q' holds the address of thread-local 'counter' across an await
// CHECK: diag-thread-local-address-order.c:14:8: note: 'q' is declared here
