/* emit.c -- writes the output file: the input's text with each async
 * function replaced by its state machine (state enum, frame struct, init,
 * poll and drop), async prototypes by ABI prototypes, and ac_block_on calls
 * by calls of generated helpers.  Everything else is copied byte for byte.
 *
 * Generated lines carry #line directives pointing at the output file itself
 * (OUT_LINE is patched with the real line number once the text is final);
 * the poll body points at the original source. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_LINE "\001OUTLINE\001"

typedef struct {
  Tu *tu;
  Arena *a;
  const Options *opt;
  Lowered lw;
  Vec declared;   /* AsyncFn * whose enum and frame are already emitted */
  Vec extern_fns; /* char * names of other files' functions declared */
  Buf helpers;    /* helper definitions, appended at the end */
  Vec helpers_used; /* Helper * already defined */
  const char *src_file; /* the input's name as a #line directive wants it */
  Vec texts;      /* char * generated texts, freed once rendered */
  size_t last_definition; /* the length of the last definition's text */
  size_t generated; /* the length of all of them */
} Emit;

static bool contains(Vec *v, void *p) {
  for (int i = 0; i < v->len; i++)
    if (v->items[i] == p)
      return true;
  return false;
}

static bool contains_str(Vec *v, const char *s) {
  for (int i = 0; i < v->len; i++)
    if (strcmp(v->items[i], s) == 0)
      return true;
  return false;
}

/* A file name as a string literal, for #line directives: made once,
 * since every directive repeats it. */
static const char *line_file_name(Arena *a, const char *path) {
  Buf b = {0};
  buf_puts(&b, "\"");
  buf_put_escaped(&b, path, "\"\\");
  buf_puts(&b, "\"");
  return buf_take(a, &b);
}

/* Points the following lines at the output file. */
static void gen_lines(Emit *E, Buf *b) {
  if (E->opt->line_directives)
    buf_puts(b, "#line " OUT_LINE "\n");
}

/* Points the following line at `line` of the input. */
static void src_line(Emit *E, Buf *b, unsigned line) {
  if (E->opt->line_directives)
    buf_printf(b, "#line %u %s\n", line, E->src_file);
}

/* Appends s as one line of a comment: runs of blanks become one space,
 * dropped at either end, and comment delimiters are split.  The text
 * between blanks and delimiter characters is copied a run at a time. */
static void put_comment_text(Buf *b, const char *s) {
  static const char blanks[] = " \t\r\n";
  bool started = false, space = false;
  for (const char *p = s; *p;) {
    size_t nblank = strspn(p, blanks);
    if (nblank) {
      space = true;
      p += nblank;
      continue;
    }
    if (space && started)
      buf_putn(b, " ", 1);
    space = false;
    started = true;
    if ((p[0] == '*' && p[1] == '/') || (p[0] == '/' && p[1] == '*')) {
      buf_putn(b, p, 1);
      buf_putn(b, " ", 1);
      buf_putn(b, p + 1, 1);
      p += 2;
      continue;
    }
    /* A delimiter can start only at a '*' or a '/'. */
    size_t n = 1 + strcspn(p + 1, " \t\r\n*/");
    buf_putn(b, p, n);
    p += n;
  }
}

static const char *linkage(AsyncFn *fn) {
  return fn->is_static ? "static AC_MAYBE_UNUSED " : "";
}

/* Appends "T1 a, T2 b" for the init parameters, or the types alone. */
static void put_init_params(Emit *E, AsyncFn *fn, bool named, Buf *b) {
  buf_printf(b, "struct %s_frame *%s", fn->name, named ? fn->fr : "");
  CXType t = clang_getCursorType(fn->decl);
  int n = clang_getNumArgTypes(t);
  for (int i = 0; i < n; i++) {
    const char *name = "";
    if (named)
      name = ((Var *)fn->params.items[i])->name;
    buf_printf(b, ", %s",
               decl_param(E->a, clang_getArgType(t, (unsigned)i), name,
                          false));
  }
}

