/* lower.c -- turns an async function's body into the body of its poll
 * function, as a list of text edits over the original source.
 *
 * Statements are lowered children first, so that the text of an edit that
 * covers a statement is rendered from source with every inner edit already
 * applied.  An expression holding awaits is split into a prelude -- the
 * statements that run the awaits, in C's evaluation order -- and a residual
 * expression that reads their results.  Operators that sequence their
 * operands (&&, ||, ?:, comma) become control flow in the prelude, so an
 * operand that C would not evaluate is neither run nor awaited. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

/* ---- Statement text layout ---------------------------------------------- */

static unsigned line_start(Tu *tu, unsigned off) {
  while (off > 0 && tu->src[off - 1] != '\n')
    off--;
  return off;
}

static bool only_blanks(Tu *tu, unsigned from, unsigned to) {
  for (unsigned i = from; i < to; i++)
    if (tu->src[i] != ' ' && tu->src[i] != '\t')
      return false;
  return true;
}

static const char *indent_of(Lower *L, unsigned off) {
  unsigned s = line_start(L->tu, off), e = s;
  while (e < off && (L->tu->src[e] == ' ' || L->tu->src[e] == '\t'))
    e++;
  return arena_strndup(L->a, L->tu->src + s, e - s);
}

/* A statement's range widened to include its ';' and, when it stands alone
 * on its line, the indentation before it. */
static bool needs_braces(Node *n);

static Range stmt_range(Lower *L, Node *n) {
  Range r = tree_range(n);
  r.end = tu_skip_semicolon(L->tu, r.end);
  unsigned ls = line_start(L->tu, r.start);
  /* Only a statement of a block: a loop or if body must keep its range, for
   * the loop's own rewrite renders exactly that range. */
  if (!needs_braces(n) && only_blanks(L->tu, ls, r.start))
    r.start = ls;
  return r;
}

/* A loop body's text, with the ';' that ends a non-compound body. */
static Range body_range(Lower *L, Node *body) {
  return (Range){tree_range(body).start,
                 tu_skip_semicolon(L->tu, tree_range(body).end)};
}

/* The text of a loop body going inside a new loop's braces: a compound
 * body without its own braces, first-line indentation and trailing blanks
 * (the code line supplies them). */
static const char *body_text(Lower *L, Node *body) {
  /* A body that declares names keeps its braces: the loop's condition and
   * increment, moved next to it, must not see them. */
  bool declares = false;
  for (int i = 0; body->ck == CXCursor_CompoundStmt && i < body->nkids; i++)
    declares |= body->kids[i]->ck == CXCursor_DeclStmt;
  if (body->ck != CXCursor_CompoundStmt || declares)
    return code_render(L, body_range(L, body));
  const char *t = code_render(
      L, (Range){tree_range(body).start + 1, tree_range(body).end - 1});
  const char *nl = t;
  while (*nl == ' ' || *nl == '\t')
    nl++;
  if (*nl == '\n')
    t = nl + 1;
  while (*t == ' ' || *t == '\t')
    t++;
  size_t n = strlen(t);
  while (n > 0 && strchr(" \t\n", t[n - 1]))
    n--;
  return n ? arena_strndup(L->a, t, n) : ";";
}

/* The line a loop body's text starts on. */
static unsigned body_line(Lower *L, Node *body) {
  if (body->ck == CXCursor_CompoundStmt && body->nkids > 0)
    return tu_line(L->tu, tree_range(body->kids[0]).start);
  return tu_line(L->tu, tree_range(body).start);
}

static bool needs_braces(Node *n) {
  return !n->parent || n->parent->ck != CXCursor_CompoundStmt;
}

/* Starts the replacement text of a statement; several statements need
 * braces where the statement was the body of an if, a loop or a label. */
static void code_open(Lower *L, Code *c, Node *stmt) {
  *c = (Code){.indent = indent_of(L, tree_range(stmt).start)};
  if (needs_braces(stmt)) {
    code_line(L, c, tu_line(L->tu, tree_range(stmt).start), "{");
    c->depth++;
  }
}

/* The same for a replacement that is one statement: no braces. */
static void code_open_single(Lower *L, Code *c, Node *stmt) {
  *c = (Code){.indent = indent_of(L, tree_range(stmt).start), .single = true};
}

static void code_close(Lower *L, Code *c, Node *stmt) {
  if (!c->single && needs_braces(stmt)) {
    c->depth--;
    code_line(L, c, tu_line(L->tu, tree_range(stmt).end), "}");
  }
}

static void replace_stmt(Lower *L, Node *stmt, Code *c) {
  code_close(L, c, stmt);
  code_edit(L, stmt_range(L, stmt), buf_take(L->a, &c->b));
}

/* ---- Awaits ------------------------------------------------------------- */

static const char *fr(Lower *L) { return L->fn->fr; }

static Node *call_arg(Node *call, int i) {
  CXCursor arg = clang_Cursor_getArgument(call->c, (unsigned)i);
  for (int k = 0; k < call->nkids; k++)
    if (clang_equalCursors(call->kids[k]->c, arg))
      return call->kids[k];
  internal_error("call argument not among the call's children");
}

static const char *linearize(Lower *L, Node *n, Code *pre);

/* ---- Await text ------------------------------------------------------- */

static bool is_blank(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' ||
         ch == '\v';
}

static unsigned skip_blanks(const char *s, unsigned p, unsigned end) {
  while (p < end && is_blank(s[p]))
    p++;
  return p;
}

/* True if the character at p is one that the compiler reads as it stands:
 * not in a comment, literal with quotes, line splice, directive, digraph
 * or trigraph. */
static bool plain_char(const char *s, unsigned p, unsigned end) {
  char next = p + 1 < end ? s[p + 1] : '\0';
  switch (s[p]) {
  case '/':
    return next != '/' && next != '*';
  case '?':
    return next != '?';
  case '<':
    return next != ':' && next != '%';
  case '%':
    return next != '>' && next != ':';
  case ':':
    return next != '>';
  case '(': case ')': case '[': case ']': case '{': case '}': case ',':
  case '.': case '+': case '-': case '*': case '&': case '|': case '^':
  case '!': case '~': case '>': case '=': case ';':
    return true;
  default:
    return is_ident_char(s[p]) || is_blank(s[p]);
  }
}

/* The index of the first macro expansion starting at or after off. */
static int expansion_from(Tu *tu, unsigned off) {
  return tu_range_from(&tu->expansions, off);
}

static unsigned expansion_start(Tu *tu, int i) {
  return ((Range *)tu->expansions.items[i])->start;
}

