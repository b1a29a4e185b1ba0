/* lower.c -- turns an async function's body into its lowered form: the
 * statements of the poll function, each with its source line and its
 * expressions (text with holes, expr.c), every await a suspension point
 * of its own (L_AWAIT) and every temporary a variable, so that liveness
 * and the frame's layout see all of them.
 *
 * An expression holding awaits is split into a prelude -- the statements
 * that run the awaits, in C's evaluation order -- and a residual
 * expression that reads their results.  Operators that sequence their
 * operands (&&, ||, ?:, comma, statement expressions) become control flow
 * in the prelude, so an operand that C would not evaluate is neither run
 * nor awaited.  Whether a variable lives in the frame is decided later
 * (frame.c); the printer spells each reference accordingly. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

/* A loop or switch around the statement being lowered: where `break` and
 * `continue` go. */
typedef struct Loop Loop;
struct Loop {
  Loop *up;
  bool is_switch;
  const char *next; /* the label `continue` jumps to, when the loop's
                       continue point awaits */
  bool next_used;
  int scope_depth;  /* open scopes outside the loop */
};

typedef struct {
  AsyncFn *fn;
  Tu *tu;
  Arena *a;
  ExprCx x;
  Holes holes;
  Loop *loop;
  Vec scopes;       /* LStmt * blocks open, outermost first */
  Map literals;     /* Vec * of literal temporaries, by the statement of
                       a block that holds them */
} Lower;

LStmt *lstmt_new(Arena *a, LKind kind, unsigned line) {
  LStmt *s = arena_alloc(a, sizeof *s);
  s->kind = kind;
  s->line = line;
  return s;
}

void lblock_add(Arena *a, LStmt *block, LStmt *s) {
  vec_push(a, &block->kids, s);
}

LStmt *lgen(Arena *a, unsigned line, const char *text) {
  LStmt *s = lstmt_new(a, L_GEN, line);
  s->text = text;
  return s;
}

static LStmt *emit(Lower *L, LStmt *block, LKind kind, unsigned line) {
  LStmt *s = lstmt_new(L->a, kind, line);
  lblock_add(L->a, block, s);
  return s;
}

static unsigned line_of(Lower *L, Node *n) {
  return tu_line(L->tu, tree_pos(n));
}

static Expr *ex(Lower *L, Node *n) { return expr_of(&L->x, n, &L->holes); }

Var *lower_temp(AsyncFn *fn, CXType type, const char *type_text,
                const char *hint) {
  Arena *a = fn->tu->arena;
  Var *v = arena_alloc(a, sizeof *v);
  v->kind = VAR_TEMP;
  v->index = fn->vars.len;
  v->name = name_unique(fn, hint);
  v->type = type;
  v->type_text = type_text ? arena_strdup(a, type_text) : NULL;
  v->automatic = true;
  vec_push(a, &fn->vars, v);
  return v;
}

/* A temporary, declared in `block` where it is made. */
static Var *temp(Lower *L, LStmt *block, CXType type, const char *hint,
                 unsigned line) {
  Var *v = lower_temp(L->fn, type, NULL, hint);
  v->scope = block;
  LStmt *d = emit(L, block, L_DECL, line);
  d->var = v;
  return v;
}

static Expr *var_expr(Lower *L, Var *v) {
  Expr *e = arena_alloc(L->a, sizeof *e);
  expr_add_var(L->a, e, v);
  return e;
}

/* ---- Expressions ---------------------------------------------------------- */

static Expr *lin(Lower *L, Node *n, LStmt *pre);
static void assign_temp(Lower *L, LStmt *block, Var *t, Expr *v,
                        unsigned line);
static void lower_stmt(Lower *L, Node *n, LStmt *into);
static void lower_grouped(Lower *L, Node *n, LStmt *into);
static Expr *replaced(Lower *L, Node *n, Expr *residual);
static bool literal_escapes(Node *n);
static Expr *in_variable(Lower *L, Var *v, CXType t, Expr *text);
static bool needs_lowering(Node *n);

static bool is_binop(Node *n, enum CXBinaryOperatorKind op) {
  return n->ck == CXCursor_BinaryOperator && n->nkids == 2 &&
         clang_getCursorBinaryOperatorKind(n->c) == op;
}

/* GNU's a ?: b: libclang shows the common operand three times. */

/* True if the expression needs lowering: an await, or a statement
 * expression that returns. */
static bool needs_lowering(Node *n) {
  return n->has_await || n->has_jump;
}

static const char *sub_path(Lower *L, AwaitSite *aw) {
  return arena_cat(L->a, L->fn->fr, "->sub.", aw->sub, NULL);
}

/* The arguments of a call as one expression, their awaits lowered into
 * `pre` first (none when it is NULL). */
static Expr *args_of(Lower *L, Node *call, LStmt *pre) {
  int n = clang_Cursor_getNumArguments(call->c);
  for (int i = 0; pre && i < n; i++) {
    Node *arg = tree_call_arg(call, i);
    if (needs_lowering(arg))
      lin(L, arg, pre);
  }
  return expr_call_args(&L->x, call, &L->holes);
}

static Expr *call_args(Lower *L, Node *call, LStmt *pre) {
  return args_of(L, call, pre);
}


/* await(f(args))  =>  an L_AWAIT (state, init, resume label, poll), and
 * the residual reads the result: from the sub-frame when nothing can
 * reuse it first, else from a temporary the await fills. */
static Expr *lower_await(Lower *L, Node *n, LStmt *pre, bool keep) {
  AwaitSite *aw = n->await;
  if (aw->kind == AW_COMBINE) {
    Expr *res = combine_lower(&L->x, &L->holes, aw, pre, keep);
    return res ? replaced(L, n, res) : NULL;
  }
  Expr *args, *callee = NULL;
  if (aw->kind == AW_STUB && aw->callee_expr)
    callee = lin(L, aw->callee_expr, pre); /* the pointer called */
  if (aw->kind == AW_JOIN) {
    args = arena_alloc(L->a, sizeof *args);
    expr_add_text(L->a, args, "(ac_task *)(void *)(");
    expr_add_expr(L->a, args, lin(L, aw->call->operand, pre));
    expr_add_text(L->a, args, ")");
  } else {
    args = call_args(L, aw->call, pre);
  }
  LStmt *st = lstmt_new(L->a, L_AWAIT, aw->line);
  st->aw = aw;
  st->e[0] = args;
  st->e[1] = callee;
  Expr *res = NULL;
  if (keep && !aw->result_type) {
    res = expr_text(L->a, "(void)0");
  } else if (keep && (aw->kind == AW_JOIN || aw->kind == AW_STUB ||
                      aw->dynamic || !aw->direct)) {
    st->var = temp(L, pre, aw->rtype, "t", aw->line);
    res = var_expr(L, st->var);
  } else if (keep) {
    res = expr_text(L->a, arena_cat(L->a, sub_path(L, aw), ".result", NULL));
  }
  lblock_add(L->a, pre, st);
  return res ? replaced(L, n, res) : NULL;
}