static void emit_prototypes(Emit *E, AsyncFn *fn, Buf *b) {
  const char *lk = linkage(fn);
  buf_printf(b, "%svoid %s_init(", lk, fn->name);
  put_init_params(E, fn, false, b);
  buf_puts(b, ");\n");
  buf_printf(b, "%sac_poll %s_poll(void *, ac_cx *);\n", lk, fn->name);
  buf_printf(b, "%svoid %s_drop(void *);\n", lk, fn->name);
}

/* ABI declarations of an async function defined in another file: its frame
 * is opaque, so callers allocate frame_size bytes and read the result
 * through f_result. */
static void emit_extern_decls(Emit *E, CXCursor decl, Buf *b) {
  AsyncFn tmp = {.tu = E->tu, .decl = decl};
  tmp.name = arena_cxstr(E->a, clang_getCursorSpelling(decl));
  if (contains_str(&E->extern_fns, tmp.name))
    return;
  vec_push(E->a, &E->extern_fns, tmp.name);
  CXType rt = clang_getCursorResultType(decl);
  buf_printf(b, "struct %s_frame; /* defined in another file */\n", tmp.name);
  buf_printf(b, "extern const size_t %s_frame_size;\n", tmp.name);
  emit_prototypes(E, &tmp, b);
  if (clang_getCanonicalType(rt).kind != CXType_Void)
    buf_printf(b, "%s;\n",
               decl_declarator(E->a, rt,
                               arena_printf(E->a, "%s_result(struct %s_frame *)",
                                            tmp.name, tmp.name),
                               false));
}

static void emit_state_enum(Emit *E, AsyncFn *fn, Buf *b) {
  buf_printf(b, "enum %s_state {\n  %s_START,\n", fn->name, fn->upper);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    buf_printf(b, "  %s, /* %s:%u ", aw->state, E->tu->path, aw->line);
    put_comment_text(b, aw->text);
    buf_puts(b, " */\n");
  }
  buf_printf(b, "  %s_DONE,\n};\n", fn->upper);
}

static void emit_slot(Emit *E, Buf *b, Slot *s, int depth) {
  if (s->kind == SLOT_FIELD) {
    if (s->await_line)
      buf_printf(b, "%*s%s; /* %s:%u */\n", depth * 2, "", s->decl,
                 E->tu->path, s->await_line);
    else
      buf_printf(b, "%*s%s;\n", depth * 2, "", s->decl);
    return;
  }
  buf_printf(b, "%*s%s {\n", depth * 2, "",
             s->kind == SLOT_UNION ? "union" : "struct");
  for (int i = 0; i < s->kids.len; i++)
    emit_slot(E, b, s->kids.items[i], depth + 1);
  buf_printf(b, "%*s}%s%s;\n", depth * 2, "", s->name ? " " : "",
             s->name ? s->name : "");
}

static void emit_frame_struct(Emit *E, AsyncFn *fn, Buf *b) {
  Slot *root = layout_frame(fn);
  buf_printf(b, "struct %s_frame {\n", fn->name);
  for (int i = 0; i < root->kids.len; i++)
    emit_slot(E, b, root->kids.items[i], 1);
  buf_puts(b, "};\n");
}

static bool hoist_declares_vars(Node *decl_stmt) {
  for (int k = 0; k < decl_stmt->nkids; k++)
    if (decl_stmt->kids[k]->ck == CXCursor_VarDecl)
      return true;
  return false;
}

/* An unnamed type's definition under the tag check.c gave it. */
static void emit_tagged(Emit *E, Buf *b, CXCursor d) {
  Range r = tu_range(E->tu, d);
  const char *text = tu_text(E->tu, r);
  const char *brace = strchr(text, '{');
  if (!brace)
    internal_error("unnamed type without a body");
  src_line(E, b, tu_line(E->tu, r.start));
  buf_printf(b, "%s %s;\n", decl_anonymous_name(d), brace);
}