/* True if r is the range of a macro invocation (await's, as the callers
 * check) that holds no other invocation and lies in none. */
static bool only_await_macro(Tu *tu, Range r) {
  int i = expansion_from(tu, r.start);
  if (i == tu->expansions.len || expansion_start(tu, i) != r.start ||
      ((Range *)tu->expansions.items[i])->end != r.end)
    return false;
  if (i + 1 < tu->expansions.len && expansion_start(tu, i + 1) < r.end)
    return false;
  return i == 0 || tu->max_end[i - 1] <= r.start;
}

/* True if no macro is invoked in r or around it. */
static bool macro_free(Tu *tu, Range r) {
  int i = expansion_from(tu, r.start);
  if (i < tu->expansions.len && expansion_start(tu, i) < r.end)
    return false;
  return i == 0 || tu->max_end[i - 1] <= r.start;
}

/* The blank-trimmed range [from, to). */
static Range trimmed(const char *s, unsigned from, unsigned to) {
  from = skip_blanks(s, from, to);
  while (to > from && is_blank(s[to - 1]))
    to--;
  return (Range){from, to};
}

/* The text between the parentheses of an await invocation that the
 * compiler read as it stands: the invocation holds no other macro and lies
 * in none, so every token of its operand is the text's own.  Reading the
 * text spares asking libclang for extents inside a macro argument, which
 * costs a token's relexing per node.  False otherwise; the callers then
 * ask libclang. */
static bool plain_await_text(Lower *L, Node *await, Range *inner) {
  const char *s = L->tu->src;
  Range r = tree_range(await);
  if (!only_await_macro(L->tu, r) || r.end - r.start < 7 ||
      strncmp(s + r.start, "await", 5) != 0 || is_ident_char(s[r.start + 5]) ||
      s[r.end - 1] != ')')
    return false;
  unsigned p = skip_blanks(s, r.start + 5, r.end);
  if (p == r.end || s[p] != '(')
    return false;
  *inner = (Range){p + 1, r.end - 1};
  return true;
}

/* The ranges of the arguments of `await(f(a, b))`, read from the text
 * (see plain_await_text), of plain characters only (see plain_char);
 * false if that fails or the count differs from libclang's. */
static bool plain_await_args(Lower *L, AwaitSite *aw, int nargs, Range *out) {
  const char *s = L->tu->src;
  Range inner;
  if (!plain_await_text(L, aw->node, &inner))
    return false;
  unsigned end = inner.end, p = skip_blanks(s, inner.start, end);
  size_t len = strlen(aw->callee_name);
  if (end - p < len || strncmp(s + p, aw->callee_name, len) != 0)
    return false;
  p = skip_blanks(s, p + (unsigned)len, end);
  if (p == end || s[p] != '(')
    return false;
  int count = 0, depth = 0;
  unsigned from = ++p;
  for (;; p++) {
    if (p == end || !plain_char(s, p, end))
      return false;
    char ch = s[p];
    if (ch == '(' || ch == '[' || ch == '{') {
      depth++;
    } else if (depth > 0 && (ch == ')' || ch == ']' || ch == '}')) {
      depth--;
    } else if (depth == 0 && (ch == ')' || ch == ',')) {
      Range arg = trimmed(s, from, p);
      if (ch == ')' && count == 0 && arg.start == arg.end)
        break; /* f() */
      if (arg.start == arg.end || count == nargs)
        return false;
      out[count++] = arg;
      from = p + 1;
      if (ch == ')')
        break;
    }
  }
  return count == nargs && skip_blanks(s, p + 1, end) == end;
}

/* True if the arguments' ranges overlap: a macro invocation writes
 * more than one of them (`TWO(a)` defined as `a, 2`), and each
 * argument's range is the whole invocation or a part of it. */
static bool args_share_a_macro(Node *call, int n) {
  unsigned end = 0;
  for (int i = 0; i < n; i++) {
    Range r = tree_range(call_arg(call, i));
    if (i > 0 && r.start < end)
      return true;
    end = r.end;
  }
  return false;
}

/* The text from the first argument's start to the furthest end. */
static Range args_span(Node *call, int n) {
  Range all = tree_range(call_arg(call, 0));
  for (int i = 1; i < n; i++) {
    Range r = tree_range(call_arg(call, i));
    all.start = r.start < all.start ? r.start : all.start;
    all.end = r.end > all.end ? r.end : all.end;
  }
  return all;
}

const char *lower_call_args(Lower *L, Node *call) {
  int n = clang_Cursor_getNumArguments(call->c);
  if (n > 1 && args_share_a_macro(call, n))
    return code_render(L, args_span(call, n));
  const char *args = "";
  for (int i = 0; i < n; i++)
    args = code_cat(L->a, args, i ? ", " : "",
                    code_render(L, tree_range(call_arg(call, i))), NULL);
  return args;
}

/* Arguments written by one macro invocation are passed on as that text;
 * an await among them could not be taken out of the invocation. */
static const char *shared_macro_args(Lower *L, Node *call, int n) {
  for (int i = 0; i < n; i++) {
    Node *arg = call_arg(call, i);
    if (arg->has_await) {
      diag_error((Loc){tree_range(arg).start},
                 "await in a macro invocation that writes several arguments "
                 "of an awaited call; await into a variable first");
      return "";
    }
  }
  return code_cat(L->a, ", ", lower_call_args(L, call), NULL);
}

static const char *await_args(Lower *L, AwaitSite *aw, Code *pre) {
  Node *call = aw->call;
  if (aw->kind == AW_JOIN) {
    Node *h = call->operand;
    const char *text =
        h->has_await ? linearize(L, h, pre) : code_render(L, tree_range(h));
    return arena_printf(L->a, ", (ac_task *)(void *)(%s)", text);
  }
  int n = clang_Cursor_getNumArguments(call->c);
  Range few[8];
  Range *plain = n <= 8 ? few : arena_alloc(L->a, sizeof *plain * (size_t)n);
  bool is_plain = n >= 0 && plain_await_args(L, aw, n, plain);
  if (!is_plain && n > 1 && args_share_a_macro(call, n))
    return shared_macro_args(L, call, n);
  const char *args = "";
  for (int i = 0; i < n; i++) {
    Node *arg = is_plain ? NULL : call_arg(call, i);
    const char *text = is_plain        ? code_render(L, plain[i])
                       : arg->has_await ? linearize(L, arg, pre)
                                        : code_render(L, tree_range(arg));
    args = code_cat(L->a, args, ", ", text, NULL);
  }
  return args;
}