/* a && b  =>  t = (a) != 0; if (t) { ...b's awaits; t = (b) != 0; }
 * a || b  =>  t = (a) != 0; if (!t) { ...b's awaits; t = (b) != 0; } */
static Expr *lower_logical(Lower *L, Node *n, LStmt *pre, bool is_and) {
  unsigned line = line_of(L, n);
  Expr *lhs = lin(L, n->kids[0], pre);
  Var *t = temp(L, pre, clang_getCursorType(n->c), "cond", line);
  LStmt *set = emit(L, pre, L_EXPR, line);
  set->kill = t;
  set->e[0] = var_expr(L, t);
  expr_add_text(L->a, set->e[0], " = (");
  expr_add_expr(L->a, set->e[0], lhs);
  expr_add_text(L->a, set->e[0], ") != 0");
  set->e[0]->p[0].def = true;
  LStmt *iff = emit(L, pre, L_IF, line);
  iff->e[0] = arena_alloc(L->a, sizeof(Expr));
  expr_add_text(L->a, iff->e[0], is_and ? "" : "!");
  expr_add_var(L->a, iff->e[0], t);
  iff->body = lstmt_new(L->a, L_BLOCK, line);
  iff->body->braced = iff->body->scope = true;
  Expr *rhs = lin(L, n->kids[1], iff->body);
  LStmt *set2 = emit(L, iff->body, L_EXPR, line);
  set2->kill = t;
  set2->e[0] = var_expr(L, t);
  set2->e[0]->p[0].def = true;
  expr_add_text(L->a, set2->e[0], " = (");
  expr_add_expr(L->a, set2->e[0], rhs);
  expr_add_text(L->a, set2->e[0], ") != 0");
  return var_expr(L, t);
}

/* t = v;  (or nothing for a void value, which is evaluated for effect) */
static void assign_temp(Lower *L, LStmt *block, Var *t, Expr *v,
                        unsigned line) {
  LStmt *s = emit(L, block, L_EXPR, line);
  if (!t) {
    if (!expr_empty(v)) {
      s->e[0] = expr_text(L->a, "(void)(");
      expr_add_expr(L->a, s->e[0], v);
      expr_add_text(L->a, s->e[0], ")");
    } else {
      s->kind = L_NULL;
    }
    return;
  }
  s->kill = t;
  s->e[0] = var_expr(L, t);
  s->e[0]->p[0].def = true;
  expr_add_text(L->a, s->e[0], " = ");
  expr_add_expr(L->a, s->e[0], v);
}

static bool is_void(Node *n) {
  return clang_getCanonicalType(clang_getCursorType(n->c)).kind ==
         CXType_Void;
}

static LStmt *new_body(Lower *L, unsigned line) {
  LStmt *b = lstmt_new(L->a, L_BLOCK, line);
  b->braced = b->scope = true;
  return b;
}

/* c ? a : b  =>  if (c) { ...; t = a; } else { ...; t = b; } */
static Expr *lower_conditional(Lower *L, Node *n, LStmt *pre) {
  unsigned line = line_of(L, n);
  Expr *cond = lin(L, n->kids[0], pre);
  Var *t = is_void(n) ? NULL : temp(L, pre, clang_getCursorType(n->c),
                                     "cond", line);
  LStmt *iff = emit(L, pre, L_IF, line);
  iff->e[0] = cond;
  iff->body = new_body(L, line);
  iff->els = new_body(L, line);
  assign_temp(L, iff->body, t, lin(L, n->kids[1], iff->body), line);
  assign_temp(L, iff->els, t, lin(L, n->kids[2], iff->els), line);
  return t ? var_expr(L, t) : expr_text(L->a, "(void)0");
}

/* a ?: b  =>  t = a; if (!t) { ...b's awaits; t = b; } */
static Expr *lower_gnu_conditional(Lower *L, Node *n, LStmt *pre) {
  unsigned line = line_of(L, n);
  Var *t = temp(L, pre, clang_getCursorType(n->c), "cond", line);
  assign_temp(L, pre, t, lin(L, n->kids[0], pre), line);
  LStmt *iff = emit(L, pre, L_IF, line);
  iff->e[0] = expr_text(L->a, "!");
  expr_add_var(L->a, iff->e[0], t);
  iff->body = new_body(L, line);
  assign_temp(L, iff->body, t, lin(L, n->kids[3], iff->body), line);
  return var_expr(L, t);
}

static void discard(Lower *L, Node *e, LStmt *pre);

/* a, b  =>  a;  and the residual is b. */
static Expr *lower_comma(Lower *L, Node *n, LStmt *pre) {
  discard(L, n->kids[0], pre);
  return lin(L, n->kids[1], pre);
}

/* The locals of a statement expression that is lowered into statements
 * are the function's like any other; those of one kept inside its
 * statement never see an await, and stay where they are (frame.c). */
static void unpin_locals(Lower *L, Node *n) {
  if (n->ck == CXCursor_VarDecl) {
    Var *v = find_var(L->fn, n->c);
    if (v)
      v->in_stmt_expr = false;
  }
  for (int i = 0; i < n->nkids; i++)
    if (n->kids[i]->ck != CXCursor_StmtExpr)
      unpin_locals(L, n->kids[i]);
}

/* ({ s1; ...; e; })  =>  { s1; ...; t = e; }  and the residual is t: the
 * statements run in the prelude, in a block of their own. */
static Expr *lower_stmt_expr(Lower *L, Node *n, LStmt *pre) {
  unsigned line = line_of(L, n);
  Node *body = n->kids[0];
  Var *t = is_void(n) ? NULL : temp(L, pre, clang_getCursorType(n->c),
                                     "value", line);
  LStmt *block = new_body(L, line);
  lblock_add(L->a, pre, block);
  vec_push(L->a, &L->scopes, block);
  for (int i = 0; i < body->nkids; i++) {
    Node *k = body->kids[i];
    if (i + 1 == body->nkids && clang_isExpression(k->ck))
      assign_temp(L, block, t, lin(L, k, block), line_of(L, k));
    else
      lower_stmt(L, k, block);
  }
  L->scopes.len--;
  unpin_locals(L, body);
  return t ? var_expr(L, t) : expr_text(L->a, "(void)0");
}

/* The association a _Generic selects is the one whose type is the
 * selection's. */
static Node *generic_choice(Lower *L, Node *n) {
  Node *chosen = tree_generic_choice(n);
  if (!chosen) {
    diag_error(L->tu, tree_pos(n),
               "cannot tell which association of this '_Generic' is "
               "selected; give the associations different types");
    return NULL;
  }
  return chosen;
}

/* Any other expression: its awaiting operands are lowered in order and the
 * residual is the expression's own text around them. */
