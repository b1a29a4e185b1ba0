/* expr.c -- expressions as the output spells them: the text as written,
 * with holes where the rewrite puts something else (an await's result, a
 * variable now in the frame), and macro invocations expanded in place
 * where a hole lies inside one.
 *
 * An expression is printed from the file's text where the text is
 * exactly the expression and each hole's text can be cut out of it: a
 * hole inside a macro's argument can, unless the macro stringizes the
 * argument or, for a hole that is not a variable, uses it more than once.
 * Anywhere else the expression is printed from the tree, node by node:
 * that is the macro's expansion, spelled out.  An invocation so expanded
 * keeps its text as written beside the expansion (P_MACRO), and prints
 * as written when, after the frame is laid out, nothing in it changed. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Building ----------------------------------------------------------- */

static Expr *new_expr(Arena *a) { return arena_alloc(a, sizeof(Expr)); }

static Piece *add_piece(Arena *a, Expr *e, PieceKind kind) {
  if (e->n == e->cap) {
    int cap = e->cap ? e->cap * 2 : 4;
    Piece *p = arena_alloc(a, sizeof *p * (size_t)cap);
    if (e->n)
      memcpy(p, e->p, sizeof *p * (size_t)e->n);
    e->p = p;
    e->cap = cap;
  }
  Piece *p = &e->p[e->n++];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  return p;
}

void expr_add_text(Arena *a, Expr *e, const char *text) {
  if (text[0])
    add_piece(a, e, P_TEXT)->text = text;
}

/* Generated text: a rewrite wherever it lands. */
static void add_hole_text(Arena *a, Expr *e, const char *text) {
  Piece *p = add_piece(a, e, P_TEXT);
  p->text = text;
  p->def = true; /* on P_TEXT: a rewrite */
}

static void add_src(Arena *a, Expr *e, unsigned start, unsigned end) {
  if (end <= start)
    return;
  Piece *last = e->n ? &e->p[e->n - 1] : NULL;
  if (last && last->kind == P_SRC && last->r.end == start) {
    last->r.end = end;
    return;
  }
  add_piece(a, e, P_SRC)->r = (Range){start, end};
}

void expr_add_expr(Arena *a, Expr *e, const Expr *f) {
  for (int i = 0; i < f->n; i++)
    *add_piece(a, e, f->p[i].kind) = f->p[i];
}

void expr_add_var(Arena *a, Expr *e, Var *v) {
  add_piece(a, e, P_VAR)->var = v;
}

Expr *expr_text(Arena *a, const char *text) {
  Expr *e = new_expr(a);
  expr_add_text(a, e, text);
  return e;
}

void holes_init(Holes *h, Arena *a) {
  *h = (Holes){0};
  map_init(&h->index, a, map_eq_ptr);
}

void holes_add(Arena *a, Holes *h, Node *n, const char *text, Expr *e) {
  vec_push(a, &h->nodes, n);
  vec_push(a, &h->texts, (void *)text);
  vec_push(a, &h->exprs, e);
  map_put(&h->index, hash_ptr(n), n, (void *)(size_t)h->nodes.len);
}

bool holes_has(const Holes *h, const Node *n) {
  return h && h->nodes.len && map_get(&h->index, hash_ptr(n), n) != NULL;
}

typedef struct {
  ExprCx *x;
  Holes *h;
  Map targets; /* Node * -> 1 or 2: whether its subtree has targets */
} Build;

static int hole_index(const Holes *h, const Node *n) {
  if (!h || !h->nodes.len)
    return -1;
  return (int)(size_t)map_get(&h->index, hash_ptr(n), n) - 1;
}

static Var *var_ref(Build *b, Node *n) {
  if (n->ck != CXCursor_DeclRefExpr || !b->x->fn)
    return NULL;
  return find_var_of_ref(b->x->fn, n);
}

