/* code.c -- the text the lowering produces: edits over the source, and
 * lines of generated code.
 *
 * Each generated line records which source line it stands for, so that
 * with #line directives compiler messages and debuggers point at the
 * original.  Lines are joined with '\n', with no final newline: a text
 * replaces a range that the source's own newline follows. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

/* The index of the first edit starting at or after `pos` (edits are kept
 * sorted by start). */
static int lower_bound(Lowered *lw, unsigned pos) {
  int lo = 0, hi = lw->edits.len;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (((Edit *)lw->edits.items[mid])->r.start < pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Inserts after the edits with the same start: among equal ranges the last
 * added is found last, and wins (see next_edit). */
Edit *code_add(Arena *a, Lowered *lw, Range r, const char *text) {
  Edit *e = arena_alloc(a, sizeof *e);
  e->r = r;
  e->text = text;
  int at = lower_bound(lw, r.start + 1);
  vec_push(a, &lw->edits, e);
  memmove(&lw->edits.items[at + 1], &lw->edits.items[at],
          sizeof(void *) * (size_t)(lw->edits.len - 1 - at));
  lw->edits.items[at] = e;
  return e;
}

void code_edit(Lower *L, Range r, const char *text) {
  code_add(L->a, L->lw, r, text);
}

void code_rerender(Lower *L, Range r, const char *text) {
  code_add(L->a, L->lw, r, text)->rerender = true;
}

static void line_directive(const Options *opt, Tu *tu, Buf *b, unsigned line) {
  if (!opt->line_directives)
    return;
  buf_printf(b, "#line %u \"", line);
  buf_put_escaped(b, tu->path, "\"\\");
  buf_puts(b, "\"\n");
}

void code_line(Lower *L, Code *c, unsigned line, const char *fmt, ...) {
  if (c->b.len)
    buf_puts(&c->b, "\n");
  line_directive(L->opt, L->tu, &c->b, line);
  buf_puts(&c->b, c->indent);
  for (int i = 0; i < c->depth; i++)
    buf_puts(&c->b, "  ");
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&c->b, fmt, ap);
  va_end(ap);
}

/* A label line, outdented by one level like a case label. */
void code_label(Lower *L, Code *c, unsigned line, const char *label) {
  const char *indent = c->indent;
  size_t n = strlen(indent);
  if (c->depth > 0) {
    c->depth--;
    code_line(L, c, line, "%s:;", label);
    c->depth++;
    return;
  }
  if (n >= 2 && indent[n - 1] == ' ' && indent[n - 2] == ' ')
    c->indent = arena_strndup(L->a, indent, n - 2);
  code_line(L, c, line, "%s:;", label);
  c->indent = indent;
}

/* ---- Rendering ---------------------------------------------------------- */

/* Order of application: by start; at one start an insertion comes first,
 * then the widest edit, then the one added last. */
static bool precedes(Edit *e, Edit *best) {
  if (e->r.start != best->r.start)
    return e->r.start < best->r.start;
  bool e_ins = e->r.start == e->r.end, b_ins = best->r.start == best->r.end;
  if (e_ins != b_ins)
    return e_ins;
  return e->r.end >= best->r.end;
}

/* The outermost edit starting at or after `pos` inside `r`; among equal
 * ranges the one added last, which was rendered from the others. */
static Edit *next_edit(Lowered *lw, unsigned pos, Range r, Edit *skip) {
  Edit *best = NULL;
  for (int i = lower_bound(lw, pos); i < lw->edits.len; i++) {
    Edit *e = lw->edits.items[i];
    if (e->r.start >= r.end || (best && e->r.start > best->r.start))
      break;
    if (e == skip || e->r.end > r.end)
      continue;
    /* A re-rendered node's edit of exactly the range being rendered is an
     * older text of the same node (nodes from a macro's body share the
     * invocation's range): render anew from the edits inside it. */
    if (e->rerender && e->r.start == r.start && e->r.end == r.end)
      continue;
    if (!best || precedes(e, best))
      best = e;
  }
  return best;
}

/* Ends the output's current line, or drops it if it holds only blanks. */
static void start_line(Buf *out) {
  size_t i = out->len;
  while (i > 0 && (out->s[i - 1] == ' ' || out->s[i - 1] == '\t'))
    i--;
  if (i == 0 || out->s[i - 1] == '\n') {
    out->len = i;
    out->s[i] = '\0';
  } else {
    buf_puts(out, "\n");
  }
}

void render_range(Tu *tu, Lowered *lw, Range r, Buf *out) {
  unsigned pos = r.start;
  Edit *inserted = NULL; /* an insertion (empty range) is applied once */
  for (Edit *e; (e = next_edit(lw, pos, r, inserted));) {
    if (e->r.start == e->r.end)
      inserted = e;
    buf_putn(out, tu->src + pos, e->r.start - pos);
    /* Multi-line replacements start on a line of their own, where a #line
     * directive may stand; they bring their own indentation. */
    if (strchr(e->text, '\n') && out->len)
      start_line(out);
    buf_puts(out, e->text);
    pos = e->r.end;
  }
  buf_putn(out, tu->src + pos, r.end - pos);
}

char *code_render(Lower *L, Range r) {
  Buf b = {0};
  render_range(L->tu, L->lw, r, &b);
  return buf_take(L->a, &b);
}

