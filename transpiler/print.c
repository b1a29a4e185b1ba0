/* print.c -- the one printer: every line of the output goes through it.
 *
 * It owns indentation (two spaces a level), the output's line numbers and
 * the #line directives: each line it writes stands for a source line, or
 * for itself (generated code), and a directive is written only where the
 * lines run out of step.  The lowered body (lower.c) is printed here:
 * statements that nothing changed keep their text as written, moved to
 * their new indentation; the others are printed from their parts, with
 * the user's comments before the statement they belong to. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

/* A file name as a string literal, for #line directives. */
static const char *quoted(Arena *a, const char *path) {
  Buf b = {0};
  buf_puts(&b, "\"");
  buf_put_escaped(&b, path, "\"\\");
  buf_puts(&b, "\"");
  return buf_take(a, &b);
}

void print_init(Printer *p, Tu *tu, Buf *out, const Options *opt) {
  *p = (Printer){.tu = tu, .out = out, .out_line = 1, .at_bol = true};
  p->directives = opt->line_directives;
  /* The output starts as the input's text, line for line: generated code
   * after it then needs a directive of its own. */
  p->next_src = p->directives ? 1 : 0;
  p->src_name = quoted(tu->arena, tu->path);
  p->out_name = quoted(tu->arena, opt->output && strcmp(opt->output, "-") != 0
                                      ? opt->output
                                      : "<stdout>");
}

/* Writes n bytes, counting the lines. */
static void put(Printer *p, const char *s, size_t n) {
  buf_putn(p->out, s, n);
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n') {
      p->out_line++;
      if (p->next_src)
        p->next_src++;
    }
  if (n)
    p->at_bol = s[n - 1] == '\n';
}

static void puts_(Printer *p, const char *s) { put(p, s, strlen(s)); }

/* Makes the next line stand for source line `line` (0: for itself). */
static void map_line(Printer *p, unsigned line) {
  if (!p->directives || p->next_src == line)
    return;
  if (!line && !p->next_src)
    return;
  /* A directive takes a line of its own. */
  if (!p->at_bol)
    put(p, "\n", 1);
  buf_printf(p->out, "#line %u %s\n", line ? line : p->out_line + 1,
             line ? p->src_name : p->out_name);
  p->out_line++;
  p->next_src = line;
}

static void indent(Printer *p, int depth) {
  for (int i = 0; i < depth; i++)
    puts_(p, "  ");
}

void print_generated(Printer *p) {
  if (!p->at_bol)
    put(p, "\n", 1);
  map_line(p, 0);
}

void print_line(Printer *p, unsigned line, const char *text) {
  map_line(p, line);
  indent(p, p->depth);
  puts_(p, text);
  puts_(p, "\n");
}

void print_call_line(Printer *p, unsigned line, const char *text) {
  /* Arguments laid out by hand (over lines, or spaced) stay as written. */
  if ((size_t)p->depth * 2 + strlen(text) <= WRAP_COLUMNS ||
      strchr(text, '\n') || strstr(text, "  ")) {
    print_line(p, line, text);
    return;
  }
  Buf in = {0}, out = {0};
  for (int i = 0; i < p->depth; i++)
    buf_puts(&in, "  ");
  buf_puts(&in, text);
  buf_wrap_decl(&out, in.s);
  map_line(p, line);
  puts_(p, out.s);
  puts_(p, "\n");
  buf_free(&in);
  buf_free(&out);
}

void print_linef(Printer *p, unsigned line, const char *fmt, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  print_line(p, line, b.s ? b.s : "");
  buf_free(&b);
}

void print_label(Printer *p, unsigned line, const char *text) {
  map_line(p, line);
  indent(p, p->depth > 0 ? p->depth - 1 : 0);
  puts_(p, text);
  puts_(p, "\n");
}

/* A line that needs no directive of its own: the trailer's marker, which
 * stays right after the source's last line. */
void print_marker(Printer *p, const char *text) {
  if (!p->at_bol)
    put(p, "\n", 1);
  puts_(p, text);
}

/* Whether the output ends with an empty line, looking through a #line
 * directive that ends it. */