/* True if something in n's subtree is a hole or names a variable. */
static bool has_targets(Build *b, Node *n) {
  if (hole_index(b->h, n) >= 0 || var_ref(b, n))
    return true;
  if (!n->nkids)
    return false;
  unsigned h = hash_ptr(n);
  void *known = map_get(&b->targets, h, n);
  if (known)
    return known == (void *)b;
  bool found = false;
  for (int i = 0; i < n->nkids && !found; i++)
    found = has_targets(b, n->kids[i]);
  map_put(&b->targets, h, n, found ? (void *)b : (void *)&b->targets);
  return found;
}

/* True if every target under n is a variable: a variable's text may be
 * changed where a macro uses it several times, as each use means it. */
static bool only_vars(Build *b, Node *n) {
  if (hole_index(b->h, n) >= 0)
    return false;
  for (int i = 0; i < n->nkids; i++)
    if (!only_vars(b, n->kids[i]))
      return false;
  return true;
}

/* True if the reference is the left side of a plain assignment. */
static bool is_assigned(Node *ref) {
  Node *p = ref->parent;
  while (p && p->ck == CXCursor_ParenExpr && p->nkids == 1) {
    ref = p;
    p = p->parent;
  }
  return p && p->ck == CXCursor_BinaryOperator && p->nkids == 2 &&
         p->kids[0] == ref &&
         clang_getCursorBinaryOperatorKind(p->c) == CXBinaryOperator_Assign;
}

static Expr *build(Build *b, Node *n);

/* A hole's text can be cut out of the text around it: it is the file's
 * own, or an argument that the macros around it copy as they are. */
static bool splice_ok(Build *b, Node *k, Range rk) {
  Tu *tu = b->x->tu;
  return !tu_in_expansion(tu, rk.start) ||
         tu_arg_kept(tu, rk.start, only_vars(b, k));
}

/* The targets under n that lie in no other target, in order. */
static void collect_targets(Build *b, Node *n, Vec *out) {
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (!has_targets(b, k))
      continue;
    if (hole_index(b->h, k) >= 0 || var_ref(b, k))
      vec_push(b->x->a, out, k);
    else
      collect_targets(b, k, out);
  }
}

/* n's text r with its targets' texts replaced; NULL if one of them
 * cannot be cut out of it. */
static Expr *text_mode(Build *b, Node *n, Range r) {
  Arena *a = b->x->a;
  Vec targets = {0};
  collect_targets(b, n, &targets);
  Expr *e = new_expr(a);
  unsigned cur = r.start;
  Range prev = {0, 0};
  Var *prev_var = NULL;
  for (int i = 0; i < targets.len; i++) {
    Node *k = targets.items[i];
    Range rk;
    if (!tree_exact_range(k, &rk))
      return NULL;
    /* A macro that uses its argument twice shows the argument's
     * variables twice in the tree, with one text. */
    Var *v = var_ref(b, k);
    if (v && v == prev_var && range_equal(rk, prev))
      continue;
    if (rk.start < cur || rk.end > r.end || !splice_ok(b, k, rk))
      return NULL;
    prev = rk;
    prev_var = v;
    add_src(a, e, cur, rk.start);
    expr_add_expr(a, e, build(b, k));
    cur = rk.end;
  }
  add_src(a, e, cur, r.end);
  return e;
}

Expr *expr_of_span(ExprCx *x, Node **nodes, int n, Range r, Holes *h) {
  Build b = {x, h, {0}};
  map_init(&b.targets, x->a, map_eq_ptr);
  /* The nodes as the children of one made-up parent. */
  Node parent = {.kids = nodes, .nkids = n, .tu = x->tu};
  return text_mode(&b, &parent, r);
}

/* Where an argument's text is: its own, or the innermost invocation
 * that wrote its first token. */
static Range arg_span(Tu *tu, Node *arg) {
  Range r;
  if (tree_exact_range(arg, &r))
    return r;
  SrcLoc b = tree_begin(arg);
  Expansion *x = NULL;
  if (b.kind == LOC_ARG)
    x = tu_expansion_around(tu, b.off, NULL);
  else if (b.kind == LOC_BODY)
    for (int i = tu_expansion_from(tu, b.off);
         i < tu->expansions.len &&
         ((Expansion *)tu->expansions.items[i])->r.start == b.off;
         i++)
      x = tu->expansions.items[i];
  return x ? x->r : tree_range(arg);
}