static Expr *lower_generic(Lower *L, Node *n, LStmt *pre) {
  for (int i = 0; i < n->nkids; i++)
    if (needs_lowering(n->kids[i]))
      lin(L, n->kids[i], pre);
  return ex(L, n);
}

/* n's residual stands where n was: the expressions around it are printed
 * with it in n's place. */
static Expr *replaced(Lower *L, Node *n, Expr *residual) {
  if (!holes_has(&L->holes, n))
    holes_add(L->a, &L->holes, n, NULL, residual);
  return ex(L, n);
}

/* Lowers n's awaits into `pre`; returns the residual expression. */
static Expr *lin(Lower *L, Node *n, LStmt *pre) {
  if (!needs_lowering(n))
    return ex(L, n);
  if (n->kind == N_AWAIT)
    return lower_await(L, n, pre, true);
  if (is_binop(n, CXBinaryOperator_LAnd) && needs_lowering(n->kids[1]))
    return replaced(L, n, lower_logical(L, n, pre, true));
  if (is_binop(n, CXBinaryOperator_LOr) && needs_lowering(n->kids[1]))
    return replaced(L, n, lower_logical(L, n, pre, false));
  if (is_binop(n, CXBinaryOperator_Comma))
    return replaced(L, n, lower_comma(L, n, pre));
  if (n->ck == CXCursor_ConditionalOperator && n->nkids == 3 &&
      (needs_lowering(n->kids[1]) || needs_lowering(n->kids[2])))
    return replaced(L, n, lower_conditional(L, n, pre));
  /* (Its condition and first value are its first operand again.) */
  if (tree_is_gnu_conditional(n) &&
      (needs_lowering(n->kids[0]) || needs_lowering(n->kids[3])))
    return replaced(L, n, lower_gnu_conditional(L, n, pre));
  if (n->ck == CXCursor_StmtExpr && n->nkids == 1)
    return replaced(L, n, lower_stmt_expr(L, n, pre));
  if (n->ck == CXCursor_GenericSelectionExpr) {
    Node *chosen = generic_choice(L, n);
    if (!chosen)
      return ex(L, n);
    Expr *e = expr_text(L->a, "(");
    expr_add_expr(L->a, e, lin(L, chosen, pre));
    expr_add_text(L->a, e, ")");
    return replaced(L, n, e);
  }
  if (n->ck == CXCursor_CompoundLiteralExpr && literal_escapes(n)) {
    /* The awaits of its initialisers first, then the object. */
    CXType t = clang_getCursorType(n->c);
    Var *v = temp(L, pre, t, "lit", line_of(L, n));
    v->escapes = true;
    return replaced(L, n, in_variable(L, v, t, lower_generic(L, n, pre)));
  }
  return lower_generic(L, n, pre);
}

/* An expression is evaluated for its effects alone: an await's result is
 * not kept, and a comma's operands are statements of their own. */
static void discard(Lower *L, Node *e, LStmt *pre) {
  Node *top = tree_strip(e);
  if (top->kind == N_AWAIT) {
    lower_await(L, top, pre, false);
    return;
  }
  if (is_binop(top, CXBinaryOperator_Comma) && needs_lowering(top)) {
    discard(L, top->kids[0], pre);
    discard(L, top->kids[1], pre);
    return;
  }
  Expr *res = lin(L, e, pre);
  if (expr_empty(res))
    return;
  LStmt *s = emit(L, pre, L_EXPR, line_of(L, e));
  /* An operator with an effect is a statement as it is; anything else
   * is cast to void, so the compiler does not call it useless. */
  bool effect = top->ck == CXCursor_CallExpr ||
                top->ck == CXCursor_CompoundAssignOperator ||
                is_binop(top, CXBinaryOperator_Assign) ||
                (top->ck == CXCursor_UnaryOperator &&
                 clang_getCursorUnaryOperatorKind(top->c) <=
                     CXUnaryOperator_PreDec);
  if (effect) {
    s->e[0] = res;
    if (is_binop(top, CXBinaryOperator_Assign)) {
      Node *lhs = tree_strip(top->kids[0]);
      if (lhs && lhs->ck == CXCursor_DeclRefExpr)
        s->kill = find_var_of_ref(L->fn, lhs);
    }
  } else {
    s->e[0] = expr_text(L->a, "(void)(");
    expr_add_expr(L->a, s->e[0], res);
    expr_add_text(L->a, s->e[0], ")");
  }
}

/* True if n is an operand of an operator that sequences its operands:
 * the lowering consumes each such operand's value where it ends. */
static bool sequenced_operand(Node *n) {
  Node *p = n->parent;
  return p && (is_binop(p, CXBinaryOperator_LAnd) ||
               is_binop(p, CXBinaryOperator_LOr) ||
               is_binop(p, CXBinaryOperator_Comma) ||
               p->ck == CXCursor_ConditionalOperator || tree_is_gnu_conditional(p) ||
               p->ck == CXCursor_CompoundStmt);
}

/* Marks the awaits of the full expression `e` whose result the residual
 * may read straight from the sub-frame: those that no other await follows
 * before their value is used.  The value is used at the end of the
 * innermost sequenced operand holding the await (each is lowered to a
 * statement of its own), or of the expression; an await's arguments are
 * used by the await holding them. */
static void mark_direct(Lower *L, Node *e) {
  Vec *aws = &L->fn->awaits;
  for (int i = 0; i < aws->len; i++) {
    AwaitSite *aw = aws->items[i];
    if (aw->kind != AW_ASYNC_FN || aw->dynamic)
      continue;
    /* An await's operand is the right operand of the marker's comma, so
     * an await in another's arguments has that operand for its region:
     * the outer await's init reads the value before anything else
     * awaits. */
    Node *region = NULL;
    bool inside = false;
    for (Node *p = aw->node; p; p = p->parent) {
      if (!region && (p == e || (p != aw->node && sequenced_operand(p))))
        region = p;
      if (p == e) {
        inside = true;
        break;
      }
    }
    if (!inside)
      continue;
    /* An await through a stub, or into an allocated frame, writes its
     * sub-frame before it evaluates its arguments: an await in them must
     * keep its value elsewhere. */
    Node *outer = region->parent ? region->parent->parent : NULL;
    bool later = outer && outer->kind == N_AWAIT && outer->await &&
                 region == outer->kids[0]->kids[1] &&
                 (outer->await->kind == AW_STUB || outer->await->dynamic);
    for (int k = i + 1; k < aws->len && !later; k++) {
      AwaitSite *o = aws->items[k];
      if (o->kind == AW_BUDGET)
        continue;
      for (Node *p = o->node; p && !later; p = p->parent)
        later = p == region;
    }
    aw->direct = !later;
  }
}

/* A full expression of statement `stmt`: awaits go to `pre`. */
static Expr *full_expr(Lower *L, Node *stmt, Node *e, LStmt *pre) {
  (void)stmt;
  if (needs_lowering(e))
    mark_direct(L, e);
  return lin(L, e, pre);
}