static bool ends_blank(Printer *p) {
  const char *s = p->out->s;
  size_t n = p->out->len;
  if (n == 0)
    return true;
  if (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n')
    return true;
  size_t bol = n - 1;
  while (bol > 0 && s[bol - 1] != '\n')
    bol--;
  return strncmp(s + bol, "#line ", 6) == 0 && bol >= 2 && s[bol - 2] == '\n';
}

void print_blank_line(Printer *p) {
  if (!p->at_bol)
    put(p, "\n", 1);
  if (!ends_blank(p))
    put(p, "\n", 1);
}

void print_raw(Printer *p, const char *text) {
  map_line(p, 0);
  puts_(p, text);
}

void print_source(Printer *p, Range r) {
  Tu *tu = p->tu;
  unsigned pos = r.start;
  /* The rest of a line begun by a replacement stands where it stood. */
  if (!p->at_bol && pos < r.end) {
    const char *nl = memchr(tu->src + pos, '\n', r.end - pos);
    unsigned stop = nl ? (unsigned)(nl - tu->src) + 1 : r.end;
    put(p, tu->src + pos, stop - pos);
    pos = stop;
  }
  if (pos >= r.end)
    return;
  unsigned line = tu_line(tu, pos);
  if (p->next_src != line)
    map_line(p, line);
  put(p, tu->src + pos, r.end - pos);
}

void print_replacement(Printer *p, const char *text, Range r) {
  put(p, text, strlen(text));
  if (p->next_src)
    p->next_src = tu_line(p->tu, r.end);
}

/* The leading blanks of a line of text: their count in columns. */
static unsigned blank_prefix(const char *s, size_t *n) {
  unsigned col = 0;
  size_t i = 0;
  for (; s[i] == ' ' || s[i] == '\t'; i++)
    col += s[i] == '\t' ? 8 - col % 8 : 1;
  *n = i;
  return col;
}

void print_block_text(Printer *p, unsigned line, const char *text,
                      unsigned col) {
  const char *s = text;
  bool first = true, spliced = false;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    map_line(p, line);
    if (first) {
      size_t skip;
      blank_prefix(s, &skip);
      indent(p, p->depth);
      put(p, s + skip, len - skip);
    } else if (spliced) {
      put(p, s, len); /* the line continues a token: as it is */
    } else {
      size_t skip;
      unsigned c = blank_prefix(s, &skip);
      if (skip == len) {
        /* A blank line stays blank. */
      } else {
        indent(p, p->depth);
        for (unsigned k = col > 0 && c + 1 > col ? c + 1 - col : 0; k > 0;
             k--)
          puts_(p, " ");
        put(p, s + skip, len - skip);
      }
    }
    spliced = len > 0 && s[len - 1] == '\\';
    puts_(p, "\n");
    first = false;
    if (line)
      line++;
    if (!nl)
      break;
    s = nl + 1;
  }
}

/* ---- The lowered body ------------------------------------------------- */

typedef struct {
  Printer *p;
  AsyncFn *fn;
  Tu *tu;
  const char *fr;
  Vec noted; /* statements whose expansion note is printed */
  Vec open;  /* the invocations noted by the statements being printed */
} Pc;

static void stmt(Pc *c, LStmt *s);

void print_comment_text(Buf *b, const char *s) {
  bool started = false, space = false;
  for (const char *q = s; *q; q++) {
    if (strchr(" \t\r\n", *q)) {
      space = true;
      continue;
    }
    if (space && started)
      buf_puts(b, " ");
    space = false;
    started = true;
    if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*')) {
      char two[4] = {q[0], ' ', q[1], 0};
      buf_puts(b, two);
      q++;
      continue;
    }
    buf_putn(b, q, 1);
  }
}

static char *str(Pc *c, const Expr *e) { return expr_str(c->tu, e, c->fr); }

static char *cat(Pc *c, ...) __attribute__((sentinel));
static char *cat(Pc *c, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, c);
  for (const char *s; (s = va_arg(ap, const char *));)
    buf_puts(&b, s);
  va_end(ap);
  return b.s ? buf_take(c->tu->arena, &b) : arena_strdup(c->tu->arena, "");
}

/* Comments and directives written before a statement: directives keep
 * their column, comments take the statement's indentation. */
/* Comments and directives before a statement, a line at a time: a
 * comment's later lines keep their place relative to its first. */
static void print_trivia(Pc *c, const char *text, unsigned line) {
  if (!text)
    return;
  const char *s = text;
  Tu *tu = c->tu;
  bool in_comment = false; /* a block comment goes on past this line */
  unsigned comment_col = 0;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    char *one = arena_strndup(tu->arena, s, len);
    size_t skip;
    unsigned col = blank_prefix(one, &skip);
    if (in_comment) {
      map_line(c->p, line);
      if (skip < len) {
        indent(c->p, c->p->depth);
        for (unsigned k = col > comment_col ? col - comment_col : 0; k > 0; k--)
          puts_(c->p, " ");
        put(c->p, one + skip, len - skip);
      }
      puts_(c->p, "\n");
    } else if (one[skip] == '#') {
      map_line(c->p, line);
      put(c->p, one + skip, len - skip);
      puts_(c->p, "\n");
    } else {
      print_block_text(c->p, line, one, 0);
      comment_col = col;
    }
    /* Whether a block comment is still open at the end of the line. */
    for (const char *q = one; *q; q++) {
      if (!in_comment && q[0] == '/' && q[1] == '/')
        break;
      if (!in_comment && q[0] == '/' && q[1] == '*')
        in_comment = true, q++;
      else if (in_comment && q[0] == '*' && q[1] == '/')
        in_comment = false, q++;
    }
    line++;
    if (!nl)
      break;
    s = nl + 1;
  }
}

static void print_lead(Pc *c, LStmt *s) {
  if (s->blank_before && c->p->out->len &&
      !(c->p->out->len >= 2 && c->p->out->s[c->p->out->len - 2] == '{')) {
    map_line(c->p, 0);
    puts_(c->p, "\n");
  }
  if (s->lead) {
    unsigned line = s->line;
    /* The lead ends just before the statement; count back. */
    for (const char *q = s->lead; *q; q++)
      line -= *q == '\n' && line > 1;
    print_trivia(c, s->lead, line > 1 ? line - 1 : line);
  }
}