static char *sub_frame(Lower *L, AwaitSite *aw) {
  return code_cat(L->a, aw->dynamic ? "" : "&", fr(L), "->sub.", aw->sub,
                  NULL);
}

/* The expression that reads a completed await's result. */
static char *sub_result(Lower *L, AwaitSite *aw) {
  if (!aw->dynamic)
    return code_cat(L->a, fr(L), "->sub.", aw->sub, ".result", NULL);
  if (find_definition(L->tu, aw->callee))
    return code_cat(L->a, fr(L), "->sub.", aw->sub, "->result", NULL);
  return code_cat(L->a, aw->callee_name, "_result(", fr(L), "->sub.", aw->sub,
                  ")", NULL);
}

static char *frame_size(Lower *L, AwaitSite *aw) {
  if (find_definition(L->tu, aw->callee))
    return arena_printf(L->a, "sizeof(struct %s_frame)", aw->callee_name);
  return arena_printf(L->a, "%s_frame_size", aw->callee_name);
}

/* await(f(args)) =>
 *   fr->state = F_LN;
 *   f_init(&fr->sub.await_N, args);
 * resume_N:
 *   if (f_poll(&fr->sub.await_N, cx) == AC_PENDING)
 *     return AC_PENDING;
 * and the residual reads fr->sub.await_N.result (or a temporary copy when
 * another await could reuse the sub-frame before the result is read). */
static const char *lower_await(Lower *L, Node *n, Code *pre, bool keep_result) {
  AwaitSite *aw = n->await;
  if (aw->kind == AW_COMBINE)
    return combine_lower(L, aw, pre, keep_result);
  AsyncFn *fn = L->fn;
  const char *args = await_args(L, aw, pre);
  char *sub = sub_frame(L, aw);
  unsigned line = aw->line;
  /* The state is set first: if the allocation fails, drop finds the state
   * of this await and its NULL sub-frame, not a finished earlier one. */
  code_parts(L, pre, line, fr(L), "->state = ", aw->state, ";", NULL);
  if (aw->dynamic) {
    code_line(L, pre, line, "if (!(%s->sub.%s = ac_frame_alloc(%s, %s)))",
              fr(L), aw->sub, fn->cx, frame_size(L, aw));
    code_line(L, pre, line, "  return ac__frame_oom(%s);", fn->cx);
  }
  code_parts(L, pre, line, aw->callee_name, "_init(", sub, args, ");", NULL);
  if (L->opt->test_suspend) {
    code_parts(L, pre, line, "if (ac__test_suspend(", fn->cx,
               ") == AC_PENDING)", NULL);
    code_text(L, pre, line, "  return AC_PENDING;");
  }
  code_label(L, pre, line, aw->label);
  code_parts(L, pre, line, "if (", aw->callee_name, "_poll(", sub, ", ",
             fn->cx, ") == AC_PENDING)", NULL);
  code_text(L, pre, line, "  return AC_PENDING;");
  /* A void await used as a value, as in (void)await(f()). */
  const char *res = keep_result && !aw->result_type ? "(void)0" : "";
  if (aw->kind == AW_JOIN) {
    /* The result lives in the task, which ac_join_finish releases. */
    if (aw->result_type && keep_result) {
      char *t = frame_new_temp(fn, clang_getCursorType(aw->call->c), "t");
      code_line(L, pre, line, "%s->%s = *(%s *)ac_join_result(%s);", fr(L),
                t, aw->result_type, sub);
      res = code_cat(L->a, fr(L), "->", t, NULL);
    }
    code_line(L, pre, line, "ac_join_finish(%s);", sub);
    return res;
  }
  if (aw->result_type && keep_result) {
    res = sub_result(L, aw);
    if (aw->dynamic || !aw->direct) {
      CXType type = clang_getCursorType(aw->call->c);
      char *t = frame_new_temp(fn, type, "t");
      char *lhs = code_cat(L->a, fr(L), "->", t, NULL);
      code_text(L, pre, line, decl_assign(L->a, type, lhs, res));
      res = lhs;
    }
  }
  if (aw->dynamic)
    code_line(L, pre, line, "ac_frame_free(%s->sub.%s);", fr(L), aw->sub);
  return res;
}

/* ---- Expressions ---------------------------------------------------------- */

static char *new_temp(Lower *L, Node *n, const char *hint) {
  char *t = frame_new_temp(L->fn, clang_getCursorType(n->c), hint);
  return code_cat(L->a, fr(L), "->", t, NULL);
}

/* a && b  =>  t = (a) != 0; if (t) { ...b's awaits; t = (b) != 0; }
 * a || b  =>  t = (a) != 0; if (!t) { ...b's awaits; t = (b) != 0; } */
static const char *lower_logical(Lower *L, Node *n, Code *pre, bool is_and) {
  unsigned line = tu_line(L->tu, tree_range(n).start);
  const char *lhs = linearize(L, n->kids[0], pre);
  char *t = new_temp(L, n, "cond");
  code_parts(L, pre, line, t, " = (", lhs, ") != 0;", NULL);
  code_parts(L, pre, line, "if (", is_and ? "" : "!", t, ") {", NULL);
  pre->depth++;
  const char *rhs = linearize(L, n->kids[1], pre);
  code_parts(L, pre, line, t, " = (", rhs, ") != 0;", NULL);
  pre->depth--;
  code_text(L, pre, line, "}");
  return t;
}

/* c ? a : b  =>  if (c) { ...; t = a; } else { ...; t = b; } */
static const char *lower_conditional(Lower *L, Node *n, Code *pre) {
  unsigned line = tu_line(L->tu, tree_range(n).start);
  const char *cond = linearize(L, n->kids[0], pre);
  bool is_void =
      clang_getCanonicalType(clang_getCursorType(n->c)).kind == CXType_Void;
  char *t = is_void ? NULL : new_temp(L, n, "cond");
  code_parts(L, pre, line, "if (", cond, ") {", NULL);
  for (int i = 1; i <= 2; i++) {
    pre->depth++;
    const char *v = linearize(L, n->kids[i], pre);
    if (t)
      code_parts(L, pre, line, t, " = ", v, ";", NULL);
    else if (v[0])
      code_parts(L, pre, line, "(void)(", v, ");", NULL);
    pre->depth--;
    code_text(L, pre, line, i == 1 ? "} else {" : "}");
  }
  return t ? t : "(void)0";
}

static void discard(Lower *L, Node *e, Code *c);

/* a, b  =>  a;  and the residual is b. */
static const char *lower_comma(Lower *L, Node *n, Code *pre) {
  discard(L, n->kids[0], pre);
  return linearize(L, n->kids[1], pre);
}

