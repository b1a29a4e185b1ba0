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

static unsigned edit_start(Lowered *lw, int i) {
  return ((Edit *)lw->edits.items[i])->r.start;
}

/* The index of the first edit starting at or after `pos` (edits are kept
 * sorted by start).  The search gallops back from the end before it
 * bisects: the edits asked about are mostly the function's being lowered,
 * the last ones added. */
static int lower_bound(Lowered *lw, unsigned pos) {
  int hi = lw->edits.len, lo = hi - 1, step = 1;
  while (lo >= 0 && edit_start(lw, lo) >= pos) {
    hi = lo;
    lo -= step;
    step *= 2;
  }
  lo = lo < 0 ? 0 : lo + 1;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (edit_start(lw, mid) < pos)
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
  /* Edits mostly come in order of their starts: then e goes last. */
  int n = lw->edits.len;
  int at = n == 0 || ((Edit *)lw->edits.items[n - 1])->r.start <= r.start
               ? n
               : lower_bound(lw, r.start + 1);
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

/* ---- Code lines ----------------------------------------------------------- */

/* Text assembled on the stack and appended to a buffer in large pieces:
 * generated lines are made of many short strings, and a buf_putn for each
 * costs more than copying it. */
typedef struct {
  Buf *out;
  size_t len;
  char s[512];
} Pieces;

static void pieces_flush(Pieces *p) {
  buf_putn(p->out, p->s, p->len);
  p->len = 0;
}

static void pieces_putn(Pieces *p, const char *s, size_t n) {
  if (p->len + n > sizeof p->s) {
    pieces_flush(p);
    if (n > sizeof p->s) {
      buf_putn(p->out, s, n);
      return;
    }
  }
  memcpy(p->s + p->len, s, n);
  p->len += n;
}

static void pieces_puts(Pieces *p, const char *s) {
  pieces_putn(p, s, strlen(s));
}

static void pieces_unsigned(Pieces *p, unsigned v) {
  char digits[16];
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  pieces_putn(p, digits + i, sizeof digits - i);
}

static void line_directive(Lower *L, Code *c, Pieces *p, unsigned line) {
  if (!L->opt->line_directives)
    return;
  /* The lines of a statement's code mostly stand for one source line:
   * the last directive, already in the buffer, is copied (when it fits,
   * so that no flush can move the buffer it is copied from). */
  if (c->directive_len && c->directive_line == line &&
      p->len + c->directive_len <= sizeof p->s) {
    memcpy(p->s + p->len, c->b.s + c->directive_at, c->directive_len);
    p->len += c->directive_len;
    return;
  }
  pieces_flush(p);
  c->directive_line = line;
  c->directive_at = c->b.len;
  const char *path = L->tu->path;
  pieces_putn(p, "#line ", 6);
  pieces_unsigned(p, line);
  pieces_putn(p, " \"", 2);
  size_t plain = strcspn(path, "\"\\");
  if (path[plain]) {
    pieces_flush(p);
    buf_put_escaped(p->out, path, "\"\\");
  } else {
    pieces_putn(p, path, plain);
  }
  pieces_putn(p, "\"\n", 2);
  pieces_flush(p);
  c->directive_len = c->b.len - c->directive_at;
}

/* Starts a code line: the separator, the #line directive, the indentation
 * (without its last `outdent` characters). */
static void start_line_outdented(Lower *L, Code *c, unsigned line,
                                 size_t outdent, Pieces *p) {
  p->out = &c->b;
  p->len = 0;
  if (c->b.len)
    pieces_putn(p, "\n", 1);
  line_directive(L, c, p, line);
  pieces_putn(p, c->indent, strlen(c->indent) - outdent);
  for (int i = 0; i < c->depth; i++)
    pieces_putn(p, "  ", 2);
}

static void start_code_line(Lower *L, Code *c, unsigned line, Pieces *p) {
  start_line_outdented(L, c, line, 0, p);
}

void code_line(Lower *L, Code *c, unsigned line, const char *fmt, ...) {
  Pieces p;
  start_code_line(L, c, line, &p);
  pieces_flush(&p);
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&c->b, fmt, ap);
  va_end(ap);
}

void code_text(Lower *L, Code *c, unsigned line, const char *text) {
  Pieces p;
  start_code_line(L, c, line, &p);
  pieces_puts(&p, text);
  pieces_flush(&p);
}

void code_parts(Lower *L, Code *c, unsigned line, ...) {
  Pieces p;
  start_code_line(L, c, line, &p);
  va_list ap;
  va_start(ap, line);
  for (const char *s; (s = va_arg(ap, const char *));)
    pieces_puts(&p, s);
  va_end(ap);
  pieces_flush(&p);
}

char *code_cat(Arena *a, ...) {
  Buf b = {0};
  Pieces p;
  p.out = &b;
  p.len = 0;
  va_list ap;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));)
    pieces_puts(&p, s);
  va_end(ap);
  if (!b.len)
    return arena_strndup(a, p.s, p.len); /* the usual case: it fit */
  pieces_flush(&p);
  return buf_take(a, &b);
}

/* A label line, outdented by one level like a case label. */
void code_label(Lower *L, Code *c, unsigned line, const char *label) {
  const char *indent = c->indent;
  size_t n = strlen(indent);
  Pieces p;
  if (c->depth > 0) {
    c->depth--;
    start_code_line(L, c, line, &p);
    c->depth++;
  } else {
    bool two = n >= 2 && indent[n - 1] == ' ' && indent[n - 2] == ' ';
    start_line_outdented(L, c, line, two ? 2 : 0, &p);
  }
  pieces_puts(&p, label);
  pieces_putn(&p, ":;", 2);
  pieces_flush(&p);
}

/* ---- Rendering ---------------------------------------------------------- */

/* Order of application: by start; at one start the insertions first, in
 * the order they were added, then the widest edit, then the one added
 * last. */
static bool precedes(Edit *e, Edit *best) {
  if (e->r.start != best->r.start)
    return e->r.start < best->r.start;
  bool e_ins = e->r.start == e->r.end, b_ins = best->r.start == best->r.end;
  if (e_ins || b_ins)
    return e_ins && !b_ins;
  return e->r.end >= best->r.end;
}

/* The outermost edit starting at or after `pos` inside `r`; among equal
 * ranges the one added last, which was rendered from the others.  *from
 * is an index at or before the first edit starting at or after `pos`: the
 * renderer's positions only grow, so it moves forward rather than being
 * searched for anew.  Insertions at `pos` up to index `done` are already
 * applied; *index is set to the edit's. */
static Edit *next_edit(Lowered *lw, int *from, unsigned pos, Range r, int done,
                       int *index) {
  while (*from < lw->edits.len && edit_start(lw, *from) < pos)
    (*from)++;
  Edit *best = NULL;
  for (int i = *from; i < lw->edits.len; i++) {
    Edit *e = lw->edits.items[i];
    if (e->r.start >= r.end || (best && e->r.start > best->r.start))
      break;
    if (e->r.end > r.end || (e->r.start == e->r.end && i <= done))
      continue;
    /* A re-rendered node's edit of exactly the range being rendered is an
     * older text of the same node (nodes from a macro's body share the
     * invocation's range): render anew from the edits inside it. */
    if (e->rerender && range_equal(e->r, r))
      continue;
    if (!best || precedes(e, best)) {
      best = e;
      *index = i;
    }
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
  int from = lower_bound(lw, pos);
  int done = -1; /* an insertion (empty range) is applied once */
  int i;
  for (Edit *e; (e = next_edit(lw, &from, pos, r, done, &i));) {
    done = e->r.start == e->r.end ? i : -1;
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