static bool is_hoisted(Pc *c, Node *n) {
  for (int i = 0; n && i < c->fn->hoisted.len; i++) {
    Node *h = c->fn->hoisted.items[i];
    if (h == n)
      return true;
    for (int k = 0; k < h->nkids; k++)
      if (h->kids[k] == n)
        return true;
  }
  return false;
}

static bool changed(Pc *c, LStmt *s);
static bool group_split(Pc *c, LStmt *s);

static bool any_changed(Pc *c, Vec *kids) {
  for (int i = 0; i < kids->len; i++)
    if (changed(c, kids->items[i]))
      return true;
  return false;
}

static bool saved_cleanups(Vec *cleanups) {
  for (int i = 0; i < cleanups->len; i++)
    if (((Var *)cleanups->items[i])->saved)
      return true;
  return false;
}

/* True if the statement cannot be printed as written. */
static bool changed(Pc *c, LStmt *s) {
  if (!s)
    return false;
  for (int i = 0; i < 3; i++)
    if (s->e[i] && expr_active(s->e[i]))
      return true;
  if (saved_cleanups(&s->cleanups))
    return true;
  switch (s->kind) {
  case L_AWAIT:
  case L_RETURN:
  case L_GEN:
    return true;
  case L_DECL:
    return s->var && (s->var->saved || s->var->kind == VAR_TEMP);
  case L_VERBATIM:
    return is_hoisted(c, s->node);
  case L_BLOCK:
    return s->decl_group ? group_split(c, s) : any_changed(c, &s->kids);
  case L_GOTO:
    return s->node && s->node->ck != CXCursor_GotoStmt;
  case L_IF:
  case L_SWITCH:
  case L_DO:
    return changed(c, s->body) || changed(c, s->els) ||
           (s->kind == L_DO && s->node && s->node->ck != CXCursor_DoStmt);
  case L_WHILE:
  case L_FOR:
    if (s->node && s->node->ck != (s->kind == L_FOR ? CXCursor_ForStmt
                                                    : CXCursor_WhileStmt))
      return true;
    return changed(c, s->body) || changed(c, s->init);
  default:
    return false;
  }
}

/* Prints a statement as written, at the current indentation. */
static void verbatim(Pc *c, LStmt *s) {
  Tu *tu = c->tu;
  char *text = tu_text_out(tu, s->src);
  if (s->trail)
    text = cat(c, text, " ", s->trail, NULL);
  print_block_text(c->p, tu_line(tu, s->src.start), text,
                   tu_col(tu, s->src.start));
}

/* One line for the statement, with its trailing comment. */
static void line(Pc *c, LStmt *s, const char *text) {
  if (s->trail) {
    print_line(c->p, s->line, cat(c, text, " ", s->trail, NULL));
    s->trail = NULL;
  } else {
    print_line(c->p, s->line, text);
  }
}

/* The statement whose line a trailing comment is on: the last one an
 * unbraced body ends with (`if (c)\n  break; // why`).  A braced body
 * ends with its '}', which the statement itself prints. */
static LStmt *trail_to(LStmt *s) {
  for (;;) {
    LStmt *next = NULL;
    if (s->kind == L_IF)
      next = s->els ? s->els : s->body;
    else if (s->kind == L_WHILE || s->kind == L_FOR ||
             s->kind == L_LABEL || s->kind == L_CASE || s->kind == L_DEFAULT)
      next = s->body;
    else if (s->kind == L_BLOCK && !s->braced && !s->decl_group &&
             s->kids.len)
      next = s->kids.items[s->kids.len - 1];
    if (!next || (next->kind == L_BLOCK && next->braced))
      return s;
    s = next;
  }
}

/* A trailing comment of a statement printed on several lines goes on
 * its last line when that is a statement's, else before it. */
static void trail_first(Pc *c, LStmt *s) {
  if (!s->trail)
    return;
  LStmt *last = trail_to(s);
  if (last != s && !last->trail) {
    last->trail = s->trail;
    s->trail = NULL;
    return;
  }
  print_trivia(c, s->trail, s->line);
  s->trail = NULL;
}

static const char *fr_field(Pc *c, Var *v) {
  return cat(c, c->fr, "->", v->field, NULL);
}

static const char *var_name(Pc *c, Var *v) {
  return v->saved ? fr_field(c, v) : v->name;
}

static void cleanups(Pc *c, Vec *vars, unsigned line) {
  for (int i = 0; i < vars->len; i++) {
    Var *v = vars->items[i];
    if (v->saved)
      print_linef(c->p, line, "%s(&%s);", v->cleanup, fr_field(c, v));
  }
}

/* "static T x" for a variable declared on its own. */
static const char *declarator(Pc *c, Var *v) {
  const char *d = v->type_text
                      ? cat(c, v->type_text, " ", v->name, NULL)
                      : decl_declarator(c->tu, v->type, v->name, false);
  if (v->decl) {
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(v->decl->c);
    if (sc == CX_SC_Static)
      d = cat(c, "static ", d, NULL);
    else if (sc == CX_SC_Extern)
      d = cat(c, "extern ", d, NULL);
  }
  if (v->align_spec)
    d = cat(c, v->align_spec, " ", d, NULL);
  if (v->cleanup)
    d = cat(c, d, " __attribute__((cleanup(", v->cleanup, ")))", NULL);
  return d;
}

