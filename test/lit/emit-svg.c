// Tests that --emit=svg draws the state graph of --emit=dot: every state
// a box, every transition an edge, the loop's among them (through the
// budget check at the top of the loop's body).
// RUN: %asyncc --emit=svg %s -o - | FileCheck %s
//
// CHECK:      <svg xmlns="http://www.w3.org/2000/svg" class="graphs"
// CHECK:      <g class="graph" data-fn="spin"
// CHECK-NEXT: <text x="{{[0-9]+}}" y="{{[0-9]+}}" class="title">async spin ({{.*}}emit-svg.c:[[#@LINE+15]])</text>
// CHECK-NEXT: <g class="edge" data-fn="spin" data-from="SPIN_START" data-to="[[B:SPIN_L[0-9]+_LOOP]]">
// CHECK-NEXT: <g class="edge" data-fn="spin" data-from="SPIN_START" data-to="SPIN_DONE">
// CHECK-NEXT: <g class="edge" data-fn="spin" data-from="[[L:SPIN_L[0-9]+]]" data-to="[[B]]">
// CHECK-NEXT: <g class="edge" data-fn="spin" data-from="[[L]]" data-to="SPIN_DONE">
// CHECK-NEXT: <g class="edge" data-fn="spin" data-from="[[B]]" data-to="[[L]]">
// CHECK-NEXT: <g class="node" data-fn="spin" data-state="SPIN_START">
// CHECK-NEXT: <g class="node" data-fn="spin" data-state="SPIN_DONE">
// CHECK-NEXT: <g class="node" data-fn="spin" data-state="[[L]]" data-line="[[#@LINE+9]]"><title>[[L]]
// CHECK-NEXT: line [[#@LINE+8]]: await(ac_yield())</title>
// CHECK:      <g class="node" data-fn="spin" data-state="[[B]]" data-line="[[#@LINE+6]]"><title>[[B]]
// CHECK-NEXT: line [[#@LINE+5]]: the loop's budget check</title>
// CHECK:      </svg>
#include <asyncc.h>

async void spin(int n) {
  while (n-- > 0)
    await(ac_yield());
}