/* A condition, without the user's parentheses around an awaiting comma
 * whose residual no longer needs them (clang warns of `if ((x == y))`). */
static Expr *cond_expr(Lower *L, Node *stmt, Node *cond, LStmt *pre) {
  Node *inner = cond->kind == N_OTHER && cond->ck == CXCursor_ParenExpr &&
                        cond->nkids == 1
                    ? cond->kids[0]
                    : NULL;
  if (inner && needs_lowering(inner) &&
      is_binop(inner, CXBinaryOperator_Comma))
    return full_expr(L, stmt, inner, pre);
  return full_expr(L, stmt, cond, pre);
}

/* ---- Statements ----------------------------------------------------------- */

/* The range a statement takes in the file, its ';' included. */
static Range stmt_range(Lower *L, Node *n) {
  Range r = tree_range(n);
  r.end = tu_skip_semicolon(L->tu, r.end);
  return r;
}

/* The statement as written, when its text is exactly it. */
static void set_src(Lower *L, LStmt *s, Node *n) {
  Range r;
  if (!tree_exact_range(n, &r))
    return;
  s->src = (Range){r.start, tu_skip_semicolon(L->tu, r.end)};
  s->has_src = true;
}

/* Notes the macro a statement was written as, for a comment where it is
 * printed expanded. */
static void note_expansion(Lower *L, LStmt *s, Node *n) {
  SrcLoc b = tree_begin(n);
  if (b.kind != LOC_BODY)
    return;
  Expansion *x = tu_expansion_outermost(L->tu, b.off);
  /* asyncc's own macros (await, ac_spawn, ...) are the rewrite itself. */
  static const char *const own[] = {"await", "ac_spawn", "ac_spawn_void",
                                    "ac_join", "ac_join_void", "ac_all",
                                    "ac_race", "ac_block_on"};
  for (size_t i = 0; x && i < sizeof own / sizeof *own; i++)
    if (strcmp(x->name, own[i]) == 0)
      return;
  if (!x || x->r.start != b.off)
    return;
  /* A macro that writes a declaration's type alone (AC_TASK(int) t = ...)
   * leaves the declarators as written. */
  for (int i = 0; n->ck == CXCursor_DeclStmt && i < n->nkids; i++)
    if (n->kids[i]->ck == CXCursor_VarDecl) {
      long name = tu_offset(L->tu, clang_getCursorLocation(n->kids[i]->c));
      if (name >= (long)x->r.end)
        return;
      break;
    }
  /* Once, on the outermost statement the invocation writes. */
  for (Node *p = n->parent; p && p != L->fn->body; p = p->parent) {
    SrcLoc pb = tree_begin(p);
    if (pb.kind == LOC_BODY && pb.off == b.off)
      return;
  }
  s->expanded = tu_text(L->tu, x->r);
}

/* The exits a jump makes: the cleanups of the scopes it leaves, innermost
 * first (C runs them in reverse order of declaration), and the variables
 * it leaves whose address may be held (live until their scope ends). */
static void add_exits(Lower *L, LStmt *s, int to_depth) {
  for (int d = L->scopes.len - 1; d >= to_depth; d--) {
    LStmt *block = L->scopes.items[d];
    for (int i = block->kids.len - 1; i >= 0; i--) {
      LStmt *k = block->kids.items[i];
      for (int j = k->decl_group ? k->kids.len - 1 : 0; j >= 0; j--) {
        LStmt *dl = k->decl_group ? k->kids.items[j] : k;
        if (dl->kind != L_DECL || !dl->var)
          continue;
        if (dl->var->cleanup)
          vec_push(L->a, &s->cleanups, dl->var);
        if (dl->var->cleanup || dl->var->escapes)
          vec_push(L->a, &s->uses, dl->var);
      }
    }
  }
}

static LStmt *lower_body(Lower *L, Node *n);

/* Each declarator in order: L_DECLs, with types declared together kept
 * in place; the group keeps the declaration as written. */
static void lower_decl(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  LStmt *group = emit(L, into, L_BLOCK, line);
  group->decl_group = true;
  group->scope = false;
  set_src(L, group, n);
  note_expansion(L, group, n);
  bool any_await = false;
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->ck != CXCursor_VarDecl) {
      if (clang_isDeclaration(k->ck)) {
        LStmt *t = emit(L, group, L_VERBATIM, line_of(L, k));
        t->node = k;
      }
      continue;
    }
    Var *v = find_var(L->fn, k->c);
    Node *init = tree_var_init(k);
    LStmt *d = lstmt_new(L->a, L_DECL, line_of(L, k));
    d->node = k;
    d->var = v;
    if (v)
      v->scope = L->scopes.len ? L->scopes.items[L->scopes.len - 1] : NULL;
    if (init && needs_lowering(init)) {
      any_await = true;
      d->e[0] = full_expr(L, k, init, group);
    } else if (init) {
      d->e[0] = ex(L, init);
    }
    d->kill = v;
    lblock_add(L->a, group, d);
  }
  /* Kept whole when nothing in it changes and its text is its own;
   * else printed declarator by declarator. */
  if (!any_await && group->has_src)
    group->e[0] = expr_as_written(&L->x, n, &L->holes);
}

/* if (c) S else T  =>  ...c's awaits; if (residual) S else T */
static void lower_if(Lower *L, Node *n, LStmt *into) {
  LStmt *s = lstmt_new(L->a, L_IF, line_of(L, n));
  s->node = n;
  set_src(L, s, n);
  s->e[0] = cond_expr(L, n, n->kids[0], into);
  s->body = lower_body(L, n->kids[1]);
  if (n->nkids > 2)
    s->els = lower_body(L, n->kids[2]);
  lblock_add(L->a, into, s);
}

static void lower_switch(Lower *L, Node *n, LStmt *into) {
  LStmt *s = lstmt_new(L->a, L_SWITCH, line_of(L, n));
  s->node = n;
  set_src(L, s, n);
  s->e[0] = cond_expr(L, n, n->kids[0], into);
  Loop sw = {L->loop, true, NULL, false, L->scopes.len};
  L->loop = &sw;
  s->body = lower_body(L, n->kids[n->nkids - 1]);
  L->loop = sw.up;
  lblock_add(L->a, into, s);
}

/* The budget check at the top of a loop whose body awaits: a loop of
 * awaits that never wait must still let other tasks run. */
static void budget_check(Lower *L, LStmt *body, Node *loop) {
  AwaitSite *aw = arena_alloc(L->a, sizeof *aw);
  aw->fn = L->fn;
  aw->kind = AW_BUDGET;
  aw->node = loop;
  aw->line = line_of(L, loop);
  aw->text = (char *)"the loop's budget check";
  aw->id = L->fn->awaits.len + 1;
  vec_push(L->a, &L->fn->awaits, aw);
  name_budget(L->fn, aw);
  LStmt *s = lstmt_new(L->a, L_AWAIT, aw->line);
  s->aw = aw;
  lblock_add(L->a, body, s);
}