/* True if d is a type of a declaration that emit_hoisted_types moves. */
static bool in_hoisted(AsyncFn *fn, CXCursor d) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *n = fn->hoisted.items[i];
    for (int k = 0; k < n->nkids; k++)
      if (clang_equalCursors(n->kids[k]->c, d))
        return true;
  }
  return false;
}

/* Types declared in the body, which the frame needs, moved to file scope
 * in their original order. */
static void emit_hoisted_types(Emit *E, AsyncFn *fn, Buf *b) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *n = fn->hoisted.items[i];
    if (!hoist_declares_vars(n)) {
      Range r = {tree_range(n).start,
                 tu_skip_semicolon(E->tu, tree_range(n).end)};
      src_line(E, b, tu_line(E->tu, r.start));
      buf_printf(b, "%s\n", tu_text(E->tu, r));
      continue;
    }
    /* `struct s { ... } v = ...;`: only the type moves; the variables stay
     * with the rewritten declaration, which names an unnamed type by its
     * tag. */
    for (int k = 0; k < n->nkids; k++) {
      Node *t = n->kids[k];
      if (t->ck == CXCursor_VarDecl)
        continue;
      if (decl_anonymous_name(t->c)) {
        emit_tagged(E, b, t->c);
        continue;
      }
      src_line(E, b, tu_line(E->tu, tree_range(t).start));
      buf_printf(b, "%s;\n", tu_text(E->tu, tree_range(t)));
    }
  }
  for (int i = 0; i < fn->anon_types.len; i++) {
    CXCursor d = *(CXCursor *)fn->anon_types.items[i];
    if (!in_hoisted(fn, d))
      emit_tagged(E, b, d);
  }
  if (fn->hoisted.len || fn->anon_types.len)
    gen_lines(E, b);
}

static void declare_fn(Emit *E, AsyncFn *fn, Buf *b);

/* Callees defined in this file get their frames declared first: embedded
 * sub-frames need complete types, dynamic ones their prototypes. */
static void declare_callees(Emit *E, AsyncFn *fn, Buf *b) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    AsyncFn *callee = find_definition(E->tu, aw->callee);
    if (callee && callee != fn)
      declare_fn(E, callee, b);
    else if (!callee && aw->dynamic)
      emit_extern_decls(E, aw->callee, b);
  }
}

static void declare_fn(Emit *E, AsyncFn *fn, Buf *b) {
  if (contains(&E->declared, fn))
    return;
  vec_push(E->a, &E->declared, fn);
  declare_callees(E, fn, b);
  buf_printf(b, "\n/* async %s: %s:%u */\n", fn->name, E->tu->path, fn->line);
  emit_hoisted_types(E, fn, b);
  emit_state_enum(E, fn, b);
  emit_frame_struct(E, fn, b);
  emit_prototypes(E, fn, b);
}

static void emit_init(Emit *E, AsyncFn *fn, Buf *b) {
  buf_printf(b, "\n%svoid %s_init(", linkage(fn), fn->name);
  put_init_params(E, fn, true, b);
  buf_puts(b, ") {\n");
  buf_printf(b, "  %s->state = %s_START;\n", fn->fr, fn->upper);
  CXType t = clang_getCursorType(fn->decl);
  for (int i = 0; i < fn->params.len; i++) {
    Var *v = fn->params.items[i];
    buf_printf(b, "  %s\n",
               decl_assign(E->a, clang_getArgType(t, (unsigned)i),
                           arena_printf(E->a, "%s->%s", fn->fr, v->field),
                           v->name));
  }
  buf_puts(b, "}\n");
}

static void emit_dispatch(Emit *E, AsyncFn *fn, Buf *b) {
  (void)E;
  buf_printf(b, "  switch (%s->state) {\n", fn->fr);
  /* Starting spends budget: a loop awaiting calls that never wait must
   * still give other tasks a turn.  Nothing has run yet, so pending here
   * just means "start me on the next poll". */
  buf_printf(b, "  case %s_START:\n", fn->upper);
  buf_printf(b, "    if (ac__budget_enter(%s) == AC_PENDING)\n", fn->cx);
  buf_puts(b, "      return AC_PENDING;\n    break;\n");
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    buf_printf(b, "  case %s:\n    goto %s;\n", aw->state, aw->label);
  }
  buf_printf(b, "  case %s_DONE:\n    return AC_READY;\n  }\n", fn->upper);
}