/* Any other expression: its awaiting operands are lowered in order and the
 * residual is the expression's own text around them. */
static const char *lower_generic(Lower *L, Node *n, Code *pre) {
  /* A node spanning exactly its one operand, such as an implicit
   * conversion, reads as the operand.  Its lowered text is the operand's:
   * rendering n would take an edit of the same range for an older text
   * of n itself (next_edit), and lose a residual like `fr->cond`. */
  if (n->nkids == 1 && range_equal(tree_range(n), tree_range(n->kids[0])))
    return linearize(L, n->kids[0], pre);
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->has_await && k->kind == N_AWAIT)
      code_edit(L, tree_range(k), linearize(L, k, pre));
    else if (k->has_await)
      code_rerender(L, tree_range(k), linearize(L, k, pre));
  }
  return code_render(L, tree_range(n));
}

/* A compound literal lives as long as its block, but the poll function's
 * stack does not survive a suspension: a literal whose object may be
 * reached across an await (an array, which decays to a pointer, or one
 * whose address is taken, in a block that awaits) is kept in the frame. */
static bool literal_escapes(Node *n) {
  CXType t = clang_getCanonicalType(clang_getCursorType(n->c));
  bool escapes =
      t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
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

/* (T){...}  =>  (*(fr->lit = (T){...}, &fr->lit)): the literal's object
 * becomes a frame field, initialised where the literal is evaluated. */
static const char *literal_in_frame(Lower *L, Node *n, const char *text) {
  CXType t = clang_getCursorType(n->c);
  char *f = frame_new_temp(L->fn, t, "lit");
  CXType c = clang_getCanonicalType(t);
  if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
    return arena_printf(L->a, "(*(memcpy(%s->%s, %s, sizeof %s->%s), &%s->%s))",
                        fr(L), f, text, fr(L), f, fr(L), f);
  return arena_printf(L->a, "(*(%s->%s = %s, &%s->%s))", fr(L), f, text,
                      fr(L), f);
}

static void literals_to_frame(Lower *L, Node *n) {
  if (n->ck == CXCursor_CompoundLiteralExpr && !n->has_await &&
      literal_escapes(n)) {
    code_edit(L, tree_range(n),
              literal_in_frame(L, n, code_render(L, tree_range(n))));
    return;
  }
  for (int i = 0; i < n->nkids; i++)
    literals_to_frame(L, n->kids[i]);
}

static bool is_binop(Node *n, enum CXBinaryOperatorKind op) {
  return n->ck == CXCursor_BinaryOperator && n->nkids == 2 &&
         clang_getCursorBinaryOperatorKind(n->c) == op;
}

/* Lowers n's awaits into `pre`; returns the residual expression text. */
static const char *linearize(Lower *L, Node *n, Code *pre) {
  if (!n->has_await)
    return code_render(L, tree_range(n));
  if (n->kind == N_AWAIT)
    return lower_await(L, n, pre, true);
  if (is_binop(n, CXBinaryOperator_LAnd) && n->kids[1]->has_await)
    return lower_logical(L, n, pre, true);
  if (is_binop(n, CXBinaryOperator_LOr) && n->kids[1]->has_await)
    return lower_logical(L, n, pre, false);
  if (is_binop(n, CXBinaryOperator_Comma))
    return lower_comma(L, n, pre);
  if (n->ck == CXCursor_ConditionalOperator && n->nkids == 3 &&
      (n->kids[1]->has_await || n->kids[2]->has_await))
    return lower_conditional(L, n, pre);
  if (n->ck == CXCursor_CompoundLiteralExpr && literal_escapes(n))
    return literal_in_frame(L, n, lower_generic(L, n, pre));
  return lower_generic(L, n, pre);
}

/* Marks the awaits whose result the residual may read straight from the
 * sub-frame: the statement's last await, when nothing sequenced (&&, ||, ?:,
 * comma) stands between it and the statement. */
static void mark_direct(Lower *L, Node *stmt) {
  AwaitSite *last = NULL;
  Range s = tree_range(stmt);
  for (int i = L->fn->awaits.len - 1; i >= 0 && !last; i--) {
    AwaitSite *aw = L->fn->awaits.items[i];
    Range r = tree_range(aw->node);
    if (r.start >= s.start && r.end <= s.end)
      last = aw;
  }
  if (!last || last->dynamic)
    return;
  for (Node *p = last->node->parent; p && p != stmt; p = p->parent) {
    if (p->kind == N_AWAIT || is_binop(p, CXBinaryOperator_LAnd) ||
        is_binop(p, CXBinaryOperator_LOr) ||
        is_binop(p, CXBinaryOperator_Comma) ||
        p->ck == CXCursor_ConditionalOperator)
      return;
  }
  last->direct = true;
}

/* Lowers a full expression of statement `stmt`: awaits go to `pre`. */
static const char *full_expr(Lower *L, Node *stmt, Node *e, Code *pre) {
  mark_direct(L, stmt);
  return linearize(L, e, pre);
}

/* A condition: like full_expr, but `((a, b))` written to sequence an await
 * before the test loses the parentheses its residual no longer needs (clang
 * warns about `if ((x == y))`). */
static const char *cond_expr(Lower *L, Node *stmt, Node *cond, Code *pre) {
  /* Only the user's parentheses: an await (or other marked node) is a
   * parenthesised comma too, but of asyncc.h's making. */
  Node *inner = cond->kind == N_OTHER && cond->ck == CXCursor_ParenExpr &&
                        cond->nkids == 1
                    ? cond->kids[0]
                    : NULL;
  if (inner && inner->has_await && is_binop(inner, CXBinaryOperator_Comma))
    return full_expr(L, stmt, inner, pre);
  return full_expr(L, stmt, cond, pre);
}

/* ---- Statements ----------------------------------------------------------- */

static void lower_stmt(Lower *L, Node *n);

static void lower_kids(Lower *L, Node *n, int from) {
  for (int i = from; i < n->nkids; i++)
    lower_stmt(L, n->kids[i]);
}

/* Lowers an expression whose value is unused: an await's result is not
 * kept, and a comma's operands are statements of their own. */
static void discard(Lower *L, Node *e, Code *c) {
  Node *top = tree_strip(e);
  if (top->kind == N_AWAIT) {
    lower_await(L, top, c, false);
  } else if (is_binop(top, CXBinaryOperator_Comma) && top->has_await) {
    discard(L, top->kids[0], c);
    discard(L, top->kids[1], c);
  } else {
    const char *res = linearize(L, e, c);
    if (res[0])
      code_parts(L, c, tu_line(L->tu, tree_range(e).start), "(void)(", res,
                 ");", NULL);
  }
}

/* e;  =>  ...e's awaits; residual; */
static void lower_expr_stmt(Lower *L, Node *n) {
  if (!n->has_await)
    return;
  Code c;
  code_open(L, &c, n);
  mark_direct(L, n);
  discard(L, n, &c);
  replace_stmt(L, n, &c);
}

/* Sets fr->state to DONE and returns AC_READY. */
static void code_finish(Lower *L, Code *c, unsigned line) {
  code_parts(L, c, line, fr(L), "->state = ", L->fn->upper, "_DONE;", NULL);
  code_text(L, c, line, "return AC_READY;");
}

/* return e;  =>  fr->result = e; fr->state = F_DONE; return AC_READY; */
static void lower_return(Lower *L, Node *n) {
  Code c;
  code_open(L, &c, n);
  unsigned line = tu_line(L->tu, tree_range(n).start);
  if (n->nkids == 1) {
    const char *res = full_expr(L, n, n->kids[0], &c);
    if (L->fn->ret_type)
      code_text(L, &c, line,
                  decl_assign(L->a, clang_getCursorResultType(L->fn->decl),
                              code_cat(L->a, fr(L), "->result", NULL), res));
    else if (res[0])
      code_parts(L, &c, line, "(void)(", res, ");", NULL);
  }
  code_finish(L, &c, line);
  replace_stmt(L, n, &c);
}

static Node *var_init(Node *var) {
  CXCursor init = clang_Cursor_getVarDeclInitializer(var->c);
  if (clang_Cursor_isNull(init))
    return NULL;
  for (int i = 0; i < var->nkids; i++)
    if (clang_equalCursors(var->kids[i]->c, init))
      return var->kids[i];
  return NULL;
}

static bool is_array_type(CXType t) {
  t = clang_getCanonicalType(t);
  return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
}

/* The statement that stores a saved local's initial value. */
static const char *init_saved(Lower *L, Var *v, Node *init,
                              const char *value) {
  CXType t = clang_getCursorType(v->decl->c);
  const char *f = fr(L);
  bool braced = tree_strip(init)->ck == CXCursor_InitListExpr;
  bool array = is_array_type(t);
  char *type = braced || array ? decl_declarator(L->a, t, "", false) : NULL;
  if (array)
    return code_cat(L->a, "memcpy(", f, "->", v->field, ", (", type, ")",
                    braced ? "" : "{", value, braced ? "" : "}", ", sizeof ",
                    f, "->", v->field, ");", NULL);
  const char *lhs = code_cat(L->a, f, "->", v->field, NULL);
  if (braced)
    value = code_cat(L->a, "(", type, ")", value, NULL);
  return decl_assign(L->a, t, lhs, value);
}

static bool is_hoisted(Lower *L, Node *n) {
  for (int i = 0; i < L->fn->hoisted.len; i++)
    if (L->fn->hoisted.items[i] == n)
      return true;
  return false;
}

/* True if no await lies in n's range and no macro is invoked in it or
 * around it.  Then the tokens of n's children are the text's own, their
 * ranges lie in n's, and mark_direct would find no await in them: they
 * need not be computed. */
static bool no_await_within(Lower *L, Node *n) {
  Range s = tree_range(n);
  if (!macro_free(L->tu, s))
    return false;
  for (int i = 0; i < L->fn->awaits.len; i++) {
    Range r = tree_range(((AwaitSite *)L->fn->awaits.items[i])->node);
    if (r.start == r.end || (r.start >= s.start && r.end <= s.end))
      return false;
  }
  return true;
}

/* Each declarator in order: saved locals are assigned, the others keep a
 * declaration of their own. */
static void lower_decl_into(Lower *L, Node *n, Code *c) {
  unsigned line = tu_line(L->tu, tree_range(n).start);
  bool no_awaits = no_await_within(L, n);
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    Var *v = find_var(L->fn, k->c);
    if (!v && (decl_anonymous_name(k->c) || is_hoisted(L, n)))
      continue; /* a type moved in front of the frame */
    if (!v) {
      diag_error((Loc){tree_range(k).start},
                 "a type declared together with variables whose declaration "
                 "asyncc rewrites; declare the type on its own");
      return;
    }
    Node *init = var_init(k);
    const char *value = !init       ? NULL
                        : no_awaits ? linearize(L, init, c)
                                    : full_expr(L, k, init, c);
    if (v->saved && init) {
      code_text(L, c, line, init_saved(L, v, init, value));
    } else if (!v->saved) {
      char *d = decl_declarator(L->a, clang_getCursorType(k->c), v->name,
                                false);
      code_parts(L, c, line, d, init ? " = " : "", init ? value : "", ";",
                 NULL);
    }
  }
}

