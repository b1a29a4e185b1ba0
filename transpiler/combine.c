/* combine.c -- awaits of ac_all and ac_race (asyncc/combine.h).
 *
 * A combinator is a tree: its branches are async calls or nested
 * combinators.  Its frame is an anonymous struct holding one member per
 * branch (b0, b1, ...) plus a `pending` bit mask (all) or the `winner`
 * index (race).  Generated code is produced by walking the tree three ways:
 * init every branch; poll the unfinished ones, evaluating a branch's own
 * expression (`a = <result>`) as it completes; drop the unfinished ones.
 * Everything is inline in the caller's poll function, so a combinator
 * costs no allocation and no function of its own. */
#include "transpiler.h"

#include <string.h>

typedef enum { FUT_CALL, FUT_ALL, FUT_RACE } FutKind;

struct Fut {
  FutKind kind;
  Node *node;       /* the call, or the combinator node */
  Node *expr;       /* the branch expression around it; NULL at the root */
  char *callee;     /* FUT_CALL: the async function, by name */
  bool stub;        /* FUT_CALL: through its stub (struct ac_dyn) */
  Node *via;        /* FUT_CALL through a pointer: the pointer expression */
  CXCursor decl;    /* FUT_CALL by name: the callee's declaration */
  Expr *via_expr;   /* ... as printed (lowering) */
  bool has_result;  /* FUT_CALL: non-void */
  Expr *args;       /* FUT_CALL: the call's arguments (lowering) */
  Expr *residual;   /* the branch expression with the value in place of
                       the future, when it is more than the call */
  Fut **kids;
  int nkids;
};

/* The call or combinator a branch expression is built around. */
static void branch_values(Tu *tu, Node *n, Vec *out) {
  if (n->kind == N_ALL || n->kind == N_RACE) {
    vec_push(tu->arena, out, n);
    return;
  }
  if (n->ck == CXCursor_CallExpr) {
    CXCursor callee = tree_referenced(n);
    if (clang_getCursorKind(callee) == CXCursor_FunctionDecl
            ? tu_is_async_decl(tu, callee)
            : tree_pointer_callee(n) != NULL) {
      vec_push(tu->arena, out, n);
      return;
    }
  }
  for (int i = 0; i < n->nkids; i++)
    branch_values(tu, n->kids[i], out);
}

static Fut *build(Tu *tu, Node *value, Node *expr);

static Fut *build_combinator(Tu *tu, Node *n, Node *expr) {
  Arena *a = tu->arena;
  Fut *f = arena_alloc(a, sizeof *f);
  f->kind = n->kind == N_ALL ? FUT_ALL : FUT_RACE;
  f->node = n;
  f->expr = expr;
  f->nkids = n->nbranches;
  f->kids = arena_alloc(a, sizeof(Fut *) * (size_t)(n->nbranches + 1));
  for (int i = 0; i < n->nbranches; i++) {
    Node *b = n->branches[i];
    Vec values = {0};
    branch_values(tu, b->operand, &values);
    if (values.len != 1) {
      diag_error(tu, tree_pos(b),
                 "each operand of a combinator needs exactly one async call "
                 "(this one has %d)",
                 values.len);
      return NULL;
    }
    if (b->operand->has_await) {
      diag_error(tu, tree_pos(b),
                 "'await' inside a combinator operand; await into a "
                 "variable first");
      return NULL;
    }
    f->kids[i] = build(tu, values.items[0], b->operand);
    if (!f->kids[i])
      return NULL;
  }
  return f;
}

static Fut *build(Tu *tu, Node *value, Node *expr) {
  if (value->kind == N_ALL || value->kind == N_RACE)
    return build_combinator(tu, value, expr);
  CXCursor callee = tree_referenced(value);
  Node *via = tree_pointer_callee(value);
  char *name = via ? NULL
                   : arena_cxstr(tu->arena, clang_getCursorSpelling(callee));
  Fut *f = arena_alloc(tu->arena, sizeof *f);
  f->kind = FUT_CALL;
  f->node = value;
  f->expr = expr;
  f->callee = name;
  f->via = via;
  f->decl = callee;
  f->has_result =
      clang_getCanonicalType(clang_getCursorType(value->c)).kind !=
      CXType_Void;
  return f;
}

