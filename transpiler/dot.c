/* dot.c -- `--emit=dot`: each async function's state machine as a
 * Graphviz graph.  Nodes are states; an edge says which state can follow
 * which, labelled with the line and the awaited call. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

static void edge(Buf *b, const char *from, AwaitSite *to) {
  buf_printf(b, "    %s -> %s [label=\"line %u: ", from, to->state, to->line);
  buf_put_line_of(b, to->text, "\"\\");
  buf_puts(b, "\"];\n");
}

static void fn_graph(AsyncFn *fn, Buf *b) {
  char start[256], done[256];
  snprintf(start, sizeof start, "%s_START", fn->upper);
  snprintf(done, sizeof done, "%s_DONE", fn->upper);
  buf_printf(b, "  subgraph cluster_%s {\n    label=\"async %s (%s:%u)\";\n",
             fn->name, fn->name, fn->tu->path, fn->line);
  buf_printf(b, "    %s [shape=circle];\n    %s [shape=doublecircle];\n",
             start, done);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    buf_printf(b, "    %s [shape=box];\n", aw->state);
  }
  for (int i = 0; i < fn->start_next.len; i++)
    edge(b, start, fn->start_next.items[i]);
  if (fn->start_done)
    buf_printf(b, "    %s -> %s;\n", start, done);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    for (int k = 0; k < aw->next.len; k++)
      edge(b, aw->state, aw->next.items[k]);
    if (aw->done)
      buf_printf(b, "    %s -> %s;\n", aw->state, done);
  }
  buf_puts(b, "  }\n");
}

void dot_print(Tu *tu, Buf *out) {
  buf_puts(out, "digraph asyncc {\n  node [fontname=\"monospace\"];\n"
                "  edge [fontname=\"monospace\", fontsize=10];\n");
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      fn_graph(fn, out);
  }
  buf_puts(out, "}\n");
}