/* The poll function: dispatch on the state, then the lowered body. */
static void emit_poll(Emit *E, AsyncFn *fn, Buf *b) {
  buf_printf(b, "\n%sac_poll %s_poll(void *%s, ac_cx *%s) {\n", linkage(fn),
             fn->name, fn->self, fn->cx);
  buf_printf(b, "  struct %s_frame *%s = %s;\n", fn->name, fn->fr, fn->self);
  if (!fn->awaits.len)
    buf_printf(b, "  (void)%s;\n", fn->cx);
  emit_dispatch(E, fn, b);
  Range body = tree_range(fn->body);
  src_line(E, b, tu_line(E->tu, body.start));
  Range inner = {body.start + 1, body.end - 1};
  render_range(E->tu, &E->lw, inner, b);
  if (b->len && b->s[b->len - 1] != '\n')
    buf_puts(b, "\n");
  unsigned end_line = tu_line(E->tu, body.end - 1);
  Node *last = fn->body->nkids ? fn->body->kids[fn->body->nkids - 1] : NULL;
  if (!last || last->ck != CXCursor_ReturnStmt) {
    /* Falling off the end completes the function. */
    src_line(E, b, end_line);
    buf_printf(b, "  %s->state = %s_DONE;\n", fn->fr, fn->upper);
    src_line(E, b, end_line);
    buf_puts(b, "  return AC_READY;\n");
  }
  src_line(E, b, end_line);
  buf_puts(b, "}\n");
}

/* A combinator's drop code comes from combine.c, written as lines. */
static void emit_combine_drop(Emit *E, AwaitSite *aw, Buf *b) {
  Options plain = *E->opt;
  plain.line_directives = false;
  Lower L = {aw->fn, E->tu, E->a, &E->lw, &plain};
  Code c = {.indent = "    "};
  combine_drop(aw, &L, &c);
  buf_printf(b, "%s\n", c.b.s ? c.b.s : "");
  buf_free(&c.b);
}

static void emit_drop(Emit *E, AsyncFn *fn, Buf *b) {
  (void)E;
  buf_printf(b, "\n%svoid %s_drop(void *%s) {\n", linkage(fn), fn->name,
             fn->self);
  buf_printf(b, "  struct %s_frame *%s = %s;\n", fn->name, fn->fr, fn->self);
  if (fn->awaits.len) {
    buf_printf(b, "  switch (%s->state) {\n", fn->fr);
    for (int i = 0; i < fn->awaits.len; i++) {
      AwaitSite *aw = fn->awaits.items[i];
      if (aw->kind == AW_COMBINE) {
        buf_printf(b, "  case %s:\n", aw->state);
        emit_combine_drop(E, aw, b);
        buf_puts(b, "    break;\n");
      } else if (aw->dynamic) {
        buf_printf(b, "  case %s:\n    if (%s->sub.%s) {\n", aw->state, fn->fr,
                   aw->sub);
        buf_printf(b, "      %s_drop(%s->sub.%s);\n", aw->callee_name,
                   fn->fr, aw->sub);
        buf_printf(b, "      ac_frame_free(%s->sub.%s);\n    }\n    break;\n",
                   fn->fr, aw->sub);
      } else {
        buf_printf(b, "  case %s:\n    %s_drop(&%s->sub.%s);\n    break;\n",
                   aw->state, aw->callee_name, fn->fr, aw->sub);
      }
    }
    buf_puts(b, "  default:\n    break;\n  }\n");
  }
  buf_printf(b, "  %s->state = %s_DONE;\n}\n", fn->fr, fn->upper);
}

/* What other files need to await this function: its frame size and a way
 * to read the result from an opaque frame. */