Fut *combine_build(Tu *tu, Node *combinator) {
  return build_combinator(tu, combinator, NULL);
}

void combine_through_stub(Tu *tu, Fut *f, AsyncFn *callee) {
  if (!f)
    return;
  for (int i = 0; i < f->nkids; i++)
    combine_through_stub(tu, f->kids[i], callee);
  if (f->kind == FUT_CALL && !f->via && find_definition(tu, f->decl) == callee)
    f->stub = true;
}

void combine_resolve(Tu *tu, Fut *f) {
  if (!f)
    return;
  for (int i = 0; i < f->nkids; i++)
    combine_resolve(tu, f->kids[i]);
  /* Through the stub: a pointer, or a function of another file. */
  if (f->kind == FUT_CALL)
    f->stub = f->via || (!find_definition(tu, f->decl) &&
                         !find_struct(tu, arena_printf(tu->arena, "%s_frame",
                                                       f->callee)));
}

static void add_calls(Arena *a, Fut *f, Vec *out) {
  if (f->kind == FUT_CALL) {
    vec_push(a, out, f->node);
    return;
  }
  for (int i = 0; i < f->nkids; i++)
    add_calls(a, f->kids[i], out);
}

void combine_calls(AwaitSite *aw, Vec *out) {
  if (aw->fut)
    add_calls(aw->fn->tu->arena, aw->fut, out);
}

/* ---- Layout ------------------------------------------------------------- */

Slot *combine_slot(AwaitSite *aw, Fut *f, const char *name) {
  Tu *tu = aw->fn->tu;
  Arena *a = tu->arena;
  Slot *s = arena_alloc(a, sizeof *s);
  s->name = name;
  if (f->kind == FUT_CALL && f->stub) {
    s->kind = SLOT_FIELD;
    s->decl = arena_printf(a, "struct ac_dyn %s", name);
    s->size = layout_struct_size(tu, "ac_dyn", &s->align);
    return s;
  }
  if (f->kind == FUT_CALL) {
    s->kind = SLOT_FIELD;
    s->decl = arena_printf(a, "struct %s_frame %s", f->callee, name);
    s->size = layout_frame_size(tu, f->callee, &s->align);
    return s;
  }
  s->kind = SLOT_STRUCT;
  for (int i = 0; i < f->nkids; i++)
    vec_push(a, &s->kids,
             combine_slot(aw, f->kids[i], arena_printf(a, "b%d", i)));
  Slot *tag = arena_alloc(a, sizeof *tag);
  tag->kind = SLOT_FIELD;
  tag->name = f->kind == FUT_ALL ? "pending" : "winner";
  tag->decl = f->kind == FUT_ALL ? "unsigned pending" : "int winner";
  tag->size = tag->align = (long long)sizeof(int);
  vec_push(a, &s->kids, tag);
  return s;
}

/* ---- Lowering ----------------------------------------------------------- */

/* What a finished future evaluates to. */
static const char *value_of(Tu *tu, Fut *f, const char *path) {
  Arena *a = tu->arena;
  switch (f->kind) {
  case FUT_CALL:
    if (!f->has_result)
      return NULL;
    if (f->stub)
      return arena_cat(a, "(*(",
                       decl_declarator(tu, clang_getCursorType(f->node->c),
                                       "*", false),
                       ")ac__dyn_result(&", path, "))", NULL);
    return arena_cat(a, path, ".result", NULL);
  case FUT_ALL:
    return NULL;
  case FUT_RACE:
    return arena_cat(a, path, ".winner", NULL);
  }
  return NULL;
}

static void collect_vars(Arena *a, const Expr *e, Vec *out) {
  for (int i = 0; e && i < e->n; i++) {
    if (e->p[i].kind == P_VAR && !vec_has(out, e->p[i].var))
      vec_push(a, out, e->p[i].var);
    else if (e->p[i].kind == P_MACRO)
      collect_vars(a, e->p[i].alt, out);
  }
}