/* T a = x, b = y;  =>  fr->a = x; fr->b = y;  for saved locals. */
static void lower_decl(Lower *L, Node *n) {
  bool rewrite = n->has_await || is_hoisted(L, n);
  for (int i = 0; i < n->nkids && !rewrite; i++) {
    Var *v = find_var(L->fn, n->kids[i]->c);
    rewrite |= v && v->saved;
  }
  if (!rewrite)
    return;
  Code c;
  code_open(L, &c, n);
  lower_decl_into(L, n, &c);
  if (!c.b.len)
    code_line(L, &c, tu_line(L->tu, tree_range(n).start), ";");
  replace_stmt(L, n, &c);
}

/* if (c) S  =>  ...c's awaits; if (residual) S */
static void lower_if_or_switch(Lower *L, Node *n) {
  lower_kids(L, n, 1);
  Node *cond = n->kids[0];
  if (!cond->has_await)
    return;
  Code c;
  code_open(L, &c, n);
  code_edit(L, tree_range(cond), cond_expr(L, n, cond, &c));
  Range whole = {tree_range(n).start, stmt_range(L, n).end};
  code_text(L, &c, tu_line(L->tu, tree_range(n).start),
              code_render(L, whole));
  replace_stmt(L, n, &c);
}

/* True if a `continue` or `break` statement is spelled as such in the
 * file, where it can be rewritten (not supplied by a macro's body). */
static bool spelled(Lower *L, Node *n, const char *word) {
  size_t len = strlen(word);
  return tree_range(n).start + len <= L->tu->src_len &&
         strncmp(L->tu->src + tree_range(n).start, word, len) == 0;
}

