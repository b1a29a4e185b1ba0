// Tests that --emit=html shows the source and the generated C side by
// side, each generated line linked to the source line it came from (lines
// generated from nothing marked), with the state graph and the frame
// layout, and nothing fetched from elsewhere.
// RUN: %asyncc --emit=html %s -o %t.html
// RUN: FileCheck %s < %t.html
// RUN: not grep -E '<[a-z]+( [^>]*)? (src|href)=|@[i]mport|url\([^#]' %t.html
//
// CHECK:      <div class="code" id="src">
// CHECK:      <div class="ln" id="s[[#AW:@LINE+24]]"
// CHECK-SAME: data-line="[[#AW]]"><span class="no">[[#AW]]</span>  <span class="aw">await</span>(ac_yield());</div>
// CHECK:      <div class="code" id="gen">
// CHECK:      <div class="ln made" id="g{{[0-9]+}}"><span class="no">{{[0-9]+}}</span><span class="kw">enum</span> work_state {</div>
// CHECK:      <div class="ln" id="g{{[0-9]+}}" data-src="[[#AW]]"><span class="no">{{[0-9]+}}</span>  fr-&gt;state = <span class="k">WORK_L[[#AW]]</span>;</div>
// CHECK-NEXT: <div class="ln" id="g{{[0-9]+}}" data-src="[[#AW]]">{{.*}}ac_yield_init(
// CHECK:      <div class="ln" id="g{{[0-9]+}}" data-src="[[#AW+1]]">{{.*}}fr-&gt;result = fr-&gt;n + <span class="n">1</span>;</div>
// CHECK:      <div class="ln made" id="g{{[0-9]+}}">{{.*}}work_drop(<span class="kw">void</span> *self) {</div>
//
// CHECK:      <svg xmlns="http://www.w3.org/2000/svg" class="graphs"
// CHECK:      <g class="edge" data-fn="work" data-from="WORK_START" data-to="WORK_L[[#AW]]"><title>line [[#AW]]: await(ac_yield())</title>
// CHECK:      <g class="edge" data-fn="work" data-from="WORK_L[[#AW]]" data-to="WORK_DONE">
// CHECK:      <g class="node" data-fn="work" data-state="WORK_START">
// CHECK:      <g class="node" data-fn="work" data-state="WORK_DONE">
// CHECK:      <g class="node" data-fn="work" data-state="WORK_L[[#AW]]" data-line="[[#AW]]">
//
// CHECK:      <h3>struct work_frame: {{[0-9]+}} bytes, align {{[0-9]+}} ({{.*}}emit-html.c:[[#AW-1]])</h3>
// CHECK:      <td class="field" style="padding-left:1ch">int n</td>
// CHECK:      <td class="field" style="padding-left:3ch">struct ac_yield_frame await_[[#AW]]</td>
// CHECK:      <script>
#include <asyncc.h>

/* "<&>" are escaped. */
async int work(int n) {
  await(ac_yield());
  return n + 1;
}