static bool is_braced_init(Node *decl) {
  Node *init = decl ? tree_var_init(decl) : NULL;
  return init && tree_strip(init)->ck == CXCursor_InitListExpr;
}

/* The statement that gives a saved variable its initial value. */
static char *init_saved(Pc *c, Var *v, const char *value) {
  CXType t = v->type;
  const char *f = fr_field(c, v);
  bool braced = is_braced_init(v->decl);
  if (decl_is_array(t)) {
    const char *type = decl_declarator(c->tu, t, "", false);
    return cat(c, "__builtin_memcpy(", f, ", (", type, ")", braced ? "" : "{", value,
               braced ? "" : "}", ", sizeof ", f, ");", NULL);
  }
  if (braced)
    value = cat(c, "(", decl_declarator(c->tu, t, "", false), ")", value,
                NULL);
  return decl_assign(c->tu, t, f, value);
}

static void decl(Pc *c, LStmt *s) {
  Var *v = s->var;
  if (!v)
    return;
  if (v->saved) {
    if (s->e[0])
      line(c, s, init_saved(c, v, str(c, s->e[0])));
    return;
  }
  const char *d = declarator(c, v);
  if (s->e[0])
    line(c, s, cat(c, d, " = ", str(c, s->e[0]), ";", NULL));
  else
    line(c, s, cat(c, d, ";", NULL));
}

/* A type declared in a declaration that is printed split: its own
 * text, under its tag when it has none. */
static void type_decl(Pc *c, LStmt *s) {
  if (is_hoisted(c, s->node))
    return;
  Range r;
  if (!tree_exact_range(s->node, &r)) {
    diag_error(c->tu, tree_pos(s->node),
               "a type declared together with variables whose declaration "
               "asyncc rewrites; declare the type on its own");
    return;
  }
  char *text = tu_text_out(c->tu, r);
  const char *tag = hoist_tag(c->tu, s->node->c);
  char *brace = strchr(text, '{');
  if (tag && brace)
    text = cat(c, tag, " ", brace, NULL);
  print_block_text(c->p, s->line, cat(c, text, ";", NULL),
                   tu_col(c->tu, r.start));
}

/* True if a declarator of a group cannot stay in the declaration as
 * written: a saved variable, an await, a type that moved. */
static bool splits_group(Pc *c, LStmt *k) {
  switch (k->kind) {
  case L_DECL:
    return k->var && (k->var->saved || k->var->kind == VAR_TEMP);
  case L_VERBATIM:
    return is_hoisted(c, k->node);
  default:
    return true;
  }
}

static bool group_split(Pc *c, LStmt *s) {
  if (!s->e[0])
    return true;
  for (int i = 0; i < s->kids.len; i++)
    if (splits_group(c, s->kids.items[i]))
      return true;
  return false;
}

static void group(Pc *c, LStmt *s) {
  if (!group_split(c, s)) {
    char *text = str(c, s->e[0]);
    size_t n = strlen(text);
    while (n && strchr(" \t\n", text[n - 1]))
      n--;
    if (!n || text[n - 1] != ';')
      text = cat(c, text, ";", NULL);
    line(c, s, text);
    return;
  }
  for (int i = 0; i < s->kids.len; i++) {
    LStmt *k = s->kids.items[i];
    if (k->kind == L_VERBATIM)
      type_decl(c, k);
    else
      stmt(c, k);
  }
}

/* Prints kids at one more level. */
static void kids(Pc *c, LStmt *block) {
  c->p->depth++;
  for (int i = 0; i < block->kids.len; i++)
    stmt(c, block->kids.items[i]);
  if (block->tail)
    print_trivia(c, block->tail, block->tail_line);
  c->p->depth--;
}

/* Variables declared in the block whose cleanups run when it ends. */
static void block_end_cleanups(Pc *c, LStmt *block, unsigned line) {
  for (int i = block->kids.len - 1; i >= 0; i--) {
    LStmt *k = block->kids.items[i];
    for (int j = k->decl_group ? k->kids.len - 1 : 0; j >= 0; j--) {
      LStmt *d = k->decl_group ? k->kids.items[j] : k;
      if (d->kind == L_DECL && d->var && d->var->cleanup && d->var->saved)
        print_linef(c->p, line, "%s(&%s);", d->var->cleanup,
                    fr_field(c, d->var));
    }
  }
}

static unsigned end_line(Pc *c, LStmt *block) {
  if (block->node) {
    Range r = tree_range(block->node);
    if (r.end > r.start)
      return tu_line(c->tu, r.end - 1);
  }
  return block->tail_line ? block->tail_line : block->line;
}

static void braces(Pc *c, LStmt *block) {
  kids(c, block);
  c->p->depth++;
  block_end_cleanups(c, block, end_line(c, block));
  c->p->depth--;
}

/* True if the statement prints as a single line. */
static bool one_line(Pc *c, LStmt *s) {
  switch (s->kind) {
  case L_EXPR:
  case L_NULL:
  case L_DECL:
  case L_BREAK:
  case L_CONTINUE:
  case L_GOTO:
  case L_IGOTO:
    return !saved_cleanups(&s->cleanups) &&
           !(s->kind == L_DECL && s->var && s->var->saved && !s->e[0]);
  case L_BLOCK:
    return s->decl_group && !group_split(c, s);
  default:
    return false;
  }
}