static bool is_loop(Node *n) {
  return n->ck == CXCursor_WhileStmt || n->ck == CXCursor_DoStmt ||
         n->ck == CXCursor_ForStmt;
}

/* Counts the `continue`s in `n` that belong to the loop around it and come
 * from a macro's body. */
static int macro_continues(Lower *L, Node *n) {
  if (n->ck == CXCursor_ContinueStmt)
    return !spelled(L, n, "continue");
  if (is_loop(n))
    return 0;
  int count = 0;
  for (int i = 0; i < n->nkids; i++)
    count += macro_continues(L, n->kids[i]);
  return count;
}

/* Rewrites each `continue` in `n` that belongs to the loop around it into
 * `goto label`; returns how many there were. */
static int redirect_continues(Lower *L, Node *n, const char *label) {
  if (n->ck == CXCursor_ContinueStmt) {
    Range r = {tree_range(n).start,
               tree_range(n).start + (unsigned)strlen("continue")};
    code_edit(L, r, arena_printf(L->a, "goto %s", label));
    return 1;
  }
  if (is_loop(n))
    return 0;
  int count = 0;
  for (int i = 0; i < n->nkids; i++)
    count += redirect_continues(L, n->kids[i], label);
  return count;
}

/* How the `continue`s of a loop whose condition or increment awaits still
 * reach those awaits.  Normally each becomes `goto next`.  A `continue`
 * from a macro's body cannot be rewritten, so then the body runs once
 * inside `for (f = 1; f; f = 0) { ... }`: `continue` ends that inner loop
 * normally (f becomes 0) and `break` leaves it with f still 1, which the
 * code after it turns into a break of the real loop. */
typedef struct {
  char *next, *flag;
  int continues;
} Continues;

static void plan_continues(Lower *L, Node *body, unsigned line, Continues *k) {
  *k = (Continues){0};
  if (macro_continues(L, body)) {
    k->flag = frame_new_flag(L->fn, "once");
    return;
  }
  k->next = frame_new_label(L->fn, arena_printf(L->a, "next_%u", line));
  k->continues = redirect_continues(L, body, k->next);
}

/* The loop body's lines, run once in a for loop when wrapped. */
static void code_body(Lower *L, Code *c, Node *body, Continues *k) {
  const char *f = L->fn->fr;
  if (k && k->flag) {
    code_line(L, c, body_line(L, body), "for (%s->%s = 1; %s->%s; %s->%s = 0) {",
              f, k->flag, f, k->flag, f, k->flag);
    c->depth++;
  }
  code_text(L, c, body_line(L, body), body_text(L, body));
  if (k && k->flag) {
    unsigned end = tu_line(L->tu, tree_range(body).end);
    c->depth--;
    code_line(L, c, end, "}");
    code_line(L, c, end, "if (%s->%s)", f, k->flag);
    code_line(L, c, end, "  break;");
  }
}

/* The label `continue` reaches, where the condition's awaits begin. */
static void code_next(Lower *L, Code *c, Continues *k, unsigned line) {
  if (k->continues)
    code_label(L, c, line, k->next);
}

/* Emits the test of an awaiting loop condition: ...awaits; if (!c) break; */
static void code_loop_test(Lower *L, Code *c, Node *loop, Node *cond) {
  const char *res = cond_expr(L, loop, cond, c);
  code_line(L, c, tu_line(L->tu, tree_range(cond).start), "if (!(%s))", res);
  code_line(L, c, tu_line(L->tu, tree_range(cond).start), "  break;");
}

/* while (c) S  =>  for (;;) { ...c's awaits; if (!c) break; S } */
static void lower_while(Lower *L, Node *n) {
  lower_kids(L, n, 1);
  Node *cond = n->kids[0], *body = n->kids[1];
  if (!cond->has_await)
    return;
  Code c;
  code_open_single(L, &c, n);
  unsigned line = tu_line(L->tu, tree_range(n).start);
  code_line(L, &c, line, "for (;;) {");
  c.depth++;
  code_loop_test(L, &c, n, cond);
  code_text(L, &c, body_line(L, body), body_text(L, body));
  c.depth--;
  code_line(L, &c, tu_line(L->tu, tree_range(n).end), "}");
  replace_stmt(L, n, &c);
}

/* do S while (c);  =>  do { S next: ...c's awaits; } while (residual);
 * with S's `continue`s turned into `goto next`, so that they still reach
 * the awaits of the condition (see plan_continues). */
static void lower_do(Lower *L, Node *n) {
  Node *body = n->kids[0], *cond = n->kids[1];
  unsigned cl = tu_line(L->tu, tree_range(cond).start);
  Continues k;
  if (cond->has_await)
    plan_continues(L, body, cl, &k);
  lower_stmt(L, body);
  if (!cond->has_await)
    return;
  Code c;
  code_open_single(L, &c, n);
  code_line(L, &c, tu_line(L->tu, tree_range(n).start), "do {");
  c.depth++;
  code_body(L, &c, body, &k);
  code_next(L, &c, &k, cl);
  const char *res = cond_expr(L, n, cond, &c);
  c.depth--;
  code_line(L, &c, cl, "} while (%s);", res);
  replace_stmt(L, n, &c);
}

/* True if a for-init declaration can become a comma list of assignments:
 * all its locals are saved and none needs memcpy or awaits. */
static bool init_is_simple(Lower *L, Node *init) {
  for (int i = 0; i < init->nkids; i++) {
    Node *k = init->kids[i];
    Var *v = find_var(L->fn, k->c);
    Node *e = var_init(k);
    if (!v || !v->saved || k->has_await ||
        is_array_type(clang_getCursorType(k->c)) ||
        (e && tree_strip(e)->ck == CXCursor_InitListExpr))
      return false;
  }
  return true;
}

/* for (int i = 0, j = 1; ...)  =>  for (fr->i = 0, fr->j = 1; ...) */
static const char *init_as_list(Lower *L, Node *init) {
  const char *list = "";
  for (int i = 0; i < init->nkids; i++) {
    Node *k = init->kids[i];
    Var *v = find_var(L->fn, k->c);
    Node *e = var_init(k);
    if (e)
      list = code_cat(L->a, list, list[0] ? ", " : "", fr(L), "->", v->field,
                      " = ", code_render(L, tree_range(e)), NULL);
  }
  return list;
}

/* True if a declaration among the for statement's children other than
 * its body declares a local that lives in the frame. */
static bool header_declares_saved(Lower *L, Node *n) {
  for (int i = 0; i + 1 < n->nkids; i++) {
    Node *k = n->kids[i];
    for (int j = 0; k->ck == CXCursor_DeclStmt && j < k->nkids; j++) {
      Var *v = find_var(L->fn, k->kids[j]->c);
      if (v && v->saved)
        return true;
    }
  }
  return false;
}