Expr *expr_call_args(ExprCx *x, Node *call, Holes *h) {
  Arena *a = x->a;
  Expr *e = new_expr(a);
  int n = clang_Cursor_getNumArguments(call->c);
  Node **args = arena_alloc(a, sizeof *args * (size_t)(n + 1));
  Range *spans = arena_alloc(a, sizeof *spans * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    args[i] = tree_call_arg(call, i);
    spans[i] = arg_span(x->tu, args[i]);
  }
  /* An invocation that writes the callee too (`#define alloc(n)
   * alloc_at(n, __FILE__, __LINE__)`) stands for the call, not for its
   * arguments: those are printed one by one. */
  Range callee = {0, 0};
  if (n > 1 && call->nkids > 0 && call->kids[0] != args[0])
    callee = arg_span(x->tu, call->kids[0]);
  for (int i = 0; i < n;) {
    /* Arguments whose texts overlap share an invocation. */
    Range r = spans[i];
    int j = i + 1;
    for (; j < n && spans[j].start < r.end; j++) {
      r.start = spans[j].start < r.start ? spans[j].start : r.start;
      r.end = spans[j].end > r.end ? spans[j].end : r.end;
    }
    bool whole_call = callee.start < r.end && r.start < callee.end;
    Expr *span = j > i + 1 && !whole_call
                     ? expr_of_span(x, args + i, j - i, r, h)
                     : NULL;
    if (e->n)
      expr_add_text(a, e, ", ");
    if (span) {
      expr_add_expr(a, e, span);
    } else {
      for (int k = i; k < j; k++) {
        if (k > i)
          expr_add_text(a, e, ", ");
        expr_add_expr(a, e, expr_of(x, args[k], h));
      }
    }
    i = j;
  }
  return e;
}

/* ---- Printing from the tree ------------------------------------------- */

/* Integers and characters that no file spells (__LINE__, a pasted
 * number): their value, as a constant of their type. */
static char *evaluated(Build *b, Node *n) {
  CXEvalResult r = clang_Cursor_Evaluate(n->c);
  if (!r)
    return NULL;
  char *text = NULL;
  CXType t = clang_getCanonicalType(clang_getCursorType(n->c));
  if (clang_EvalResult_getKind(r) == CXEval_Int) {
    bool is_unsigned = clang_EvalResult_isUnsignedInt(r);
    unsigned long long u = clang_EvalResult_getAsUnsigned(r);
    long long v = clang_EvalResult_getAsLongLong(r);
    const char *suffix = t.kind == CXType_Long        ? "l"
                         : t.kind == CXType_ULong     ? "ul"
                         : t.kind == CXType_LongLong  ? "ll"
                         : t.kind == CXType_ULongLong ? "ull"
                         : t.kind == CXType_UInt      ? "u"
                                                      : "";
    text = is_unsigned ? arena_printf(b->x->a, "%llu%s", u, suffix)
                       : arena_printf(b->x->a, "%lld%s", v, suffix);
  } else if (clang_EvalResult_getKind(r) == CXEval_Float) {
    text = arena_printf(b->x->a, "%.17g%s", clang_EvalResult_getAsDouble(r),
                        t.kind == CXType_Float ? "f" : "");
  }
  clang_EvalResult_dispose(r);
  return text;
}

static void refuse(Build *b, Node *n, const char *what) {
  diag_error(b->x->tu, tree_pos(n),
             "asyncc cannot expand %s written by a macro's definition here; "
             "write it outside the macro",
             what);
}

/* A literal's token: its text in the file, or where a macro's body
 * spells it, or what it stands for (a stringized or pasted token). */
static char *literal(Build *b, Node *n) {
  Range r;
  if (tree_exact_range(n, &r))
    return tu_text(b->x->tu, r);
  if (n->ck == CXCursor_StringLiteral)
    return arena_cxstr(b->x->a, clang_getCursorSpelling(n->c));
  CXSourceRange ext = clang_getCursorExtent(n->c);
  Toks ts = tok_spelled(b->x->tu, clang_getRangeStart(ext), 128);
  if (ts.n > 0 && ts.t[0].kind == TOK_LITERAL)
    return (char *)ts.t[0].text;
  char *v = evaluated(b, n);
  if (v)
    return v;
  refuse(b, n, "this literal");
  return (char *)"0";
}