/* A statement's body after its header: `head {` ... `}` for blocks and
 * several lines, or the one statement on the next line. */
static void body(Pc *c, const char *head, LStmt *b, unsigned line,
                 const char *close) {
  if (b->kind == L_BLOCK && !b->decl_group) {
    print_line(c->p, line, cat(c, head, " {", NULL));
    braces(c, b);
    print_line(c->p, end_line(c, b), cat(c, "}", close, NULL));
    return;
  }
  if (one_line(c, b) && !b->lead && !close[0]) {
    print_line(c->p, line, head);
    c->p->depth++;
    stmt(c, b);
    c->p->depth--;
    return;
  }
  print_line(c->p, line, cat(c, head, " {", NULL));
  c->p->depth++;
  stmt(c, b);
  c->p->depth--;
  print_line(c->p, b->line, cat(c, "}", close, NULL));
}

static void if_stmt(Pc *c, LStmt *s, const char *prefix) {
  const char *head = cat(c, prefix, "if (", str(c, s->e[0]), ")", NULL);
  if (!s->els) {
    body(c, head, s->body, s->line, "");
    return;
  }
  /* if (c) { ... } else ...: the else joins the closing brace. */
  LStmt *then = s->body;
  if (then->kind == L_BLOCK && !then->decl_group) {
    print_line(c->p, s->line, cat(c, head, " {", NULL));
    braces(c, then);
  } else {
    print_line(c->p, s->line, cat(c, head, " {", NULL));
    c->p->depth++;
    stmt(c, then);
    c->p->depth--;
  }
  LStmt *e = s->els;
  if (e->kind == L_IF && !e->lead) {
    if_stmt(c, e, "} else ");
    return;
  }
  body(c, "} else", e, e->line, "");
}

/* The init of a for statement, when it can stay in the header. */
static const char *for_init(Pc *c, LStmt *s, bool *moved) {
  *moved = false;
  if (!s->init)
    return s->e[0] ? str(c, s->e[0]) : "";
  LStmt *g = s->init;
  bool awaits = !g->e[0];
  bool saved = false, unsaved = false, simple = true;
  for (int i = 0; i < g->kids.len; i++) {
    LStmt *k = g->kids.items[i];
    if (k->kind == L_VERBATIM)
      awaits = true; /* a type: the header cannot declare it */
    if (k->kind != L_DECL || !k->var)
      continue;
    if (k->var->saved)
      saved = true;
    else
      unsaved = true;
    if (decl_is_array(k->var->type) || is_braced_init(k->var->decl) ||
        decl_needs_copy(k->var->type))
      simple = false;
  }
  if (!awaits && !saved) {
    char *text = str(c, g->e[0]);
    size_t n = strlen(text);
    while (n && strchr(" \t\n;", text[n - 1]))
      n--;
    return arena_strndup(c->tu->arena, text, n);
  }
  if (!awaits && !unsaved && simple) {
    /* for (int i = 0, j = 1; ...)  =>  for (fr->i = 0, fr->j = 1; ...) */
    const char *list = "";
    for (int i = 0; i < g->kids.len; i++) {
      LStmt *k = g->kids.items[i];
      if (k->kind == L_DECL && k->var && k->e[0])
        list = cat(c, list, list[0] ? ", " : "", fr_field(c, k->var), " = ",
                   str(c, k->e[0]), NULL);
    }
    return list;
  }
  *moved = true;
  return "";
}

static void for_stmt(Pc *c, LStmt *s) {
  bool moved;
  const char *init = for_init(c, s, &moved);
  if (moved) {
    /* The declarations go in front, in a block that keeps their names
     * scoped to the loop. */
    print_line(c->p, s->line, "{");
    c->p->depth++;
    group(c, s->init);
  }
  const char *cond = s->e[1] ? str(c, s->e[1]) : "";
  const char *inc = s->e[2] ? str(c, s->e[2]) : "";
  /* for (i; c; n), with the blanks of empty parts as people write them:
   * for (;;), for (i; ; n), for (; c;). */
  const char *head = cat(c, "for (", init, init[0] ? ";" : ";",
                         cond[0] ? " " : (init[0] && (inc[0]) ? " " : ""),
                         cond, ";", inc[0] ? " " : "", inc, ")", NULL);
  body(c, head, s->body, s->line, "");
  if (moved) {
    c->p->depth--;
    print_line(c->p, s->line, "}");
  }
}

static void labelled(Pc *c, LStmt *s, LStmt *next) {
  const char *text;
  if (s->kind == L_CASE)
    text = cat(c, "case ", str(c, s->e[0]),
               s->e[1] ? cat(c, " ... ", str(c, s->e[1]), NULL) : "", ":",
               NULL);
  else if (s->kind == L_DEFAULT)
    text = "default:";
  else
    text = cat(c, s->label, ":", NULL);
  /* A label must label a statement: not a declaration, nor the end. */
  if (!next || next->kind == L_DECL || next->decl_group ||
      next->kind == L_AWAIT)
    text = cat(c, text, ";", NULL);
  print_label(c->p, s->line, text);
}