/* for (i; c; n) S  =>  for (i; ; ) { ...c's awaits; if (!c) break;
 *                                    S next: ...n's awaits; n; }
 * when c or n awaits; S's `continue`s become `goto next`. */
static void lower_for(Lower *L, Node *n) {
  ForParts p;
  if (!tree_for_parts(L->tu, n, &p)) {
    /* A header from a macro: the loop can stay as written if nothing in
     * the header needs lowering; its body, the last child, still may. */
    if (!n->has_await && !header_declares_saved(L, n)) {
      lower_stmt(L, n->kids[n->nkids - 1]);
      return;
    }
    diag_error((Loc){tree_range(n).start},
               "cannot tell the parts of this 'for' statement apart: its "
               "header comes from a macro");
    return;
  }
  bool cond_aw = p.cond && p.cond->has_await;
  bool inc_aw = p.inc && p.inc->has_await;
  Continues k = {0};
  if (inc_aw)
    plan_continues(L, p.body, tu_line(L->tu, tree_range(p.inc).start), &k);
  lower_stmt(L, p.body);
  bool init_decl = p.init && p.init->ck == CXCursor_DeclStmt;
  bool init_saved = false;
  for (int i = 0; init_decl && i < p.init->nkids; i++) {
    Var *v = find_var(L->fn, p.init->kids[i]->c);
    init_saved |= v && v->saved;
  }
  bool init_aw = p.init && p.init->has_await;
  if (!cond_aw && !inc_aw && !init_aw) {
    if (!init_saved)
      return;
    if (init_is_simple(L, p.init)) {
      code_edit(L, p.init_r, init_as_list(L, p.init));
      return;
    }
  }
  /* The init's declarations, moved in front of the loop, get a block of
   * their own so their names stay scoped to the loop. */
  Code c;
  code_open(L, &c, n);
  bool braced = init_decl && !needs_braces(n);
  unsigned line = tu_line(L->tu, tree_range(n).start);
  if (braced) {
    code_line(L, &c, line, "{");
    c.depth++;
  }
  const char *init = "";
  if (init_decl)
    lower_decl_into(L, p.init, &c);
  else if (p.init)
    init = full_expr(L, p.init, p.init, &c);
  const char *cond =
      p.cond && !cond_aw ? code_render(L, tree_range(p.cond)) : "";
  const char *inc = p.inc && !inc_aw ? code_render(L, tree_range(p.inc)) : "";
  code_line(L, &c, line, "for (%s; %s; %s) {", init, cond, inc);
  c.depth++;
  if (cond_aw)
    code_loop_test(L, &c, n, p.cond);
  code_body(L, &c, p.body, inc_aw ? &k : NULL);
  if (inc_aw) {
    unsigned il = tu_line(L->tu, tree_range(p.inc).start);
    code_next(L, &c, &k, il);
    const char *res = full_expr(L, n, p.inc, &c);
    if (res[0])
      code_line(L, &c, il, "(void)(%s);", res);
  }
  c.depth--;
  code_line(L, &c, tu_line(L->tu, tree_range(n).end), "}");
  if (braced) {
    c.depth--;
    code_line(L, &c, tu_line(L->tu, tree_range(n).end), "}");
  }
  replace_stmt(L, n, &c);
}

static void lower_stmt(Lower *L, Node *n) {
  switch (n->ck) {
  case CXCursor_CompoundStmt:
    lower_kids(L, n, 0);
    return;
  case CXCursor_IfStmt:
  case CXCursor_SwitchStmt:
    lower_if_or_switch(L, n);
    return;
  case CXCursor_WhileStmt:
    lower_while(L, n);
    return;
  case CXCursor_DoStmt:
    lower_do(L, n);
    return;
  case CXCursor_ForStmt:
    lower_for(L, n);
    return;
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt:
  case CXCursor_LabelStmt:
    if (n->nkids)
      lower_stmt(L, n->kids[n->nkids - 1]);
    return;
  case CXCursor_ReturnStmt:
    lower_return(L, n);
    return;
  case CXCursor_DeclStmt:
    lower_decl(L, n);
    return;
  default:
    if (clang_isExpression(n->ck))
      lower_expr_stmt(L, n);
    return;
  }
}

/* ---- References to saved variables ---------------------------------------- */

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* The end of the preprocessing number at p (C11 6.4.8). */
static unsigned pp_number_end(const char *s, unsigned p, unsigned end) {
  for (p++; p < end; p++) {
    bool sign = (s[p] == '+' || s[p] == '-') && strchr("eEpP", s[p - 1]);
    if (!is_ident_char(s[p]) && s[p] != '.' && !sign)
      break;
  }
  return p;
}

/* The offsets of the identifiers in r that are not member names (after
 * `.` or `->`), in order; false at a character that is not plain or past
 * `max` identifiers. */
static bool text_idents(const char *s, Range r, unsigned *at, int max,
                        int *count) {
  bool member = false;
  *count = 0;
  for (unsigned p = r.start; p < r.end;) {
    char ch = s[p], next = p + 1 < r.end ? s[p + 1] : '\0';
    if (!plain_char(s, p, r.end))
      return false;
    if (is_blank(ch)) {
      p++;
    } else if (is_digit(ch) || (ch == '.' && is_digit(next))) {
      p = pp_number_end(s, p, r.end);
      member = false;
    } else if (is_ident_char(ch)) {
      if (!member && *count == max)
        return false;
      if (!member)
        at[(*count)++] = p;
      while (p < r.end && is_ident_char(s[p]))
        p++;
      member = false;
    } else {
      member = ch == '.' || (ch == '-' && next == '>');
      p += ch == '-' && (next == '>' || next == '-') ? 2 : 1;
    }
  }
  return true;
}

/* The local or parameter a reference names, or NULL (a function, an
 * enumerator, a global: the search of the function's variables is
 * skipped for those). */
static Var *var_of(Lower *L, Node *ref) {
  CXCursor decl = tree_referenced(ref);
  enum CXCursorKind k = clang_getCursorKind(decl);
  if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
    return NULL;
  return find_var(L->fn, decl);
}

/* The DeclRefExprs under n in preorder; false past `max`, or at a compound
 * literal, which the walk over the whole body must see (literals_to_frame). */