static void emit_exports(Emit *E, AsyncFn *fn, Buf *b) {
  if (fn->is_static)
    return;
  buf_printf(b, "\nconst size_t %s_frame_size = sizeof(struct %s_frame);\n",
             fn->name, fn->name);
  if (!fn->ret_type)
    return;
  char *sig = arena_printf(E->a, "%s_result(struct %s_frame *%s)", fn->name,
                           fn->name, fn->fr);
  buf_printf(b, "%s;\n", decl_declarator(E->a,
                                         clang_getCursorResultType(fn->decl),
                                         sig, false));
  buf_printf(b, "%s {\n  return %s->result;\n}\n",
             decl_declarator(E->a, clang_getCursorResultType(fn->decl), sig,
                             false),
             fn->fr);
}

/* The buffer's text, kept where it is until the output is rendered: a
 * definition's text is long, and copying it into the arena would cost as
 * much as writing it. */
static const char *keep_text(Emit *E, Buf *b) {
  if (!b->s)
    return "";
  vec_push(E->a, &E->texts, b->s);
  E->generated += b->len;
  return b->s;
}

static const char *definition_text(Emit *E, AsyncFn *fn) {
  Buf b = {0};
  /* Definitions tend to be alike in size: room for a little more than
   * the last one spares growing the buffer, and copying, step by step. */
  if (E->last_definition)
    buf_reserve(&b, E->last_definition + E->last_definition / 4);
  gen_lines(E, &b);
  declare_fn(E, fn, &b);
  emit_init(E, fn, &b);
  emit_poll(E, fn, &b);
  gen_lines(E, &b);
  emit_drop(E, fn, &b);
  emit_exports(E, fn, &b);
  src_line(E, &b, tu_line(E->tu, fn->def_range.end));
  E->last_definition = b.len;
  return keep_text(E, &b);
}

static const char *prototype_text(Emit *E, AsyncFn *fn) {
  Buf b = {0};
  gen_lines(E, &b);
  buf_printf(&b, "struct %s_frame;\n", fn->name);
  emit_prototypes(E, fn, &b);
  if (!find_definition(E->tu, fn->decl))
    emit_extern_decls(E, fn->decl, &b);
  src_line(E, &b, tu_line(E->tu, fn->def_range.end));
  return keep_text(E, &b);
}

static void add_top_edit(Emit *E, Range r, const char *text) {
  code_add(E->a, &E->lw, r, text);
}

/* Helpers stand in for ac_block_on(f(...)) and ac_spawn(f(...)), which
 * need a frame where the call is written: f_block_on runs f on a stack
 * frame, f_spawn starts it as a task and returns the typed handle. */
typedef enum { HELP_BLOCK_ON, HELP_SPAWN } HelperKind;
typedef struct {
  AsyncFn *fn;
  HelperKind kind;
} Helper;

static const char *const helper_suffix[] = {"block_on", "spawn"};

/* "R f_block_on(P p0, ...)" or "R *f_spawn(P p0, ...)". */
static char *helper_decl(Emit *E, Helper *h, bool named) {
  AsyncFn *fn = h->fn;
  CXType t = clang_getCursorType(fn->decl);
  const char *params = "";
  for (int i = 0; i < clang_getNumArgTypes(t); i++)
    params = arena_printf(
        E->a, "%s%s%s", params, i ? ", " : "",
        decl_declarator(E->a, clang_getArgType(t, (unsigned)i),
                        named ? arena_printf(E->a, "p%d", i) : "", false));
  char *sig = arena_printf(E->a, "%s%s_%s(%s)",
                           h->kind == HELP_SPAWN ? "*" : "", fn->name,
                           helper_suffix[h->kind],
                           params[0] ? params : "void");
  if (!fn->ret_type)
    return arena_printf(E->a, "void %s", sig);
  return decl_declarator(E->a, clang_getCursorResultType(fn->decl), sig,
                         false);
}