/* Text of a node with no holes that a macro's body writes. */
static char *unexpanded(Build *b, Node *n) {
  char *t = tree_span_text(n);
  if (t)
    return t;
  refuse(b, n, "this expression");
  return (char *)"0";
}

static void kid(Build *b, Expr *e, Node *k) {
  expr_add_expr(b->x->a, e, build(b, k));
}

static void text(Build *b, Expr *e, const char *s) {
  if (s[0])
    add_piece(b->x->a, e, P_TEXT)->text = s;
  if (s[0])
    e->p[e->n - 1].expansion = true;
}

static char *type_name(Build *b, CXType t) {
  return decl_declarator(b->x->tu, t, "", false);
}

/* The last child that is an expression (casts and compound literals list
 * type references first). */
static Node *last_expr(Node *n) {
  for (int i = n->nkids - 1; i >= 0; i--)
    if (clang_isExpression(n->kids[i]->ck))
      return n->kids[i];
  return NULL;
}

static bool same_begin(Node *a, Node *c) {
  return srcloc_same(tree_begin(a), tree_begin(c));
}

static void struct_unexposed(Build *b, Expr *e, Node *n) {
  Arena *a = b->x->a;
  /* GNU's a ?: b: the common operand, its two uses, then b. */
  if (n->nkids == 4 && same_begin(n->kids[0], n->kids[1]) &&
      same_begin(n->kids[0], n->kids[2])) {
    kid(b, e, n->kids[0]);
    text(b, e, " ?: ");
    kid(b, e, n->kids[3]);
    return;
  }
  /* A designated initialiser: .m or [i] designators, then the value. */
  if (n->nkids >= 2 && n->parent && n->parent->ck == CXCursor_InitListExpr) {
    for (int i = 0; i + 1 < n->nkids; i++) {
      Node *d = n->kids[i];
      if (d->ck == CXCursor_MemberRef) {
        text(b, e, arena_cat(a, ".", arena_cxstr(a, clang_getCursorSpelling(
                                                         d->c)),
                             NULL));
      } else {
        text(b, e, "[");
        kid(b, e, d);
        text(b, e, "]");
      }
    }
    text(b, e, " = ");
    kid(b, e, n->kids[n->nkids - 1]);
    return;
  }
  if (n->nkids == 1) {
    Toks first = tok_spelled(b->x->tu, clang_getRangeStart(
                                            clang_getCursorExtent(n->c)), 32);
    bool va_arg = first.n > 0 && (strcmp(first.t[0].text, "va_arg") == 0 ||
                                  strcmp(first.t[0].text,
                                         "__builtin_va_arg") == 0);
    if (va_arg && has_targets(b, n)) {
      text(b, e, "__builtin_va_arg(");
      kid(b, e, n->kids[0]);
      text(b, e, arena_cat(a, ", ", type_name(b, clang_getCursorType(n->c)),
                           ")", NULL));
      return;
    }
    kid(b, e, n->kids[0]); /* an implicit conversion */
    return;
  }
  if (has_targets(b, n))
    refuse(b, n, "this kind of expression");
  text(b, e, unexpanded(b, n));
}

static void struct_unary(Build *b, Expr *e, Node *n) {
  enum CXUnaryOperatorKind k = clang_getCursorUnaryOperatorKind(n->c);
  char *op = arena_cxstr(b->x->a, clang_getUnaryOperatorKindSpelling(k));
  if (k == CXUnaryOperator_PostInc || k == CXUnaryOperator_PostDec) {
    kid(b, e, n->kids[0]);
    text(b, e, op);
    return;
  }
  text(b, e, op);
  if (k == CXUnaryOperator_Real || k == CXUnaryOperator_Imag ||
      k == CXUnaryOperator_Extension)
    text(b, e, " ");
  kid(b, e, n->kids[0]);
}