/* True if a do statement's condition is a constant zero: the body runs
 * once (the do { ... } while (0) of statement macros). */
static bool runs_once(Node *loop) {
  if (loop->ck != CXCursor_DoStmt || loop->nkids != 2)
    return false;
  CXEvalResult r = clang_Cursor_Evaluate(loop->kids[1]->c);
  if (!r)
    return false;
  bool zero = clang_EvalResult_getKind(r) == CXEval_Int &&
              clang_EvalResult_getAsLongLong(r) == 0;
  clang_EvalResult_dispose(r);
  return zero;
}

/* A loop body block, with the budget check first when the loop awaits
 * and may go round. */
static LStmt *loop_block(Lower *L, Node *loop, unsigned line) {
  LStmt *b = new_body(L, line);
  if (loop->has_await && !runs_once(loop))
    budget_check(L, b, loop);
  return b;
}

/* True if a block declares names of its own. */
static bool declares(Node *block) {
  for (int i = 0; i < block->nkids; i++)
    if (block->kids[i]->ck == CXCursor_DeclStmt)
      return true;
  return false;
}

/* Lowers a loop body into `block` with `loop` as its context.  A body
 * followed there by code of the loop's (a condition or increment that
 * awaits) keeps its braces: that code must not see the body's names. */
static void loop_body(Lower *L, Node *body, LStmt *block, Loop *loop,
                      bool code_after) {
  Loop *up = L->loop;
  L->loop = loop;
  block->node = body;
  vec_push(L->a, &L->scopes, block);
  if (body->ck == CXCursor_CompoundStmt && code_after && declares(body)) {
    lblock_add(L->a, block, lower_body(L, body));
  } else if (body->ck == CXCursor_CompoundStmt) {
    LStmt *inner = lower_body(L, body);
    if (inner->kind == L_BLOCK && !inner->decl_group) {
      for (int i = 0; i < inner->kids.len; i++)
        lblock_add(L->a, block, inner->kids.items[i]);
      block->tail = inner->tail;
      block->tail_line = inner->tail_line;
      /* Its locals belong to the block they now stand in. */
      for (int i = 0; i < L->fn->vars.len; i++) {
        Var *v = L->fn->vars.items[i];
        if (v->scope == inner)
          v->scope = block;
      }
    } else {
      lblock_add(L->a, block, inner);
    }
  } else {
    lower_stmt(L, body, block);
  }
  L->scopes.len--;
  L->loop = up;
}

/* The label that `continue` jumps to in a loop whose continue point
 * awaits, placed at the end of the body. */
static void place_next(Lower *L, LStmt *block, Loop *loop, unsigned line) {
  if (!loop->next_used)
    return;
  LStmt *l = emit(L, block, L_LABEL, line);
  l->label = (char *)loop->next;
}

/* while (c) S  =>  for (;;) { ...c's awaits; if (!c) break; S }
 * when c awaits; as written otherwise. */
static void lower_while(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  Node *cond = n->kids[0], *body = n->kids[1];
  LStmt *s = lstmt_new(L->a, L_WHILE, line);
  s->node = n;
  set_src(L, s, n);
  Loop loop = {L->loop, false, NULL, false, L->scopes.len};
  s->body = loop_block(L, n, line);
  if (needs_lowering(cond)) {
    s->kind = L_FOR;
    LStmt *test = lstmt_new(L->a, L_IF, line_of(L, cond));
    Expr *res = cond_expr(L, n, cond, s->body);
    lblock_add(L->a, s->body, test);
    test->e[0] = expr_text(L->a, "!(");
    expr_add_expr(L->a, test->e[0], res);
    expr_add_text(L->a, test->e[0], ")");
    test->body = lstmt_new(L->a, L_BREAK, line_of(L, cond));
  } else {
    s->e[0] = ex(L, cond);
  }
  loop_body(L, body, s->body, &loop, false);
  lblock_add(L->a, into, s);
}

/* do S while (c);  =>  do { S next: ...c's awaits; } while (residual);
 * with S's `continue`s turned into `goto next`, so that they still reach
 * the awaits of the condition. */
static void lower_do(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  Node *body = n->kids[0], *cond = n->kids[1];
  LStmt *s = lstmt_new(L->a, L_DO, line);
  s->node = n;
  set_src(L, s, n);
  bool cond_awaits = needs_lowering(cond);
  Loop loop = {L->loop, false,
               cond_awaits ? name_unique(L->fn, "next") : NULL, false,
               L->scopes.len};
  s->body = loop_block(L, n, line);
  note_expansion(L, s, n);
  loop_body(L, body, s->body, &loop, cond_awaits);
  if (cond_awaits) {
    place_next(L, s->body, &loop, line_of(L, cond));
    s->e[0] = cond_expr(L, n, cond, s->body);
  } else {
    s->e[0] = ex(L, cond);
  }
  lblock_add(L->a, into, s);
}

/* for (i; c; n) S  =>  { i; for (; ; ) { ...c's awaits; if (!c) break;
 *                                         S next: ...n's awaits; n; } }
 * when c or n awaits; S's `continue`s become `goto next`.  An init that
 * awaits runs before the loop, in the block that keeps its names scoped
 * to the loop. */
static void lower_for(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  ForParts p;
  if (!tree_for_parts(L->tu, n, &p)) {
    diag_error(L->tu, tree_pos(n),
               "cannot tell the parts of this 'for' statement apart: its "
               "header comes from a macro and leaves parts out");
    return;
  }
  bool cond_aw = p.cond && needs_lowering(p.cond);
  bool inc_aw = p.inc && needs_lowering(p.inc);
  LStmt *s = lstmt_new(L->a, L_FOR, line);
  s->node = n;
  set_src(L, s, n);
  note_expansion(L, s, n);
  /* The header's declarations and their awaits go into a block around
   * the loop, which the printer drops when nothing needs it. */
  LStmt *outer = lstmt_new(L->a, L_BLOCK, line);
  outer->scope = true;
  vec_push(L->a, &L->scopes, outer);
  if (p.init && p.init->ck == CXCursor_DeclStmt) {
    lower_decl(L, p.init, outer);
    s->init = outer->kids.items[outer->kids.len - 1];
    outer->kids.len--;
    /* Awaits of the declarators went into the group itself. */
  } else if (p.init && needs_lowering(p.init)) {
    mark_direct(L, p.init);
    discard(L, p.init, outer);
  } else if (p.init) {
    s->e[0] = ex(L, p.init);
  }
  Loop loop = {L->loop, false, inc_aw ? name_unique(L->fn, "next") : NULL,
               false, L->scopes.len};
  s->body = loop_block(L, n, line);
  if (cond_aw) {
    LStmt *test = lstmt_new(L->a, L_IF, line_of(L, p.cond));
    Expr *res = cond_expr(L, n, p.cond, s->body);
    lblock_add(L->a, s->body, test);
    test->e[0] = expr_text(L->a, "!(");
    expr_add_expr(L->a, test->e[0], res);
    expr_add_text(L->a, test->e[0], ")");
    test->body = lstmt_new(L->a, L_BREAK, line_of(L, p.cond));
  } else if (p.cond) {
    s->e[1] = ex(L, p.cond);
  }
  loop_body(L, p.body, s->body, &loop, inc_aw);
  if (inc_aw) {
    place_next(L, s->body, &loop, line_of(L, p.inc));
    mark_direct(L, p.inc);
    discard(L, p.inc, s->body);
  } else if (p.inc) {
    s->e[2] = ex(L, p.inc);
  }
  L->scopes.len--;
  if (!outer->kids.len) {
    lblock_add(L->a, into, s);
    return;
  }
  lblock_add(L->a, outer, s);
  outer->braced = true;
  lblock_add(L->a, into, outer);
}