static void helper_body(Emit *E, Helper *h, Buf *b) {
  AsyncFn *fn = h->fn;
  const char *args = "";
  for (int i = 0; i < clang_getNumArgTypes(clang_getCursorType(fn->decl));
       i++)
    args = arena_printf(E->a, "%s, p%d", args, i);
  if (h->kind == HELP_BLOCK_ON) {
    buf_printf(b, "  struct %s_frame fr;\n  %s_init(&fr%s);\n", fn->name,
               fn->name, args);
    buf_printf(b, "  ac__block_on_or_exit(&fr, %s_poll, %s_drop);\n",
               fn->name, fn->name);
    if (fn->ret_type)
      buf_puts(b, "  return fr.result;\n");
    return;
  }
  buf_printf(b, "  struct %s_frame *fr;\n", fn->name);
  buf_printf(b, "  ac_task *task = ac__task_new(sizeof *fr, (void **)&fr);\n");
  buf_puts(b, "  if (!task)\n    return NULL;\n");
  buf_printf(b, "  %s_init(fr%s);\n", fn->name, args);
  if (fn->ret_type)
    buf_printf(b, "  ac__task_start(task, %s_poll, %s_drop, &fr->result, "
                  "sizeof fr->result, \"%s\");\n",
               fn->name, fn->name, fn->name);
  else
    buf_printf(b, "  ac__task_start(task, %s_poll, %s_drop, NULL, 0, "
                  "\"%s\");\n",
               fn->name, fn->name, fn->name);
  if (fn->ret_type)
    buf_printf(b, "  return (%s *)(void *)task;\n",
               decl_declarator(E->a, clang_getCursorResultType(fn->decl), "",
                               false));
  else
    buf_puts(b, "  return task;\n");
}

static void add_helper(Emit *E, AsyncFn *fn, HelperKind kind) {
  for (int i = 0; i < E->helpers_used.len; i++) {
    Helper *h = E->helpers_used.items[i];
    if (h->fn == fn && h->kind == kind)
      return;
  }
  Helper *h = arena_alloc(E->a, sizeof *h);
  h->fn = fn;
  h->kind = kind;
  vec_push(E->a, &E->helpers_used, h);
  buf_printf(&E->helpers, "\nstatic %s {\n", helper_decl(E, h, true));
  helper_body(E, h, &E->helpers);
  buf_puts(&E->helpers, "}\n");
}

static unsigned top_level_start(Node *n) {
  while (n->parent)
    n = n->parent;
  return tree_range(n).start;
}

/* Rewrites ac_block_on and ac_spawn calls into helper calls, with the
 * helpers' prototypes before the first declaration that uses one. */
static void lower_helper_calls(Emit *E) {
  Tu *tu = E->tu;
  long first = -1;
  Vec *lists[] = {&tu->block_ons, &tu->spawns};
  for (int l = 0; l < 2; l++)
    /* Inner calls first: an outer call's text includes the inner's. */
    for (int i = lists[l]->len - 1; i >= 0; i--) {
      Node *n = lists[l]->items[i];
      Node *call = l == 0 ? tree_strip(n->operand) : n->operand;
      AsyncFn *fn = find_definition(tu, tree_referenced(call));
      if (!fn)
        internal_error("unchecked ac_block_on or ac_spawn operand");
      add_helper(E, fn, l == 0 ? HELP_BLOCK_ON : HELP_SPAWN);
      if (l == 0)
        lower_block_on(tu, n, &E->lw);
      unsigned top = top_level_start(n);
      if (first < 0 || top < (unsigned long)first)
        first = top;
    }
  for (int i = 0; i < tu->sync_fns.len; i++)
    lower_sync_spawns(tu, tu->sync_fns.items[i], &E->lw);
  if (first < 0)
    return;
  unsigned at = (unsigned)first;
  while (at > 0 && tu->src[at - 1] != '\n')
    at--;
  Buf b = {0};
  gen_lines(E, &b);
  for (int i = 0; i < E->helpers_used.len; i++)
    buf_printf(&b, "static %s;\n",
               helper_decl(E, E->helpers_used.items[i], false));
  src_line(E, &b, tu_line(tu, at));
  add_top_edit(E, (Range){at, at}, buf_take(E->a, &b));
}