static void ret(Pc *c, LStmt *s) {
  AsyncFn *fn = c->fn;
  trail_first(c, s);
  if (s->e[0] && !expr_empty(s->e[0])) {
    const char *v = str(c, s->e[0]);
    if (fn->ret_type)
      print_line(c->p, s->line,
                 decl_assign(c->tu, clang_getCursorResultType(fn->decl),
                             cat(c, c->fr, "->result", NULL), v));
    else
      print_linef(c->p, s->line, "(void)(%s);", v);
  }
  cleanups(c, &s->cleanups, s->line);
  print_linef(c->p, s->line, "%s->state = %s_DONE;", c->fr, fn->upper);
  print_line(c->p, s->line, "return AC_READY;");
}

static const char *sub(Pc *c, AwaitSite *aw) {
  return cat(c, c->fr, "->sub.", aw->sub, NULL);
}

/* The expression that reads a completed await's result. */
static const char *sub_result(Pc *c, AwaitSite *aw) {
  if (!aw->dynamic)
    return cat(c, sub(c, aw), ".result", NULL);
  if (find_definition(c->tu, aw->callee))
    return cat(c, sub(c, aw), "->result", NULL);
  return cat(c, aw->callee_name, "_result(", sub(c, aw), ")", NULL);
}

static const char *frame_size(Pc *c, AwaitSite *aw) {
  if (find_definition(c->tu, aw->callee))
    return cat(c, "sizeof(struct ", aw->callee_name, "_frame)", NULL);
  return cat(c, aw->callee_name, "_frame_size", NULL);
}

static void test_suspend(Pc *c, unsigned line) {
  if (!c->tu->opt->test_suspend)
    return;
  print_linef(c->p, line, "if (ac__test_suspend(%s) == AC_PENDING)",
              c->fn->cx);
  print_line(c->p, line, "  return AC_PENDING;");
}

/* A loop's budget: when spent, the task yields here, and resumes past
 * the check. */
static void budget(Pc *c, AwaitSite *aw) {
  unsigned line = aw->line;
  print_linef(c->p, line, "if (ac__budget_enter(%s) == AC_PENDING) {",
              c->fn->cx);
  print_linef(c->p, line, "  %s->state = %s;", c->fr, aw->state);
  print_line(c->p, line, "  return AC_PENDING;");
  print_line(c->p, line, "}");
  print_label(c->p, line, cat(c, aw->label, ":;", NULL));
}

/* await(g(args)) through g's stub (g defined in another file, or called
 * through a pointer):
 *   fr->state = F_LN;
 *   ac__dyn_call(&fr->sub.await_N, AC_DYN_AWAIT, cx, NULL);
 *   (void)g(args);                  -- the stub sets up g's frame
 *   if (ac__dyn_check(&fr->sub.await_N) != 0)
 *     return ac__frame_oom(cx);
 * resume_N:;
 *   if (ac__dyn_poll(&fr->sub.await_N, cx) == AC_PENDING)
 *     return AC_PENDING;
 *   t = *(R *)ac__dyn_result(&fr->sub.await_N);
 *   ac__dyn_free(&fr->sub.await_N); */
static void stub_await(Pc *c, LStmt *s, const char *args) {
  AwaitSite *aw = s->aw;
  AsyncFn *fn = c->fn;
  unsigned line = aw->line;
  const char *d = cat(c, "&", sub(c, aw), NULL);
  const char *callee = s->e[1] ? cat(c, "(", str(c, s->e[1]), ")", NULL)
                               : aw->callee_name;
  print_linef(c->p, line, "%s->state = %s;", c->fr, aw->state);
  print_linef(c->p, line, "ac__dyn_call(%s, AC_DYN_AWAIT, %s, NULL);", d,
              fn->cx);
  print_linef(c->p, line, "(void)%s(%s);", callee, args);
  print_linef(c->p, line, "if (ac__dyn_check(%s) != 0)", d);
  print_linef(c->p, line, "  return ac__frame_oom(%s);", fn->cx);
  test_suspend(c, line);
  print_label(c->p, line, cat(c, aw->label, ":;", NULL));
  print_linef(c->p, line, "if (ac__dyn_poll(%s, %s) == AC_PENDING)", d,
              fn->cx);
  print_line(c->p, line, "  return AC_PENDING;");
  Var *t = s->var;
  if (t)
    print_line(c->p, line,
               decl_assign(c->tu, t->type, var_name(c, t),
                           cat(c, "*(",
                               decl_declarator(c->tu, aw->rtype, "*", false),
                               ")ac__dyn_result(", d, ")", NULL)));
  print_linef(c->p, line, "ac__dyn_free(%s);", d);
}

/* await(f(args)) =>
 *   fr->state = F_LN;
 *   f_init(&fr->sub.await_N, args);
 * resume_N:;
 *   if (f_poll(&fr->sub.await_N, cx) == AC_PENDING)
 *     return AC_PENDING;
 * and the result copied out where a temporary takes it. */