static void lower_return(Lower *L, Node *n, LStmt *into) {
  LStmt *s = lstmt_new(L->a, L_RETURN, line_of(L, n));
  s->node = n;
  set_src(L, s, n);
  note_expansion(L, s, n);
  if (n->nkids == 1)
    s->e[0] = full_expr(L, n, n->kids[0], into);
  add_exits(L, s, 0);
  lblock_add(L->a, into, s);
}

/* True if `label` (a LabelStmt cursor) lies under n. */
static bool holds_label(Node *n, CXCursor label) {
  if (n->ck == CXCursor_LabelStmt && clang_equalCursors(n->c, label))
    return true;
  for (int i = 0; i < n->nkids; i++)
    if (holds_label(n->kids[i], label))
      return true;
  return false;
}

/* A goto leaves the open scopes whose statements do not hold its label. */
static void goto_exits(Lower *L, LStmt *s, Node *go, CXCursor label) {
  int depth = L->scopes.len;
  for (int d = L->scopes.len - 1; d >= 0; d--) {
    LStmt *block = L->scopes.items[d];
    if (block->node && holds_label(block->node, label))
      break;
    depth = d;
  }
  (void)go;
  add_exits(L, s, depth);
}

static void lower_jump(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  LStmt *s = lstmt_new(L->a, L_BREAK, line);
  s->node = n;
  set_src(L, s, n);
  switch (n->ck) {
  case CXCursor_BreakStmt:
    add_exits(L, s, L->loop ? L->loop->scope_depth : 0);
    break;
  case CXCursor_ContinueStmt: {
    Loop *l = L->loop;
    while (l && l->is_switch)
      l = l->up;
    s->kind = L_CONTINUE;
    if (l && l->next) {
      /* `next` is at the end of the body, inside its scope. */
      s->kind = L_GOTO;
      s->label = (char *)l->next;
      l->next_used = true;
      add_exits(L, s, l->scope_depth + 1);
    } else {
      add_exits(L, s, l ? l->scope_depth : 0);
    }
    break;
  }
  case CXCursor_GotoStmt: {
    s->kind = L_GOTO;
    Node *ref = n->nkids ? n->kids[0] : n;
    s->label = arena_cxstr(L->a, clang_getCursorSpelling(ref->c));
    goto_exits(L, s, n, tree_referenced(ref));
    break;
  }
  default: /* goto *e */
    s->kind = L_IGOTO;
    s->e[0] = full_expr(L, n, n->kids[0], into);
    add_exits(L, s, 0);
    break;
  }
  lblock_add(L->a, into, s);
}

/* case V: S, default: S, label: S.  S follows the label in the block. */
static void lower_labelled(Lower *L, Node *n, LStmt *into) {
  unsigned line = line_of(L, n);
  LStmt *s = lstmt_new(L->a, L_LABEL, line);
  s->node = n;
  if (n->ck == CXCursor_CaseStmt) {
    s->kind = L_CASE;
    s->e[0] = ex(L, n->kids[0]);
    if (n->nkids > 2)
      s->e[1] = ex(L, n->kids[1]);
  } else if (n->ck == CXCursor_DefaultStmt) {
    s->kind = L_DEFAULT;
  } else {
    s->label = arena_cxstr(L->a, clang_getCursorSpelling(n->c));
  }
  lblock_add(L->a, into, s);
  if (n->nkids)
    lower_stmt(L, n->kids[n->nkids - 1], into);
}

/* e;  =>  ...e's awaits; residual; */
static void lower_expr_stmt(Lower *L, Node *n, LStmt *into) {
  if (needs_lowering(n)) {
    mark_direct(L, n);
    LStmt *first = NULL;
    int before = into->kids.len;
    discard(L, n, into);
    if (into->kids.len > before)
      first = into->kids.items[before];
    if (first)
      note_expansion(L, first, n);
    return;
  }
  LStmt *s = emit(L, into, L_EXPR, line_of(L, n));
  s->node = n;
  s->e[0] = ex(L, n);
  note_expansion(L, s, n);
  Node *top = tree_strip(n);
  if (is_binop(top, CXBinaryOperator_Assign)) {
    Node *lhs = tree_strip(top->kids[0]);
    if (lhs && lhs->ck == CXCursor_DeclRefExpr)
      s->kill = find_var_of_ref(L->fn, lhs);
  }
}

/* Comments and directives between statements: the ones on the line of
 * the statement before are its trailing comment, the rest lead into the
 * next statement. */
typedef struct {
  const char *trail;
  const char *lead;
  bool blank;
} Trivia;

static bool has_blank_line(const char *s, unsigned from, unsigned to) {
  bool seen_nl = false;
  for (unsigned i = from; i < to; i++) {
    if (s[i] == '\n') {
      if (seen_nl)
        return true;
      seen_nl = true;
    } else if (!strchr(" \t\r\f\v", s[i])) {
      seen_nl = false;
    }
  }
  return false;
}

static Trivia trivia(Lower *L, unsigned from, unsigned to) {
  Trivia t = {NULL, NULL, false};
  Tu *tu = L->tu;
  const char *s = tu->src;
  unsigned first = tu_skip_blanks(tu, from);
  if (first >= to) {
    t.blank = has_blank_line(s, from, to);
    return t;
  }
  Toks ts = tok_range(tu, (Range){from, to});
  int i = 0;
  unsigned lead_from = first;
  /* Comments that start on the line where the previous statement ends. */
  if (from > 0) {
    unsigned line = tu_line(tu, from - 1);
    unsigned end = from;
    while (i < ts.n && ts.t[i].kind == TOK_COMMENT &&
           tu_line(tu, ts.t[i].off) == line) {
      end = ts.t[i].off + ts.t[i].len;
      i++;
    }
    if (end > from) {
      t.trail = tu_text(tu, (Range){tu_skip_blanks(tu, from), end});
      lead_from = tu_skip_blanks(tu, end);
    }
  }
  if (i < ts.n) {
    unsigned last = ts.t[ts.n - 1].off + ts.t[ts.n - 1].len;
    /* A directive runs to the end of its line. */
    while (last < to && s[last] != '\n')
      last++;
    while (last > lead_from && strchr(" \t\r\n", s[last - 1]))
      last--;
    /* With the blanks that indent its first line, so that a comment's
     * later lines can keep their place relative to it. */
    unsigned bol = lead_from;
    while (bol > from && (s[bol - 1] == ' ' || s[bol - 1] == '\t'))
      bol--;
    if (bol > 0 && s[bol - 1] != '\n')
      bol = lead_from;
    t.lead = tu_text(tu, (Range){bol, last});
    t.blank = has_blank_line(s, t.trail ? lead_from : from, lead_from);
  } else {
    t.blank = has_blank_line(s, lead_from, to);
  }
  return t;
}

