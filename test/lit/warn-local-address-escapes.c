// Tests the warnings about a local's address outliving the frame it lives
// in: returned (which the sync view's compiler warns about, and the output
// would hide), passed to a task nothing joins, or stored in a file-scope or
// static variable; and that a task joined, aborted or added to a scope is
// not warned about.
// RUN: %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %cc -c %t.c -o %t.o
#include <asyncc.h>

struct box {
  int v[4];
};

int *kept;

static async int use(int *p) {
  await(ac_yield());
  return *p;
}

static async int *give_back(void) {
  int x = 1;
  await(ac_yield());
  // CHECK: warn-local-address-escapes.c:[[@LINE+1]]:10: warning: async function 'give_back' returns the address of its local 'x', which lives in its frame: the frame is freed when 'give_back' finishes
  return &x;
}

static async int *element(void) {
  struct box b = {{1, 2, 3, 4}};
  await(ac_yield());
  // CHECK: warn-local-address-escapes.c:[[@LINE+1]]:10: warning: async function 'element' returns the address of its local 'b'
  return b.v + 2;
}

static async void spawns(void) {
  int y = 2;
  static int *also;
  // CHECK: warn-local-address-escapes.c:[[@LINE+2]]:31: warning: the address of local 'y' goes to a task that may outlive 'spawns': 'y' lives in the frame of 'spawns'
  // CHECK: warn-local-address-escapes.c:[[@LINE+1]]:18: note: join the task
  ac_task_detach(ac_spawn(use(&y)));
  AC_TASK(int) joined = ac_spawn(use(&y));
  AC_TASK(int) many[2];
  for (int i = 0; i < 2; i++)
    many[i] = ac_spawn(use(&y));
  ac_scope s;
  ac_scope_init(&s);
  ac_scope_add(&s, ac_spawn_void(use(&y)));
  await(ac_join(joined));
  for (int i = 0; i < 2; i++)
    await(ac_join(many[i]));
  await(ac_scope_join(&s));
  // CHECK: warn-local-address-escapes.c:[[@LINE+1]]:10: warning: the address of local 'y' is stored in 'kept', which outlives the frame of 'spawns' that 'y' lives in
  kept = &y;
  // CHECK: warn-local-address-escapes.c:[[@LINE+1]]:10: warning: the address of local 'y' is stored in 'also'
  also = &y;
  kept = also;
  int *fine = &y; /* a local pointer: no warning */
  *fine = 3;
}
