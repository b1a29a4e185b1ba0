// Tests that an ac_spawn or ac_block_on written inside a macro's definition is refused where the macro is used, while one passed to a macro as an argument is not.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
// (Errors come out block_on first, so the checks are unordered.)
#include <asyncc.h>

#define ADD_TASK(list, e) add_task((list), ac_spawn(e))
#define KEEP(h) (h)

int add_task(int *list, void *h);

async int work(int x) {
  await(ac_yield());
  return x;
}

async int caller(int *list) {
  // CHECK-DAG: diag-spawn-in-macro-body.c:[[@LINE+1]]:3: error: 'ac_spawn' inside the definition of a macro
  ADD_TASK(list, work(1));
  return add_task(list, KEEP(ac_spawn(work(2))));
}

int plain(int *list) {
  // CHECK-DAG: diag-spawn-in-macro-body.c:[[@LINE+1]]:10: error: 'ac_spawn' inside the definition of a macro
  return ADD_TASK(list, work(3));
}

#define RUN(x) report(ac_block_on(work(x)))
int report(int);

int main(void) {
  // CHECK-DAG: diag-spawn-in-macro-body.c:[[@LINE+1]]:10: error: 'ac_block_on' inside the definition of a macro
  return RUN(4) + report(KEEP(ac_block_on(work(5))));
}