/* The statements of a compound statement, with their comments. */
static void lower_kids(Lower *L, Node *n, LStmt *block) {
  Range whole;
  /* A block a macro writes has no comments of the file's between its
   * statements. */
  if (!tree_exact_range(n, &whole) || tree_begin(n).kind != LOC_FILE) {
    for (int i = 0; i < n->nkids; i++)
      lower_stmt(L, n->kids[i], block);
    return;
  }
  unsigned prev_end = whole.start + 1; /* after the '{' */
  LStmt *prev_last = NULL;
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    Range r = stmt_range(L, k);
    if (r.start < prev_end) {
      /* One macro invocation wrote several statements. */
      lower_grouped(L, k, block);
      continue;
    }
    Trivia t = trivia(L, prev_end, r.start);
    if (t.trail && prev_last) {
      prev_last->trail = t.trail;
    } else if (t.trail) {
      /* A comment after the block's '{' goes before its first statement. */
      t.lead = t.lead ? arena_cat(L->a, t.trail, "\n", t.lead, NULL)
                      : t.trail;
    }
    int before = block->kids.len;
    lower_grouped(L, k, block);
    if (block->kids.len > before) {
      LStmt *first = block->kids.items[before];
      first->lead = t.lead;
      first->blank_before = t.blank && i > 0;
      prev_last = block->kids.items[block->kids.len - 1];
    } else if (t.lead) {
      LStmt *keep = emit(L, block, L_GEN, line_of(L, k));
      keep->text = "";
      keep->lead = t.lead;
    }
    prev_end = r.end;
  }
  if (whole.end > prev_end) {
    Trivia t = trivia(L, prev_end, whole.end - 1);
    if (t.trail && prev_last)
      prev_last->trail = t.trail;
    block->tail = t.lead;
    block->tail_line = tu_line(L->tu, whole.end - 1);
  }
}

static LStmt *lower_compound(Lower *L, Node *n) {
  LStmt *block = lstmt_new(L->a, L_BLOCK, line_of(L, n));
  block->node = n;
  block->braced = block->scope = true;
  set_src(L, block, n);
  vec_push(L->a, &L->scopes, block);
  lower_kids(L, n, block);
  L->scopes.len--;
  return block;
}

/* A statement that stands as the body of another: one statement, or a
 * block when lowering makes several. */
/* lower_stmt, noting on the first statement it adds all that it adds:
 * the printer says once, before them, which macros they expand. */
static void lower_grouped(Lower *L, Node *n, LStmt *into) {
  int before = into->kids.len;
  lower_stmt(L, n, into);
  if (into->kids.len - before < 2)
    return;
  LStmt *first = into->kids.items[before];
  for (int i = before; i < into->kids.len; i++)
    vec_push(L->a, &first->group, into->kids.items[i]);
}

static LStmt *lower_body(Lower *L, Node *n) {
  if (n->ck == CXCursor_CompoundStmt)
    return lower_compound(L, n);
  LStmt *block = lstmt_new(L->a, L_BLOCK, line_of(L, n));
  block->scope = true;
  vec_push(L->a, &L->scopes, block);
  lower_grouped(L, n, block);
  L->scopes.len--;
  if (block->kids.len == 1) {
    LStmt *only = block->kids.items[0];
    if (only->kind != L_BLOCK || !only->decl_group)
      return only;
  }
  block->braced = true;
  return block;
}

/* Declares the literal temporaries of a statement in front of it. */
static void declare_literals(Lower *L, Node *n, LStmt *into) {
  Vec *list = L->literals.len ? map_get(&L->literals, hash_ptr(n), n) : NULL;
  for (int i = 0; list && i < list->len; i++) {
    Var *v = list->items[i];
    v->scope = into;
    LStmt *d = emit(L, into, L_DECL, line_of(L, n));
    d->var = v;
  }
}

static void lower_stmt(Lower *L, Node *n, LStmt *into) {
  LStmt *s;
  declare_literals(L, n, into);
  switch (n->ck) {
  case CXCursor_CompoundStmt:
    lblock_add(L->a, into, lower_compound(L, n));
    return;
  case CXCursor_IfStmt:
    lower_if(L, n, into);
    return;
  case CXCursor_SwitchStmt:
    lower_switch(L, n, into);
    return;
  case CXCursor_WhileStmt:
    lower_while(L, n, into);
    return;
  case CXCursor_DoStmt:
    lower_do(L, n, into);
    return;
  case CXCursor_ForStmt:
    lower_for(L, n, into);
    return;
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt:
  case CXCursor_LabelStmt:
    lower_labelled(L, n, into);
    return;
  case CXCursor_ReturnStmt:
    lower_return(L, n, into);
    return;
  case CXCursor_BreakStmt:
  case CXCursor_ContinueStmt:
  case CXCursor_GotoStmt:
  case CXCursor_IndirectGotoStmt:
    lower_jump(L, n, into);
    return;
  case CXCursor_DeclStmt:
    lower_decl(L, n, into);
    return;
  case CXCursor_NullStmt:
    s = emit(L, into, L_NULL, line_of(L, n));
    s->node = n;
    return;
  default:
    if (clang_isExpression(n->ck)) {
      lower_expr_stmt(L, n, into);
      return;
    }
    /* asm and the like: as written, its references spelled anew. */
    s = emit(L, into, L_EXPR, line_of(L, n));
    s->node = n;
    s->e[0] = ex(L, n);
    set_src(L, s, n);
    return;
  }
}

/* ---- Sites the lowering rewrites in any code ------------------------------ */

/* ac_spawn(f(args))  =>  f_spawn(args), a generated helper. */
const CXType *lower_via_type(Tu *tu, Node *callee) {
  CXType t = clang_getCanonicalType(clang_getCursorType(callee->c));
  if (t.kind == CXType_Pointer)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  for (int i = 0; i < tu->via_types.len; i++)
    if (clang_equalTypes(*(CXType *)tu->via_types.items[i], t))
      return tu->via_types.items[i];
  CXType *k = arena_alloc(tu->arena, sizeof *k);
  *k = t;
  vec_push(tu->arena, &tu->via_types, k);
  return k;
}