/* Counts the newlines in n bytes.  A byte-wide count per block of 240
 * lets the compiler compare a vector of bytes at a time without the
 * count overflowing; 240 is a whole number of 16- and 32-byte vectors. */
static unsigned count_newlines(const char *s, size_t n) {
  unsigned count = 0;
  while (n) {
    size_t block = n < 240 ? n : 240;
    unsigned char in_block = 0;
    for (size_t i = 0; i < block; i++)
      in_block += s[i] == '\n';
    count += in_block;
    s += block;
    n -= block;
  }
  return count;
}

/* The first OUT_LINE marker in [p, end), or NULL.  Its first byte is a
 * control character, rare in any text. */
static const char *find_out_line(const char *p, const char *end) {
  size_t n = strlen(OUT_LINE);
  for (const char *m; (m = memchr(p, OUT_LINE[0], (size_t)(end - p)));
       p = m + 1)
    if ((size_t)(end - m) >= n && memcmp(m, OUT_LINE, n) == 0)
      return m;
  return NULL;
}

/* Appends the text with each OUT_LINE marker replaced by the number of
 * the line after it.  The text ends at its first NUL, as a C string;
 * returns false if it has one. */
static bool patch_out_lines(Emit *E, Buf *text, Buf *out) {
  const char *name = E->opt->output && strcmp(E->opt->output, "-") != 0
                         ? E->opt->output
                         : "<stdout>";
  const char *file = line_file_name(E->a, name);
  unsigned line = 1;
  const char *p = text->s ? text->s : "", *end = p + strlen(p);
  for (;;) {
    const char *m = find_out_line(p, end);
    const char *stop = m ? m : end;
    line += count_newlines(p, (size_t)(stop - p));
    buf_putn(out, p, (size_t)(stop - p));
    if (!m)
      break;
    buf_printf(out, "%u %s", line + 1, file);
    p = m + strlen(OUT_LINE);
  }
  return (size_t)(end - (text->s ? text->s : "")) == text->len;
}

/* A definition's range, widened to the start of its line when only blanks
 * precede it, so the generated text starts on a fresh line. */
static Range definition_range(Tu *tu, AsyncFn *fn) {
  Range r = fn->def_range;
  unsigned s = r.start;
  while (s > 0 && (tu->src[s - 1] == ' ' || tu->src[s - 1] == '\t'))
    s--;
  if (s == 0 || tu->src[s - 1] == '\n')
    r.start = s;
  r.end = tu_skip_semicolon(tu, r.end);
  return r;
}

void emit_file(Tu *tu, const Options *opt, Lowered *lw, Buf *out) {
  Emit E = {.tu = tu, .a = tu->arena, .opt = opt, .lw = *lw};
  E.src_file = line_file_name(E.a, tu->path);
  lower_helper_calls(&E);
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    const char *text = fn->is_definition ? definition_text(&E, fn)
                                         : prototype_text(&E, fn);
    add_top_edit(&E, definition_range(tu, fn), text);
  }
  /* The output is the input with the generated texts in place of some of
   * it, then line numbers and tables: room made once for about that much
   * spares copying it as it grows. */
  Buf text = {0};
  buf_reserve(&text, tu->src_len + E.generated);
  render_range(tu, &E.lw, (Range){0, (unsigned)tu->src_len}, &text);
  for (int i = 0; i < E.texts.len; i++)
    free(E.texts.items[i]);
  /* The trailer: generated code that needs every frame complete. */
  if (text.len && text.s[text.len - 1] != '\n')
    buf_puts(&text, "\n");
  buf_puts(&text, "/* asyncc: helpers and ac_dump_tasks metadata for this "
                  "file. */\n");
  gen_lines(&E, &text);
  buf_reserve(out, text.len + text.len / 4);
  /* The helpers and tables hold no markers: they are appended to the
   * output directly rather than copied there. */
  if (patch_out_lines(&E, &text, out)) {
    if (E.helpers.len)
      buf_puts(out, E.helpers.s);
    info_emit(tu, out);
  }
  buf_free(&text);
  buf_free(&E.helpers);
}