static bool collect_refs(Node *n, Node **out, int max, int *count) {
  if (n->ck == CXCursor_CompoundLiteralExpr)
    return false;
  if (n->ck == CXCursor_DeclRefExpr) {
    if (*count == max)
      return false;
    out[(*count)++] = n;
  }
  for (int i = 0; i < n->nkids; i++)
    if (!collect_refs(n->kids[i], out, max, count))
      return false;
  return true;
}

/* The text that replaces the references to saved variables, made once per
 * variable: a direct-mapped cache by address. */
typedef struct {
  Lower *L;
  struct {
    Var *var;
    const char *text;
  } fields[64];
  bool literals; /* a compound literal was seen */
} Redirect;

static const char *field_of(Redirect *R, Var *v) {
  size_t slot = ((size_t)v / sizeof(void *)) % 64;
  if (R->fields[slot].var != v) {
    R->fields[slot].var = v;
    R->fields[slot].text = code_cat(R->L->a, fr(R->L), "->", v->field, NULL);
  }
  return R->fields[slot].text;
}

/* Redirects the references to saved variables in an await's operand,
 * located by the text (see plain_await_text): there each reference is an
 * identifier of the text, and the references in preorder and the
 * identifiers that are not member names come in the same order.  Other
 * identifiers (keywords, type names, labels) leave the counts unequal.
 * False, having changed nothing, when the text cannot be read so or a
 * saved variable's name is not where its reference should be. */
static bool redirect_plain(Redirect *R, Node *await) {
  enum { max = 64 };
  Lower *L = R->L;
  Range inner;
  unsigned at[max];
  Node *refs[max];
  int nat, nrefs = 0;
  const char *s = L->tu->src;
  if (!plain_await_text(L, await, &inner) ||
      !text_idents(s, inner, at, max, &nat) ||
      !collect_refs(await->operand, refs, max, &nrefs) || nat != nrefs)
    return false;
  Var *saved[max];
  for (int i = 0; i < nrefs; i++) {
    Var *v = var_of(L, refs[i]);
    saved[i] = v && v->saved ? v : NULL;
    size_t len = saved[i] ? strlen(v->name) : 0;
    if (saved[i] && (strncmp(s + at[i], v->name, len) != 0 ||
                     is_ident_char(s[at[i] + len])))
      return false;
  }
  for (int i = 0; i < nrefs; i++)
    if (saved[i])
      code_edit(L, (Range){at[i], at[i] + (unsigned)strlen(saved[i]->name)},
                field_of(R, saved[i]));
  return true;
}

/* A reference to a saved variable becomes a frame field: false after a
 * diagnostic. */
static bool redirect_ref(Redirect *R, Node *n) {
  Lower *L = R->L;
  Var *v = var_of(L, n);
  if (!v || !v->saved)
    return true;
  Range r = tree_range(n);
  size_t len = strlen(v->name);
  if (r.end - r.start != len ||
      strncmp(L->tu->src + r.start, v->name, len) != 0) {
    diag_error((Loc){r.start},
               "'%s' lives across an await but is named inside a "
               "macro's definition; pass it to the macro as an argument",
               v->name);
    return false;
  }
  code_edit(L, r, field_of(R, v));
  return true;
}

/* Redirects the references under n, except under `done`, and notes any
 * compound literal. */
static void redirect_refs(Redirect *R, Node *n, Node *done) {
  if (n == done)
    return;
  if (n->ck == CXCursor_DeclRefExpr && !redirect_ref(R, n))
    return;
  if (n->ck == CXCursor_CompoundLiteralExpr)
    R->literals = true;
  /* The rest of an await is asyncc.h's marker, which names no variable. */
  if (n->kind == N_AWAIT && n->operand && redirect_plain(R, n))
    done = n->operand;
  for (int i = 0; i < n->nkids; i++)
    redirect_refs(R, n->kids[i], done);
}

/* ac_spawn(f(args))  =>  f_spawn(args), a generated helper. */
static void lower_spawns(Lower *L, Node *n) {
  if (n->kind == N_SPAWN) {
    Node *call = n->operand;
    char *name = arena_cxstr(L->a, clang_getCursorSpelling(call->c));
    code_edit(L, tree_range(n), arena_printf(L->a, "%s_spawn(%s)", name,
                                             lower_call_args(L, call)));
    return;
  }
  for (int i = 0; i < n->nkids; i++)
    lower_spawns(L, n->kids[i]);
}

/* A type declaration that moved in front of the frame leaves an empty
 * statement with the same number of lines behind. */
static void remove_hoisted(Lower *L) {
  for (int i = 0; i < L->fn->hoisted.len; i++) {
    Node *n = L->fn->hoisted.items[i];
    bool vars = false;
    for (int k = 0; k < n->nkids; k++)
      vars |= n->kids[k]->ck == CXCursor_VarDecl;
    if (vars)
      continue; /* lower_decl rewrites it without its type */
    Range r = {tree_range(n).start,
               tu_skip_semicolon(L->tu, tree_range(n).end)};
    Buf b = {0};
    buf_puts(&b, ";");
    for (unsigned k = r.start; k < r.end; k++)
      if (L->tu->src[k] == '\n')
        buf_puts(&b, "\n");
    code_edit(L, r, buf_take(L->a, &b));
  }
}

void lower_function(AsyncFn *fn, Lowered *out, const Options *opt) {
  Lower L = {fn, fn->tu, fn->tu->arena, out, opt};
  remove_hoisted(&L);
  Redirect R = {&L, {{0}}, false};
  redirect_refs(&R, fn->body, NULL);
  if (R.literals)
    literals_to_frame(&L, fn->body);
  if (fn->tu->spawns.len) /* every ac_spawn node is in the list */
    lower_spawns(&L, fn->body);
  /* A `return` in a GNU statement expression ends the async function like
   * any other; the statements around it need no lowering (they cannot
   * await), so it is lowered where it stands. */
  for (int i = 0; i < fn->stmt_expr_returns.len; i++)
    lower_return(&L, fn->stmt_expr_returns.items[i]);
  lower_stmt(&L, fn->body);
}

void lower_sync_spawns(Tu *tu, Node *root, Lowered *out) {
  Lower L = {NULL, tu, tu->arena, out, NULL};
  lower_spawns(&L, root);
}

/* ac_block_on(f(args))  =>  f_block_on(args) */
void lower_block_on(Tu *tu, Node *n, Lowered *out) {
  Lower L = {NULL, tu, tu->arena, out, NULL};
  Node *call = tree_strip(n->operand);
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(call->c));
  code_edit(&L, tree_range(n), arena_printf(tu->arena, "%s_block_on(%s)", name,
                                            lower_call_args(&L, call)));
}
