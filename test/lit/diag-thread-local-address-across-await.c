// Tests that a variable saved in the frame may not hold the address of a
// _Thread_local variable or of errno: after the await the task may run on
// another worker thread.  Each error points at the value, with a note at
// the variable's declaration; addresses used only before the await pass.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>
#include "Inputs/errno.h"

_Thread_local int counter;
_Thread_local struct { int hits[4]; } stats;
_Thread_local char name[16];
int shared;

async int init_from_tls(void) {
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE+1]]:12: error: 'p' holds the address of thread-local 'counter' across an await; the task may resume on another thread
  int *p = &counter;
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE-1]]:8: note: 'p' is declared here
  await(ac_yield());
  return *p;
}

async int assign_errno(void) {
  int *e;
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE+1]]:7: error: 'e' holds the address of thread-local 'errno' across an await
  e = &errno;
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE-3]]:8: note: 'e' is declared here
  await(ac_yield());
  return *e;
}

async int member_and_array(void) {
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE+1]]:12: error: 'h' holds the address of thread-local 'stats' across an await
  int *h = &stats.hits[2];
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE-1]]:8: note: 'h' is declared here
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE+1]]:13: error: 'n' holds the address of thread-local 'name' across an await
  char *n = (char *)name;
  // CHECK: diag-thread-local-address-across-await.c:[[@LINE-1]]:9: note: 'n' is declared here
  await(ac_yield());
  return *h + n[0];
}

/* Not refused: the address is not kept across the await, or is not a
 * thread's storage. */
async int fine(void) {
  int *before = &counter;
  *before = 1;
  int *s = &shared;
  int copy = errno;
  await(ac_yield());
  return *s + copy;
}