static void await_stmt(Pc *c, LStmt *s) {
  AwaitSite *aw = s->aw;
  AsyncFn *fn = c->fn;
  unsigned line = aw->line;
  trail_first(c, s);
  if (aw->kind == AW_BUDGET) {
    budget(c, aw);
    return;
  }
  if (aw->kind == AW_COMBINE) {
    Buf b = {0};
    combine_print(aw, s, c->fr, &b);
    for (char *q = b.s; q && *q;) {
      char *nl = strchr(q, '\n');
      if (nl)
        *nl = '\0';
      if (*q == '\001')
        print_label(c->p, line, q + 1);
      else
        print_line(c->p, line, q);
      q = nl ? nl + 1 : q + strlen(q);
    }
    buf_free(&b);
    return;
  }
  const char *args = str(c, s->e[0]);
  if (aw->kind == AW_STUB) {
    stub_await(c, s, args);
    return;
  }
  const char *frame = aw->dynamic ? sub(c, aw) : cat(c, "&", sub(c, aw),
                                                      NULL);
  /* The state is set first: if the allocation fails, drop finds the state
   * of this await and its NULL sub-frame, not a finished earlier one. */
  print_linef(c->p, line, "%s->state = %s;", c->fr, aw->state);
  if (aw->dynamic) {
    print_linef(c->p, line, "if (!(%s = ac_frame_alloc(%s, %s)))",
                sub(c, aw), fn->cx, frame_size(c, aw));
    print_linef(c->p, line, "  return ac__frame_oom(%s);", fn->cx);
  }
  print_call_line(c->p, line,
                  cat(c, aw->callee_name, "_init(", frame, args[0] ? ", " : "",
                      args, ");", NULL));
  test_suspend(c, line);
  print_label(c->p, line, cat(c, aw->label, ":;", NULL));
  print_linef(c->p, line, "if (%s_poll(%s, %s) == AC_PENDING)",
              aw->callee_name, frame, fn->cx);
  print_line(c->p, line, "  return AC_PENDING;");
  Var *t = s->var;
  if (aw->kind == AW_JOIN) {
    if (t)
      print_line(c->p, line,
                 decl_assign(c->tu, t->type, var_name(c, t),
                             cat(c, "*(", aw->result_type, " *)ac_join_result(",
                                 frame, ")", NULL)));
    print_linef(c->p, line, "ac_join_finish(%s);", frame);
    return;
  }
  if (t)
    print_line(c->p, line,
               decl_assign(c->tu, t->type, var_name(c, t), sub_result(c, aw)));
  if (aw->dynamic)
    print_linef(c->p, line, "ac_frame_free(%s);", sub(c, aw));
}

static void stmt_in(Pc *c, LStmt *s, LStmt *next);

static void stmt(Pc *c, LStmt *s) { stmt_in(c, s, NULL); }

/* The macro invocations statement s prints expanded: the statement a
 * macro wrote, or those in its expressions. */
static void expansions_of(Pc *c, LStmt *s, Vec *texts) {
  Arena *a = c->tu->arena;
  if (vec_has(&c->noted, s))
    return;
  vec_push(a, &c->noted, s);
  if (s->expanded) {
    vec_push(a, texts, (void *)s->expanded);
    return;
  }
  /* A declaration's parts, its awaits among them, are all its own. */
  for (int i = 0; s->decl_group && i < s->kids.len; i++)
    expansions_of(c, s->kids.items[i], texts);
  if ((s->kind == L_BLOCK && !s->decl_group) || s->kind == L_LABEL ||
      s->kind == L_CASE || s->kind == L_DEFAULT)
    return;
  Vec ranges = {0};
  for (int i = 0; i < 3; i++)
    expr_expansions(s->e[i], &ranges, a);
  for (int i = 0; i < ranges.len; i++) {
    Range *r = ranges.items[i];
    char *text = arena_strndup(a, c->tu->src + r->start, r->end - r->start);
    bool seen = false;
    for (int k = 0; k < texts->len && !seen; k++)
      seen = strcmp(texts->items[k], text) == 0;
    if (!seen)
      vec_push(a, texts, text);
  }
}

/* A note before a statement printed from a macro's expansion, or before
 * the first of the statements one source statement was lowered to. */
static void expansion_note(Pc *c, LStmt *s) {
  Vec texts = {0};
  if (s->group.len) {
    for (int i = 0; i < s->group.len; i++)
      expansions_of(c, s->group.items[i], &texts);
  } else {
    expansions_of(c, s, &texts);
  }
  Buf b = {0};
  for (int i = 0; i < texts.len; i++) {
    bool open = false;
    for (int k = 0; k < c->open.len && !open; k++)
      open = strcmp(c->open.items[k], texts.items[i]) == 0;
    if (open)
      continue;
    vec_push(c->tu->arena, &c->open, texts.items[i]);
    buf_puts(&b, b.len ? ", " : "/* ");
    print_comment_text(&b, texts.items[i]);
  }
  if (!b.len)
    return;
  buf_puts(&b, ", expanded */");
  print_line(c->p, s->line, b.s);
  buf_free(&b);
}

static void stmt_parts(Pc *c, LStmt *s, LStmt *next);