int lower_via_id(Tu *tu, const CXType *type) {
  for (int i = 0; i < tu->via_types.len; i++)
    if (tu->via_types.items[i] == type)
      return i + 1;
  internal_error("a function type no helper was made for");
}

/* The call of the helper that stands in for ac_spawn(call) or
 * ac_block_on(call) (emit.c defines it): f_spawn(args), or through a
 * pointer ac__spawn_via_N(pointer, args). */
static Expr *helper_call(Lower *L, Node *call, const char *what) {
  Node *via = find_definition(L->tu, tree_referenced(call))
                  ? NULL
                  : tree_pointer_callee(call);
  Expr *e;
  if (via) {
    e = expr_text(L->a, arena_printf(L->a, "ac__%s_via_%d(", what,
                                     lower_via_id(L->tu,
                                                  lower_via_type(L->tu, via))));
    expr_add_expr(L->a, e, ex(L, via));
    if (clang_Cursor_getNumArguments(call->c) > 0)
      expr_add_text(L->a, e, ", ");
  } else {
    char *name = arena_cxstr(L->a, clang_getCursorSpelling(
                                       clang_getCursorReferenced(call->c)));
    e = expr_text(L->a, arena_cat(L->a, name, "_", what, "(", NULL));
  }
  expr_add_expr(L->a, e, args_of(L, call, NULL));
  expr_add_text(L->a, e, ")");
  return e;
}

static Expr *spawn_call(Lower *L, Node *n) {
  return helper_call(L, n->operand, "spawn");
}

/* A compound literal lives as long as its block, but the poll function's
 * stack does not survive a suspension: a literal whose object may be
 * reached across an await (an array, which decays to a pointer, or one
 * whose address is taken, in a block that awaits) is kept in a variable
 * of the function, which the frame holds when it must. */
static bool literal_escapes(Node *n) {
  CXType t = clang_getCanonicalType(clang_getCursorType(n->c));
  bool escapes = decl_is_array(t);
  for (Node *p = n->parent; p && !escapes && clang_isExpression(p->ck);
       p = p->parent)
    escapes = p->ck == CXCursor_UnaryOperator &&
              clang_getCursorUnaryOperatorKind(p->c) == CXUnaryOperator_AddrOf;
  Node *scope = n->parent;
  while (scope && scope->ck != CXCursor_CompoundStmt &&
         scope->ck != CXCursor_ForStmt)
    scope = scope->parent;
  return escapes && scope && scope->has_await;
}

/* (T){...}  =>  (*(lit = (T){...}, &lit)): the literal's object in a
 * variable, which the frame holds when it lives across an await. */
static Expr *in_variable(Lower *L, Var *v, CXType t, Expr *text) {
  Expr *e = expr_text(L->a, "(*(");
  if (decl_is_array(t)) {
    expr_add_text(L->a, e, "__builtin_memcpy(");
    expr_add_var(L->a, e, v);
    expr_add_text(L->a, e, ", ");
    expr_add_expr(L->a, e, text);
    expr_add_text(L->a, e, ", sizeof ");
    expr_add_var(L->a, e, v);
    expr_add_text(L->a, e, "), &");
  } else {
    expr_add_var(L->a, e, v);
    e->p[e->n - 1].def = true;
    expr_add_text(L->a, e, " = ");
    expr_add_expr(L->a, e, text);
    expr_add_text(L->a, e, ", &");
  }
  expr_add_var(L->a, e, v);
  expr_add_text(L->a, e, "))");
  return e;
}

/* A literal with no await becomes a hole of every statement, its
 * variable declared before the statement of the block that holds it. */
static void literal_hole(Lower *L, Node *n) {
  CXType t = clang_getCursorType(n->c);
  Var *v = lower_temp(L->fn, t, NULL, "lit");
  v->escapes = true;
  Node *stmt = n;
  while (stmt->parent && stmt->parent->ck != CXCursor_CompoundStmt)
    stmt = stmt->parent;
  Vec *list = map_get(&L->literals, hash_ptr(stmt), stmt);
  if (!list) {
    list = arena_alloc(L->a, sizeof *list);
    map_put(&L->literals, hash_ptr(stmt), stmt, list);
  }
  vec_push(L->a, list, v);
  holes_add(L->a, &L->holes, n, NULL, in_variable(L, v, t, ex(L, n)));
}

/* The holes every statement shares: spawns and escaping literals. */
static void site_holes(Lower *L, Node *n) {
  if (n->kind == N_SPAWN && n->operand) {
    holes_add(L->a, &L->holes, n, NULL, spawn_call(L, n));
    return;
  }
  for (int i = 0; i < n->nkids; i++)
    site_holes(L, n->kids[i]);
  if (n->ck == CXCursor_CompoundLiteralExpr && !n->has_await &&
      literal_escapes(n))
    literal_hole(L, n);
}

/* Variables whose address may be taken: arrays, structs and unions, and
 * any named under '&'. */
static void mark_escapes(AsyncFn *fn, Node *n, bool under_addr) {
  if (n->ck == CXCursor_UnaryOperator &&
      clang_getCursorUnaryOperatorKind(n->c) == CXUnaryOperator_AddrOf)
    under_addr = true;
  if (under_addr && n->ck == CXCursor_DeclRefExpr) {
    Var *v = find_var_of_ref(fn, n);
    if (v)
      v->escapes = true;
  }
  for (int i = 0; i < n->nkids; i++)
    mark_escapes(fn, n->kids[i], under_addr);
}

static void init_lower(Lower *L, AsyncFn *fn, Tu *tu) {
  *L = (Lower){.fn = fn, .tu = tu, .a = tu->arena};
  L->x = (ExprCx){fn, tu, tu->arena};
  holes_init(&L->holes, tu->arena);
  map_init(&L->literals, tu->arena, map_eq_ptr);
}

void lower_function(AsyncFn *fn) {
  Lower L;
  init_lower(&L, fn, fn->tu);
  for (int i = 0; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    CXType t = clang_getCanonicalType(v->type);
    if (v->kind == VAR_LOCAL &&
        (decl_is_array(t) || t.kind == CXType_Record))
      v->escapes = true;
  }
  mark_escapes(fn, fn->body, false);
  site_holes(&L, fn->body);
  fn->lbody = lower_compound(&L, fn->body);
  fn->lbody->braced = false;
}

const char *lower_sync_site(Tu *tu, Node *n, Holes *holes) {
  Lower L;
  init_lower(&L, NULL, tu);
  L.holes = *holes;
  const char *text;
  if (n->kind == N_SPAWN) {
    text = expr_str(tu, spawn_call(&L, n), "");
  } else {
    /* ac_block_on(f(args))  =>  f_block_on(args) */
    text = expr_str(tu, helper_call(&L, tree_strip(n->operand), "block_on"),
                    "");
  }
  holes_add(tu->arena, holes, n, text, NULL);
  return text;
}
