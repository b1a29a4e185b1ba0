// Tests that by default the output carries #line directives: generated code
// points at the output file's own lines, the poll body at the source lines, so
// compiler diagnostics point at the original source.
// RUN: %asyncc %s -o %t.c
// RUN: FileCheck %s --input-file %t.c --match-full-lines
// RUN: not %cc -c %t.c -o %t.o 2>&1 | FileCheck %s --check-prefix=CC
//
// CHECK:       /* async work: {{.*}}line-directives-default.c:[[#@LINE+27]] */
// CHECK-LABEL: struct work_frame {
// CHECK:       static AC_MAYBE_UNUSED ac_poll work_poll(void *self, ac_cx *cx) {
// CHECK:         }
// CHECK-EMPTY:
// CHECK-NEXT:  #line [[#@LINE+23]] "{{.*}}line-directives-default.c"
// CHECK-NEXT:    int unused_here = 0;
// CHECK-NEXT:    fr->state = {{WORK_L[0-9_]+}};
// CHECK-NEXT:  #line [[#@LINE+21]] "{{.*}}line-directives-default.c"
// CHECK-NEXT:    ac_yield_init(&fr->sub.await_{{[0-9]+}});
// CHECK:         if (ac_yield_poll(&fr->sub.await_{{[0-9]+}}, cx) == AC_PENDING)
// CHECK-NEXT:  #line [[#@LINE+18]] "{{.*}}line-directives-default.c"
// CHECK-NEXT:      return AC_PENDING;
// CHECK-NEXT:    fr->result = 1;
// CHECK-NEXT:  #line [[#@LINE+16]] "{{.*}}line-directives-default.c"
// CHECK-NEXT:    fr->state = WORK_DONE;
// CHECK:         return AC_READY;
// CHECK-NEXT:  }
// CHECK-NEXT:  #line {{[0-9]+}} "{{.*}}line-directives-default.c.tmp.c"
//
// The unused local is reported at its line and column in this file.
// CC: line-directives-default.c:[[@LINE+7]]:7: error: unused variable 'unused_here'
// CC-NOT: error:
#include <asyncc.h>

int printf(const char *, ...);

async int work(void) {
  int unused_here = 0;
  await(ac_yield());
  return 1;
}
