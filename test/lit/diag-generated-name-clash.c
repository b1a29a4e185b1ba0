// Tests that an async function defined in the file is refused when a
// file-scope name, in the file or in a header, is one that asyncc
// generates for it (docs/abi.md), or a macro has such a name, and that an
// async function whose name only looks generated, or a hand-written future
// (a declaration with its own frame and functions), is fine.
// RUN: rm -f %t.c
// RUN: not %asyncc %s -o %t.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.c
#include <asyncc.h>

#include "Inputs/generated-names.h"

int store_poll = 3;

// Reported once, at the definition.
static async int store(void);

// CHECK: diag-generated-name-clash.c:[[@LINE+1]]:1: error: async function 'store' needs the name 'store_poll' (docs/abi.md), which {{.*}}diag-generated-name-clash.c:13 already declares; rename one of them
static async int store(void) {
  await(ac_yield());
  return store_poll;
}

// CHECK: diag-generated-name-clash.c:[[@LINE+1]]:1: error: async function 'fetch' needs the name 'fetch_frame' (docs/abi.md), which {{.*}}generated-names.h:2 already declares; rename one of them
static async int fetch(void) {
  await(ac_yield());
  return 1;
}

#define GRAB_DONE 1

// CHECK: diag-generated-name-clash.c:[[@LINE+1]]:1: error: async function 'grab' needs the name 'GRAB_DONE' (docs/abi.md), which is defined as a macro; rename one of them
static async int grab(void) {
  await(ac_yield());
  return GRAB_DONE;
}

/* 'step' generates step_init, ...; 'step_init' itself is async and
 * becomes step_init_init, ...: no clash. */
static async int step_init(void) {
  await(ac_yield());
  return 2;
}

static async int step(void) { return await(step_init()); }

/* A hand-written future that is ready at once. */
async int ready(void);
struct ready_frame {
  int result;
};
void ready_init(struct ready_frame *fr) { fr->result = 7; }
ac_poll ready_poll(void *fr, ac_cx *cx) {
  (void)fr;
  (void)cx;
  return AC_READY;
}
void ready_drop(void *fr) { (void)fr; }

static async int use_ready(void) { return await(ready()); }

int main(void) {
  return ac_block_on(store()) + ac_block_on(fetch()) + ac_block_on(grab()) +
         ac_block_on(step()) + ac_block_on(use_ready());
}