/* Gives each branch its arguments and its expression: the variables they
 * name are used at every poll of the combinator (live.c). */
static void lower_branches(ExprCx *x, Holes *h, Fut *f, const char *path,
                           LStmt *st) {
  Arena *a = x->a;
  if (f->kind == FUT_CALL) {
    f->args = expr_call_args(x, f->node, h);
    collect_vars(a, f->args, &st->uses);
    if (f->via) {
      f->via_expr = expr_of(x, f->via, h);
      collect_vars(a, f->via_expr, &st->uses);
    }
  } else {
    for (int i = 0; i < f->nkids; i++)
      lower_branches(x, h, f->kids[i], arena_printf(a, "%s.b%d", path, i),
                     st);
  }
  if (f->expr && tree_strip(f->expr) != f->node) {
    const char *v = value_of(x->tu, f, path);
    holes_add(a, h, f->node, v ? v : "(void)0", NULL);
    f->residual = expr_of(x, f->expr, h);
    collect_vars(a, f->residual, &st->uses);
  }
}

Expr *combine_lower(ExprCx *x, Holes *h, AwaitSite *aw, LStmt *block,
                    bool keep_result) {
  AsyncFn *fn = aw->fn;
  Arena *a = x->a;
  LStmt *st = lstmt_new(a, L_AWAIT, aw->line);
  st->aw = aw;
  lower_branches(x, h, aw->fut, arena_cat(a, fn->fr, "->sub.", aw->sub, NULL),
                 st);
  Expr *res = NULL;
  if (keep_result && aw->fut->kind == FUT_RACE) {
    Var *t = lower_temp(fn, clang_getCursorType(aw->node->c), NULL, "winner");
    t->scope = block;
    LStmt *d = lstmt_new(a, L_DECL, aw->line);
    d->var = t;
    lblock_add(a, block, d);
    st->var = t;
    res = arena_alloc(a, sizeof *res);
    expr_add_var(a, res, t);
  } else if (keep_result) {
    res = expr_text(a, "(void)0");
  }
  lblock_add(a, block, st);
  return res;
}

/* ---- Code ------------------------------------------------------------------ */

typedef struct {
  Tu *tu;
  Buf *out;
  const char *fr, *cx;
  int depth;
} Gen;