static void stmt_in(Pc *c, LStmt *s, LStmt *next) {
  print_lead(c, s);
  if (s->has_src && !changed(c, s) && s->kind != L_GEN) {
    verbatim(c, s);
    return;
  }
  /* A statement a macro wrote, printed from its expansion: say so, once
   * for the statements inside it too. */
  int open = c->open.len;
  bool spelled_out = s->kind == L_EXPR || s->kind == L_RETURN
                         ? expr_expanded(s->e[0])
                         : s->kind != L_BLOCK && s->kind != L_LABEL &&
                               s->kind != L_CASE && s->kind != L_DEFAULT;
  if (spelled_out || s->group.len)
    expansion_note(c, s);
  stmt_parts(c, s, next);
  c->open.len = open;
}

static void stmt_parts(Pc *c, LStmt *s, LStmt *next) {
  switch (s->kind) {
  case L_BLOCK:
    if (s->decl_group) {
      /* Split into one line, it keeps its trailing comment there. */
      LStmt *only = s->kids.len == 1 ? s->kids.items[0] : NULL;
      if (s->trail && !one_line(c, s) && only && one_line(c, only) &&
          !only->trail) {
        only->trail = s->trail;
        s->trail = NULL;
      }
      if (!one_line(c, s))
        trail_first(c, s);
      expansion_note(c, s);
      group(c, s);
      return;
    }
    if (!s->braced) {
      for (int i = 0; i < s->kids.len; i++)
        stmt_in(c, s->kids.items[i],
                i + 1 < s->kids.len ? s->kids.items[i + 1] : NULL);
      return;
    }
    print_line(c->p, s->line, "{");
    braces(c, s);
    print_line(c->p, end_line(c, s), "}");
    return;
  case L_EXPR:
    if (expr_empty(s->e[0]))
      line(c, s, ";");
    else
      line(c, s, cat(c, str(c, s->e[0]), ";", NULL));
    return;
  case L_DECL:
    decl(c, s);
    return;
  case L_VERBATIM:
    type_decl(c, s);
    return;
  case L_IF:
    trail_first(c, s);
    if_stmt(c, s, "");
    return;
  case L_WHILE:
    trail_first(c, s);
    body(c, cat(c, "while (", str(c, s->e[0]), ")", NULL), s->body, s->line,
         "");
    return;
  case L_DO:
    trail_first(c, s);
    body(c, "do", s->body, s->line,
         cat(c, " while (", str(c, s->e[0]), ");", NULL));
    return;
  case L_FOR:
    trail_first(c, s);
    for_stmt(c, s);
    return;
  case L_SWITCH: {
    trail_first(c, s);
    const char *head = cat(c, "switch (", str(c, s->e[0]), ")", NULL);
    if (s->body->kind == L_BLOCK) {
      print_line(c->p, s->line, cat(c, head, " {", NULL));
      LStmt *b = s->body;
      c->p->depth++;
      for (int i = 0; i < b->kids.len; i++)
        stmt_in(c, b->kids.items[i],
                i + 1 < b->kids.len ? b->kids.items[i + 1] : NULL);
      if (b->tail)
        print_trivia(c, b->tail, b->tail_line);
      c->p->depth--;
      print_line(c->p, end_line(c, b), "}");
    } else {
      body(c, head, s->body, s->line, "");
    }
    return;
  }
  case L_CASE:
  case L_DEFAULT:
  case L_LABEL:
    labelled(c, s, next);
    return;
  case L_GOTO:
  case L_BREAK:
  case L_CONTINUE:
  case L_IGOTO: {
    if (saved_cleanups(&s->cleanups)) {
      trail_first(c, s);
      cleanups(c, &s->cleanups, s->line);
    }
    const char *text = s->kind == L_GOTO       ? cat(c, "goto ", s->label,
                                                     ";", NULL)
                       : s->kind == L_BREAK    ? "break;"
                       : s->kind == L_CONTINUE ? "continue;"
                                               : cat(c, "goto *",
                                                     str(c, s->e[0]), ";",
                                                     NULL);
    line(c, s, text);
    return;
  }
  case L_RETURN:
    ret(c, s);
    return;
  case L_AWAIT:
    await_stmt(c, s);
    return;
  case L_GEN:
    if (s->text && s->text[0])
      print_block_text(c->p, s->line, s->text, 0);
    return;
  case L_NULL:
    line(c, s, ";");
    return;
  }
}

/* True if the body can run off its end. */
static bool falls_off(LStmt *body) {
  if (!body->kids.len)
    return true;
  LStmt *last = body->kids.items[body->kids.len - 1];
  return last->kind != L_RETURN;
}

void print_body(Printer *p, AsyncFn *fn) {
  Pc c = {.p = p, .fn = fn, .tu = fn->tu, .fr = fn->fr};
  LStmt *b = fn->lbody;
  for (int i = 0; i < b->kids.len; i++)
    stmt_in(&c, b->kids.items[i],
            i + 1 < b->kids.len ? b->kids.items[i + 1] : NULL);
  unsigned end = end_line(&c, b);
  if (b->tail)
    print_trivia(&c, b->tail, b->tail_line);
  if (falls_off(b)) {
    /* Falling off the end completes the function. */
    block_end_cleanups(&c, b, end);
    print_linef(p, end, "%s->state = %s_DONE;", fn->fr, fn->upper);
    print_line(p, end, "return AC_READY;");
  }
}
