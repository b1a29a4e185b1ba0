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
  char *callee;     /* FUT_CALL: the async function */
  bool has_result;  /* FUT_CALL: non-void */
  Fut **kids;
  int nkids;
};

/* The call or combinator a branch expression is built around. */
static void branch_values(Node *n, Vec *out, Arena *a) {
  if (n->kind == N_ALL || n->kind == N_RACE) {
    vec_push(a, out, n);
    return;
  }
  if (n->ck == CXCursor_CallExpr) {
    CXCursor callee = tree_referenced(n);
    if (clang_getCursorKind(callee) == CXCursor_FunctionDecl &&
        tu_is_async_decl(callee)) {
      vec_push(a, out, n);
      return;
    }
  }
  for (int i = 0; i < n->nkids; i++)
    branch_values(n->kids[i], out, a);
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
    branch_values(b->operand, &values, a);
    if (values.len != 1) {
      diag_error((Loc){tree_range(b).start},
                 "each operand of a combinator needs exactly one async call "
                 "(this one has %d)",
                 values.len);
      return NULL;
    }
    if (b->operand->has_await) {
      diag_error((Loc){tree_range(b).start},
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
  AsyncFn *def = find_definition(tu, callee);
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(callee));
  if (!def && !find_struct(tu, arena_printf(tu->arena, "%s_frame", name))) {
    diag_error((Loc){tree_range(value).start},
               "'%s' is defined in another file; combinators need frames of "
               "known size for now",
               name);
    return NULL;
  }
  Fut *f = arena_alloc(tu->arena, sizeof *f);
  f->kind = FUT_CALL;
  f->node = value;
  f->expr = expr;
  f->callee = name;
  f->has_result =
      clang_getCanonicalType(clang_getCursorType(value->c)).kind !=
      CXType_Void;
  return f;
}

Fut *combine_build(Tu *tu, Node *combinator) {
  return build_combinator(tu, combinator, NULL);
}

static void add_calls(Fut *f, Vec *out, Arena *a) {
  if (f->kind == FUT_CALL) {
    vec_push(a, out, f->node);
    return;
  }
  for (int i = 0; i < f->nkids; i++)
    add_calls(f->kids[i], out, a);
}

void combine_calls(AwaitSite *aw, Vec *out) {
  if (aw->fut)
    add_calls(aw->fut, out, aw->fn->tu->arena);
}

/* ---- Layout ------------------------------------------------------------- */

Slot *combine_slot(AwaitSite *aw, Fut *f, const char *name) {
  Tu *tu = aw->fn->tu;
  Arena *a = tu->arena;
  Slot *s = arena_alloc(a, sizeof *s);
  s->name = name;
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

/* ---- Code ------------------------------------------------------------------ */

typedef struct {
  Lower *L;
  Code *c;
  unsigned line;
} Gen;

static char *member(Gen *g, const char *path, int i) {
  return arena_printf(g->L->a, "%s.b%d", path, i);
}

static void gen_init(Gen *g, Fut *f, const char *path) {
  if (f->kind == FUT_CALL) {
    Node *call = f->node;
    const char *args = lower_call_args(g->L, call);
    code_line(g->L, g->c, g->line, "%s_init(&%s%s%s);", f->callee, path,
              args[0] ? ", " : "", args);
    return;
  }
  for (int i = 0; i < f->nkids; i++)
    gen_init(g, f->kids[i], member(g, path, i));
  if (f->kind == FUT_ALL)
    code_line(g->L, g->c, g->line, "%s.pending = 0x%xu;", path,
              (1u << f->nkids) - 1);
  else
    code_line(g->L, g->c, g->line, "%s.winner = -1;", path);
}

static void gen_drop(Gen *g, Fut *f, const char *path) {
  if (f->kind == FUT_CALL) {
    code_line(g->L, g->c, g->line, "%s_drop(&%s);", f->callee, path);
    return;
  }
  for (int i = 0; i < f->nkids; i++) {
    if (f->kind == FUT_ALL)
      code_line(g->L, g->c, g->line, "if (%s.pending & 0x%xu) {", path,
                1u << i);
    else
      code_line(g->L, g->c, g->line, "if (%s.winner < 0) {", path);
    g->c->depth++;
    gen_drop(g, f->kids[i], member(g, path, i));
    g->c->depth--;
    code_line(g->L, g->c, g->line, "}");
  }
}

/* What a finished future evaluates to. */
static const char *value_of(Gen *g, Fut *f, const char *path) {
  switch (f->kind) {
  case FUT_CALL:
    return f->has_result ? arena_printf(g->L->a, "%s.result", path) : NULL;
  case FUT_ALL:
    return NULL;
  case FUT_RACE:
    return arena_printf(g->L->a, "%s.winner", path);
  }
  return NULL;
}

/* The branch's own expression, with its future replaced by the value. */
static void gen_residual(Gen *g, Fut *f, const char *path) {
  if (!f->expr || tree_strip(f->expr) == f->node)
    return; /* nothing but the call: its value is unused */
  const char *v = value_of(g, f, path);
  code_edit(g->L, tree_range(f->node), v ? v : "(void)0");
  code_line(g->L, g->c, g->line, "%s;", code_render(g->L, tree_range(f->expr)));
}

static void gen_poll(Gen *g, Fut *f, const char *path, const char *on_ready);

static void gen_poll_all(Gen *g, Fut *f, const char *path,
                         const char *on_ready) {
  for (int i = 0; i < f->nkids; i++) {
    unsigned bit = 1u << i;
    code_line(g->L, g->c, g->line, "if (%s.pending & 0x%xu) {", path, bit);
    g->c->depth++;
    gen_poll(g, f->kids[i], member(g, path, i),
             arena_printf(g->L->a, "%s.pending &= ~0x%xu;", path, bit));
    g->c->depth--;
    code_line(g->L, g->c, g->line, "}");
  }
  code_line(g->L, g->c, g->line, "if (!%s.pending) {", path);
  g->c->depth++;
  gen_residual(g, f, path);
  code_line(g->L, g->c, g->line, "%s", on_ready);
  g->c->depth--;
  code_line(g->L, g->c, g->line, "}");
}

/* The first branch to finish wins: every loser is dropped, then the
 * winner's expression runs. */
static void gen_poll_race(Gen *g, Fut *f, const char *path,
                          const char *on_ready) {
  for (int i = 0; i < f->nkids; i++) {
    code_line(g->L, g->c, g->line, "if (%s.winner < 0) {", path);
    g->c->depth++;
    gen_poll(g, f->kids[i], member(g, path, i),
             arena_printf(g->L->a, "%s.winner = %d;", path, i));
    g->c->depth--;
    code_line(g->L, g->c, g->line, "}");
  }
  code_line(g->L, g->c, g->line, "switch (%s.winner) {", path);
  for (int i = 0; i < f->nkids; i++) {
    code_line(g->L, g->c, g->line, "case %d:", i);
    g->c->depth++;
    for (int k = 0; k < f->nkids; k++)
      if (k != i)
        gen_drop(g, f->kids[k], member(g, path, k));
    gen_residual(g, f, path);
    code_line(g->L, g->c, g->line, "%s", on_ready);
    code_line(g->L, g->c, g->line, "break;");
    g->c->depth--;
  }
  code_line(g->L, g->c, g->line, "}");
}

/* Polls f; once it has finished, runs its branch expression and then
 * on_ready.  A call's expression runs inside the poll of its own branch. */
static void gen_poll(Gen *g, Fut *f, const char *path, const char *on_ready) {
  switch (f->kind) {
  case FUT_CALL:
    code_line(g->L, g->c, g->line, "if (%s_poll(&%s, %s) == AC_READY) {",
              f->callee, path, g->L->fn->cx);
    g->c->depth++;
    gen_residual(g, f, path);
    code_line(g->L, g->c, g->line, "%s", on_ready);
    g->c->depth--;
    code_line(g->L, g->c, g->line, "}");
    return;
  case FUT_ALL:
    gen_poll_all(g, f, path, on_ready);
    return;
  case FUT_RACE:
    gen_poll_race(g, f, path, on_ready);
    return;
  }
}

const char *combine_lower(Lower *L, AwaitSite *aw, Code *pre,
                          bool keep_result) {
  Gen g = {L, pre, aw->line};
  const char *f = L->fn->fr;
  char *path = arena_printf(L->a, "%s->sub.%s", f, aw->sub);
  char *ready = frame_new_label(L->fn, arena_printf(L->a, "ready_%s",
                                                   aw->label + 7));
  code_line(L, pre, aw->line, "%s->state = %s;", f, aw->state);
  gen_init(&g, aw->fut, path);
  if (L->opt->test_suspend) {
    code_line(L, pre, aw->line, "if (ac__test_suspend(%s) == AC_PENDING)",
              L->fn->cx);
    code_line(L, pre, aw->line, "  return AC_PENDING;");
  }
  code_label(L, pre, aw->line, aw->label);
  gen_poll(&g, aw->fut, path, arena_printf(L->a, "goto %s;", ready));
  code_line(L, pre, aw->line, "return AC_PENDING;");
  code_label(L, pre, aw->line, ready);
  if (!keep_result || aw->fut->kind == FUT_ALL)
    return "";
  char *t = frame_new_temp(L->fn, clang_getCursorType(aw->node->c), "winner");
  code_line(L, pre, aw->line, "%s->%s = %s.winner;", f, t, path);
  return arena_printf(L->a, "%s->%s", f, t);
}

void combine_drop(AwaitSite *aw, Lower *L, Code *c) {
  Gen g = {L, c, aw->line};
  gen_drop(&g, aw->fut, arena_printf(L->a, "%s->sub.%s", aw->fn->fr,
                                     aw->sub));
}

static void add_leaves(Arena *a, Fut *f, const char *path, Vec *paths,
                       Vec *callees) {
  if (f->kind == FUT_CALL) {
    vec_push(a, paths, (void *)path);
    vec_push(a, callees, f->callee);
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