static void line(Gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void line(Gen *g, const char *fmt, ...) {
  for (int i = 0; i < g->depth; i++)
    buf_puts(g->out, "  ");
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(g->out, fmt, ap);
  va_end(ap);
  buf_puts(g->out, "\n");
}

static char *member(Gen *g, const char *path, int i) {
  return arena_printf(g->tu->arena, "%s.b%d", path, i);
}

/* Marks every combinator in f as having nothing to drop, before any
 * branch is set up: a call through a stub may find no memory for its
 * frame, and the task is then dropped at this await. */
static void gen_nothing_pending(Gen *g, Fut *f, const char *path) {
  if (f->kind == FUT_CALL)
    return;
  for (int i = 0; i < f->nkids; i++)
    gen_nothing_pending(g, f->kids[i], member(g, path, i));
  if (f->kind == FUT_ALL)
    line(g, "%s.pending = 0;", path);
  else
    line(g, "%s.winner = %d;", path, f->nkids);
}

static bool has_stub(Fut *f) {
  if (f->kind == FUT_CALL)
    return f->stub;
  for (int i = 0; i < f->nkids; i++)
    if (has_stub(f->kids[i]))
      return true;
  return false;
}

/* The calls through stubs first, each announced then made (the stub sets
 * up the frame); on running out of memory, those made so far are dropped.
 * `done` lists their paths. */
static void gen_stub_inits(Gen *g, Fut *f, const char *path, Vec *done) {
  if (f->kind != FUT_CALL) {
    for (int i = 0; i < f->nkids; i++)
      gen_stub_inits(g, f->kids[i], member(g, path, i), done);
    return;
  }
  if (!f->stub)
    return;
  const char *args = expr_str(g->tu, f->args, g->fr);
  const char *callee =
      f->via ? arena_cat(g->tu->arena, "(",
                         expr_str(g->tu, f->via_expr, g->fr), ")", NULL)
             : f->callee;
  line(g, "ac__dyn_call(&%s, AC_DYN_AWAIT, %s, NULL);", path, g->cx);
  line(g, "(void)%s(%s);", callee, args);
  line(g, "if (ac__dyn_check(&%s) != 0) {", path);
  g->depth++;
  for (int i = done->len - 1; i >= 0; i--)
    line(g, "ac__dyn_drop(&%s);", (const char *)done->items[i]);
  line(g, "return ac__frame_oom(%s);", g->cx);
  g->depth--;
  line(g, "}");
  vec_push(g->tu->arena, done, (void *)path);
}

static void gen_init(Gen *g, Fut *f, const char *path) {
  if (f->kind == FUT_CALL) {
    if (f->stub)
      return; /* gen_stub_inits */
    const char *args = expr_str(g->tu, f->args, g->fr);
    line(g, "%s_init(&%s%s%s);", f->callee, path, args[0] ? ", " : "", args);
    return;
  }
  for (int i = 0; i < f->nkids; i++)
    gen_init(g, f->kids[i], member(g, path, i));
  if (f->kind == FUT_ALL)
    line(g, "%s.pending = 0x%xu;", path, (1u << f->nkids) - 1);
  else
    line(g, "%s.winner = -1;", path);
}

static void gen_drop(Gen *g, Fut *f, const char *path) {
  if (f->kind == FUT_CALL) {
    if (f->stub)
      line(g, "ac__dyn_drop(&%s);", path);
    else
      line(g, "%s_drop(&%s);", f->callee, path);
    return;
  }
  for (int i = 0; i < f->nkids; i++) {
    if (f->kind == FUT_ALL)
      line(g, "if (%s.pending & 0x%xu) {", path, 1u << i);
    else
      line(g, "if (%s.winner < 0) {", path);
    g->depth++;
    gen_drop(g, f->kids[i], member(g, path, i));
    g->depth--;
    line(g, "}");
  }
}

/* The branch's own expression, with its future replaced by the value. */
static void gen_residual(Gen *g, Fut *f) {
  if (f->residual)
    line(g, "%s;", expr_str(g->tu, f->residual, g->fr));
}

static void gen_poll(Gen *g, Fut *f, const char *path, const char *on_ready);

static void gen_poll_all(Gen *g, Fut *f, const char *path,
                         const char *on_ready) {
  for (int i = 0; i < f->nkids; i++) {
    unsigned bit = 1u << i;
    line(g, "if (%s.pending & 0x%xu) {", path, bit);
    g->depth++;
    gen_poll(g, f->kids[i], member(g, path, i),
             arena_printf(g->tu->arena, "%s.pending &= ~0x%xu;", path, bit));
    g->depth--;
    line(g, "}");
  }
  line(g, "if (!%s.pending) {", path);
  g->depth++;
  gen_residual(g, f);
  line(g, "%s", on_ready);
  g->depth--;
  line(g, "}");
}

/* The first branch to finish wins: every loser is dropped, then the
 * winner's expression runs. */
static void gen_poll_race(Gen *g, Fut *f, const char *path,
                          const char *on_ready) {
  for (int i = 0; i < f->nkids; i++) {
    line(g, "if (%s.winner < 0) {", path);
    g->depth++;
    gen_poll(g, f->kids[i], member(g, path, i),
             arena_printf(g->tu->arena, "%s.winner = %d;", path, i));
    g->depth--;
    line(g, "}");
  }
  line(g, "switch (%s.winner) {", path);
  for (int i = 0; i < f->nkids; i++) {
    line(g, "case %d:", i);
    g->depth++;
    for (int k = 0; k < f->nkids; k++)
      if (k != i)
        gen_drop(g, f->kids[k], member(g, path, k));
    gen_residual(g, f);
    line(g, "%s", on_ready);
    line(g, "break;");
    g->depth--;
  }
  line(g, "}");
}

/* Polls f; once it has finished, runs its branch expression and then
 * on_ready.  A call's expression runs inside the poll of its own branch. */
static void gen_poll(Gen *g, Fut *f, const char *path, const char *on_ready) {
  switch (f->kind) {
  case FUT_CALL:
    if (f->stub)
      line(g, "if (ac__dyn_poll(&%s, %s) == AC_READY) {", path, g->cx);
    else
      line(g, "if (%s_poll(&%s, %s) == AC_READY) {", f->callee, path, g->cx);
    g->depth++;
    gen_residual(g, f);
    if (f->stub)
      line(g, "ac__dyn_free(&%s);", path);
    line(g, "%s", on_ready);
    g->depth--;
    line(g, "}");
    return;
  case FUT_ALL:
    gen_poll_all(g, f, path, on_ready);
    return;
  case FUT_RACE:
    gen_poll_race(g, f, path, on_ready);
    return;
  }
}

void combine_print(AwaitSite *aw, LStmt *st, const char *fr, Buf *out) {
  AsyncFn *fn = aw->fn;
  Tu *tu = fn->tu;
  Arena *a = tu->arena;
  Buf b = {0};
  Gen g = {tu, &b, fr, fn->cx, 0};
  const char *path = arena_cat(a, fr, "->sub.", aw->sub, NULL);
  char *ready = name_unique(fn, arena_cat(a, "ready_", aw->label + 7, NULL));
  line(&g, "%s->state = %s;", fr, aw->state);
  if (has_stub(aw->fut)) {
    Vec done = {0};
    gen_nothing_pending(&g, aw->fut, path);
    gen_stub_inits(&g, aw->fut, path, &done);
  }
  gen_init(&g, aw->fut, path);
  if (tu->opt->test_suspend) {
    line(&g, "if (ac__test_suspend(%s) == AC_PENDING)", fn->cx);
    line(&g, "  return AC_PENDING;");
  }
  /* Labels are marked for the printer, which puts them one level out. */
  buf_printf(&b, "\001%s:;\n", aw->label);
  gen_poll(&g, aw->fut, path, arena_printf(a, "goto %s;", ready));
  line(&g, "return AC_PENDING;");
  buf_printf(&b, "\001%s:;\n", ready);
  if (st->var) {
    Var *t = st->var;
    line(&g, "%s = %s.winner;",
         t->saved ? arena_cat(a, fr, "->", t->field, NULL) : t->name, path);
  }
  buf_puts(out, b.s);
  buf_free(&b);
}

void combine_drop(AwaitSite *aw, Buf *out, const char *indent) {
  AsyncFn *fn = aw->fn;
  Buf b = {0};
  Gen g = {fn->tu, &b, fn->fr, fn->cx, 0};
  gen_drop(&g, aw->fut,
           arena_cat(fn->tu->arena, fn->fr, "->sub.", aw->sub, NULL));
  /* Every line at the caller's indentation. */
  for (const char *s = b.s ? b.s : ""; *s;) {
    const char *nl = strchr(s, '\n');
    buf_puts(out, indent);
    buf_putn(out, s, nl ? (size_t)(nl - s + 1) : strlen(s));
    s = nl ? nl + 1 : s + strlen(s);
  }
  buf_free(&b);
}

static void add_leaves(Arena *a, Fut *f, const char *path, Vec *paths,
                       Vec *callees) {
  if (f->kind == FUT_CALL) {
    vec_push(a, paths, (void *)path);
    /* NULL: through a stub (struct ac_dyn). */
    vec_push(a, callees, f->stub ? NULL : f->callee);
    return;
  }
  for (int i = 0; i < f->nkids; i++)
    add_leaves(a, f->kids[i], arena_printf(a, "%s.b%d", path, i), paths,
               callees);
}

void combine_leaves(AwaitSite *aw, Vec *paths, Vec *callees) {
  if (aw->fut)
    add_leaves(aw->fn->tu->arena, aw->fut,
               arena_printf(aw->fn->tu->arena, "sub.%s", aw->sub), paths,
               callees);
}