static void struct_member(Build *b, Expr *e, Node *n) {
  char *member = arena_cxstr(b->x->a, clang_getCursorSpelling(n->c));
  if (!n->nkids) {
    text(b, e, member);
    return;
  }
  Node *base = n->kids[0];
  kid(b, e, base);
  if (!member[0])
    return; /* an unnamed struct or union member: no tokens */
  CXType bt = clang_getCanonicalType(clang_getCursorType(base->c));
  text(b, e, bt.kind == CXType_Pointer ? "->" : ".");
  text(b, e, member);
}

static void struct_list(Build *b, Expr *e, Node **kids, int n,
                        const char *sep) {
  for (int i = 0; i < n; i++) {
    if (i)
      text(b, e, sep);
    kid(b, e, kids[i]);
  }
}

static void struct_stmt(Build *b, Expr *e, Node *n);

/* _Generic evaluates only the association it selects, whose value and
 * type are the selection's: the one association of that type. */
static void struct_generic(Build *b, Expr *e, Node *n) {
  CXType t = clang_getCursorType(n->c);
  Node *chosen = NULL;
  int count = 0;
  for (int i = 1; i < n->nkids; i++)
    if (clang_isExpression(n->kids[i]->ck) &&
        clang_equalTypes(clang_getCursorType(n->kids[i]->c), t)) {
      chosen = n->kids[i];
      count++;
    }
  if (count != 1) {
    diag_error(b->x->tu, tree_pos(n),
               "cannot tell which association of this '_Generic' is "
               "selected; give the associations different types");
    text(b, e, unexpanded(b, n));
    return;
  }
  text(b, e, "(");
  kid(b, e, chosen);
  text(b, e, ")");
}

static void struct_sizeof(Build *b, Expr *e, Node *n) {
  Node *op = last_expr(n);
  if (!op) {
    text(b, e, unexpanded(b, n));
    return;
  }
  Toks first = tok_spelled(b->x->tu, clang_getRangeStart(
                                         clang_getCursorExtent(n->c)), 32);
  const char *kw = first.n ? first.t[0].text : "sizeof";
  text(b, e, arena_cat(b->x->a, kw, "(", NULL));
  kid(b, e, op);
  text(b, e, ")");
}

/* n printed node by node: how the expansion of a macro reads. */
static Expr *structural(Build *b, Node *n) {
  Arena *a = b->x->a;
  Expr *e = new_expr(a);
  switch (n->ck) {
  case CXCursor_UnexposedExpr:
    struct_unexposed(b, e, n);
    break;
  case CXCursor_DeclRefExpr:
    text(b, e, arena_cxstr(a, clang_getCursorSpelling(n->c)));
    break;
  case CXCursor_MemberRefExpr:
    struct_member(b, e, n);
    break;
  case CXCursor_CallExpr:
    kid(b, e, n->kids[0]);
    text(b, e, "(");
    struct_list(b, e, n->kids + 1, n->nkids - 1, ", ");
    text(b, e, ")");
    break;
  case CXCursor_IntegerLiteral:
  case CXCursor_FloatingLiteral:
  case CXCursor_ImaginaryLiteral:
  case CXCursor_StringLiteral:
  case CXCursor_CharacterLiteral:
  case CXCursor_FixedPointLiteral:
    text(b, e, literal(b, n));
    break;
  case CXCursor_ParenExpr:
    text(b, e, "(");
    kid(b, e, n->kids[0]);
    text(b, e, ")");
    break;
  case CXCursor_UnaryOperator:
    struct_unary(b, e, n);
    break;
  case CXCursor_ArraySubscriptExpr:
    kid(b, e, n->kids[0]);
    text(b, e, "[");
    kid(b, e, n->kids[1]);
    text(b, e, "]");
    break;
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator: {
    enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(n->c);
    char *op = arena_cxstr(a, clang_getBinaryOperatorKindSpelling(k));
    kid(b, e, n->kids[0]);
    text(b, e, k == CXBinaryOperator_Comma ? ", "
                                           : arena_cat(a, " ", op, " ", NULL));
    kid(b, e, n->kids[1]);
    break;
  }
  case CXCursor_ConditionalOperator:
    kid(b, e, n->kids[0]);
    text(b, e, " ? ");
    kid(b, e, n->kids[1]);
    text(b, e, " : ");
    kid(b, e, n->kids[2]);
    break;
  case CXCursor_CStyleCastExpr:
  case CXCursor_CompoundLiteralExpr:
    text(b, e, arena_cat(a, "(", type_name(b, clang_getCursorType(n->c)),
                         ")", NULL));
    kid(b, e, last_expr(n));
    break;
  case CXCursor_InitListExpr:
    text(b, e, "{");
    struct_list(b, e, n->kids, n->nkids, ", ");
    text(b, e, "}");
    break;
  case CXCursor_StmtExpr:
    text(b, e, "(");
    struct_stmt(b, e, n->kids[0]);
    text(b, e, ")");
    break;
  case CXCursor_GenericSelectionExpr:
    if (has_targets(b, n))
      struct_generic(b, e, n);
    else
      text(b, e, unexpanded(b, n));
    break;
  case CXCursor_UnaryExpr:
    if (has_targets(b, n))
      struct_sizeof(b, e, n);
    else
      text(b, e, unexpanded(b, n));
    break;
  default:
    if (has_targets(b, n))
      refuse(b, n, "this kind of expression");
    text(b, e, unexpanded(b, n));
    break;
  }
  return e;
}

/* The statements of a statement expression, on one line. */
static void struct_stmt(Build *b, Expr *e, Node *n) {
  Arena *a = b->x->a;
  Range r;
  if (!has_targets(b, n) && tree_exact_range(n, &r)) {
    add_src(a, e, r.start, r.end);
    if (n->ck != CXCursor_CompoundStmt && !clang_isDeclaration(n->ck) &&
        n->ck != CXCursor_DeclStmt)
      text(b, e, ";");
    return;
  }
  switch (n->ck) {
  case CXCursor_CompoundStmt:
    text(b, e, "{ ");
    for (int i = 0; i < n->nkids; i++) {
      struct_stmt(b, e, n->kids[i]);
      text(b, e, " ");
    }
    text(b, e, "}");
    return;
  case CXCursor_DeclStmt:
    for (int i = 0; i < n->nkids; i++) {
      Node *v = n->kids[i];
      if (v->ck != CXCursor_VarDecl) {
        refuse(b, n, "a declaration of a type");
        continue;
      }
      char *name = arena_cxstr(a, clang_getCursorSpelling(v->c));
      text(b, e, decl_declarator(b->x->tu, clang_getCursorType(v->c), name,
                                 false));
      Node *init = tree_var_init(v);
      if (init) {
        text(b, e, " = ");
        kid(b, e, init);
      }
      text(b, e, ";");
    }
    return;
  case CXCursor_NullStmt:
    text(b, e, ";");
    return;
  case CXCursor_IfStmt:
    text(b, e, "if (");
    kid(b, e, n->kids[0]);
    text(b, e, ") ");
    struct_stmt(b, e, n->kids[1]);
    if (n->nkids > 2) {
      text(b, e, " else ");
      struct_stmt(b, e, n->kids[2]);
    }
    return;
  default:
    if (clang_isExpression(n->ck)) {
      kid(b, e, n);
      text(b, e, ";");
      return;
    }
    refuse(b, n, "this kind of statement");
    text(b, e, unexpanded(b, n));
    return;
  }
}

static Expr *hole_expr(Build *b, int i) {
  Arena *a = b->x->a;
  Expr *e = new_expr(a);
  add_hole_text(a, e, "");
  if (b->h->exprs.items[i])
    expr_add_expr(a, e, b->h->exprs.items[i]);
  else
    expr_add_text(a, e, b->h->texts.items[i]);
  return e;
}

/* Records, in an empty piece, the invocation whose expansion n is
 * printed from when n is not its text (expr_expansions). */
static Expr *from_invocation(Build *b, Node *n, Expr *s) {
  SrcLoc nb = tree_begin(n);
  if (nb.kind != LOC_BODY && nb.kind != LOC_ARG)
    return s;
  Expansion *x = tu_expansion_outermost(b->x->tu, nb.off);
  if (!x)
    return s;
  Expr *e = new_expr(b->x->a);
  Piece *p = add_piece(b->x->a, e, P_TEXT);
  p->text = "";
  p->expansion = true;
  p->r = x->r;
  expr_add_expr(b->x->a, e, s);
  return e;
}

static Expr *build(Build *b, Node *n) {
  Arena *a = b->x->a;
  int hi = hole_index(b->h, n);
  if (hi >= 0)
    return hole_expr(b, hi);
  Var *v = var_ref(b, n);
  if (v) {
    Expr *e = new_expr(a);
    Piece *p = add_piece(a, e, P_VAR);
    p->var = v;
    p->def = is_assigned(n);
    return e;
  }
  Range r;
  bool exact = tree_exact_range(n, &r);
  if (!has_targets(b, n)) {
    if (!exact)
      return from_invocation(b, n, structural(b, n));
    Expr *e = new_expr(a);
    add_src(a, e, r.start, r.end);
    return e;
  }
  if (exact) {
    Expr *e = text_mode(b, n, r);
    if (e)
      return e;
  }
  Expr *s = structural(b, n);
  if (!exact)
    return from_invocation(b, n, s);
  Expr *e = new_expr(a);
  Piece *p = add_piece(a, e, P_MACRO);
  p->r = r;
  p->alt = s;
  return e;
}

Expr *expr_as_written(ExprCx *x, Node *n, Holes *h) {
  Build b = {x, h, {0}};
  map_init(&b.targets, x->a, map_eq_ptr);
  Range r;
  if (!tree_exact_range(n, &r))
    return NULL;
  return text_mode(&b, n, r);
}

Expr *expr_of(ExprCx *x, Node *n, Holes *h) {
  Build b = {x, h, {0}};
  map_init(&b.targets, x->a, map_eq_ptr);
  return build(&b, n);
}

/* ---- Printing ------------------------------------------------------------ */

bool expr_active(const Expr *e) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    if ((p->kind == P_VAR && p->var->saved) ||
        (p->kind == P_TEXT && p->def) ||
        (p->kind == P_MACRO && expr_active(p->alt)))
      return true;
  }
  return false;
}

void expr_print(Tu *tu, const Expr *e, const char *fr, Buf *out) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    switch (p->kind) {
    case P_SRC:
      tu_put_text(tu, out, p->r);
      break;
    case P_TEXT:
      buf_puts(out, p->text);
      break;
    case P_VAR:
      if (p->var->saved) {
        buf_puts(out, fr);
        buf_puts(out, "->");
        buf_puts(out, p->var->field);
      } else {
        buf_puts(out, p->var->name);
      }
      break;
    case P_MACRO:
      if (expr_active(p->alt))
        expr_print(tu, p->alt, fr, out);
      else
        tu_put_text(tu, out, p->r);
      break;
    }
  }
}

char *expr_str(Tu *tu, const Expr *e, const char *fr) {
  Buf b = {0};
  expr_print(tu, e, fr, &b);
  return b.s ? buf_take(tu->arena, &b) : arena_strdup(tu->arena, "");
}

bool expr_expanded(const Expr *e) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    if ((p->kind == P_TEXT && p->expansion) ||
        (p->kind == P_MACRO && expr_active(p->alt)))
      return true;
  }
  return false;
}

void expr_expansions(const Expr *e, Vec *ranges, Arena *a) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    if ((p->kind == P_MACRO && expr_active(p->alt)) ||
        (p->kind == P_TEXT && p->expansion && p->r.end > p->r.start)) {
      Range *r = arena_alloc(a, sizeof *r);
      *r = p->r;
      vec_push(a, ranges, r);
    }
  }
}

bool expr_empty(const Expr *e) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    if (p->kind == P_VAR || p->kind == P_MACRO ||
        (p->kind == P_TEXT && p->text[0]) ||
        (p->kind == P_SRC && p->r.end > p->r.start))
      return false;
  }
  return true;
}
