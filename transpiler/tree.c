/* tree.c -- a parent-linked copy of libclang's cursor tree for a function.
 *
 * libclang gives no parent links for statements and recomputes children on
 * every visit; the passes need both, plus where each node's text is and
 * whether an await lies beneath it.  Await markers are recognised here:
 * asyncc.h expands await(e) to (ac__mark_await(), (e)).
 *
 * Where a node's text is (tree_exact_range) is the delicate part: a node
 * whose first or last token comes from a macro invocation is shown in the
 * file by the whole invocation, which is right only if the node holds the
 * invocation's whole expansion.  That is checked from the node's
 * neighbours in the tree: none of them may hold a token of the same
 * invocation. */
#include "transpiler.h"

#include <ctype.h>

#include <string.h>

bool tree_is_call_to(CXCursor c, const char *name) {
  if (clang_getCursorKind(c) != CXCursor_CallExpr)
    return false;
  CXString s = clang_getCursorSpelling(c);
  bool is = strcmp(clang_getCString(s), name) == 0;
  clang_disposeString(s);
  return is;
}

/* The leftmost operand of a parenthesised comma chain, (x, a, b, ...),
 * and how many commas lead to it; NULL if n is not that shape. */
static Node *comma_head(Node *n, int *depth) {
  if (n->ck != CXCursor_ParenExpr || n->nkids != 1)
    return NULL;
  Node *c = n->kids[0];
  *depth = 0;
  while (c->ck == CXCursor_BinaryOperator && c->nkids == 2 &&
         clang_getCursorBinaryOperatorKind(c->c) == CXBinaryOperator_Comma) {
    c = c->kids[0];
    ++*depth;
  }
  return *depth ? c : NULL;
}

/* (e) => the node for e. */
static Node *paren_operand(Node *paren) {
  if (paren->ck != CXCursor_ParenExpr || paren->nkids != 1)
    return NULL;
  return paren->kids[0];
}

Node *tree_pointer_callee(Node *call) {
  if (!call || call->ck != CXCursor_CallExpr || call->nkids == 0)
    return NULL;
  if (clang_getCursorKind(tree_referenced(call)) == CXCursor_FunctionDecl)
    return NULL;
  Node *f = tree_strip(call->kids[0]);
  if (!f)
    return NULL;
  CXType t = clang_getCanonicalType(clang_getCursorType(f->c));
  if (t.kind == CXType_Pointer)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto
             ? f
             : NULL;
}

/* The first call of an async function under n, in source order: by name,
 * or through a pointer. */
static Node *async_call_in(Node *n) {
  if (n->ck == CXCursor_CallExpr) {
    CXCursor callee = tree_referenced(n);
    if (clang_getCursorKind(callee) == CXCursor_FunctionDecl
            ? tu_is_async_decl(n->tu, callee)
            : tree_pointer_callee(n) != NULL)
      return n;
  }
  for (int i = 0; i < n->nkids; i++) {
    Node *found = async_call_in(n->kids[i]);
    if (found)
      return found;
  }
  return NULL;
}

/* The operands of a combinator, not those of combinators nested in them. */
static void collect_branches(Tu *tu, Node *n, Vec *out) {
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->kind == N_BRANCH)
      vec_push(tu->arena, out, k);
    else
      collect_branches(tu, k, out);
  }
}

/* Recognises the marked shapes, (marker(), ...), by the marker's name. */
static void classify(Tu *tu, Node *n) {
  int depth;
  Node *head = comma_head(n, &depth);
  if (!head || head->ck != CXCursor_CallExpr)
    return;
  CXString s = clang_getCursorSpelling(head->c);
  const char *marker = clang_getCString(s);
  if (strncmp(marker, "ac__mark_", 9) != 0) {
    clang_disposeString(s);
    return;
  }
  marker += 9;
  Node *second = n->kids[0]->kids[1]; /* for a single comma */
  Node *op;
  if (depth == 1 && strcmp(marker, "await") == 0 &&
      (op = paren_operand(second))) {
    n->kind = N_AWAIT;
    n->operand = op;
    n->has_await = true;
  } else if (depth == 1 && strcmp(marker, "block_on") == 0 &&
             (op = paren_operand(second))) {
    n->kind = N_BLOCK_ON;
    n->operand = op;
  } else if (depth == 1 && strcmp(marker, "spawn") == 0) {
    /* The sync view boxes the call's value: find the call inside. */
    n->kind = N_SPAWN;
    n->operand = async_call_in(second);
  } else if (depth == 1 && strcmp(marker, "join") == 0) {
    /* *(h) or (void)(h): the handle is the operand's operand. */
    n->kind = N_JOIN;
    op = tree_strip(second);
    n->operand = op && op->nkids == 1 ? tree_strip(op->kids[0]) : NULL;
    n->void_join = op && op->ck == CXCursor_CStyleCastExpr;
  } else if (strcmp(marker, "all") == 0 || strcmp(marker, "race") == 0) {
    n->kind = strcmp(marker, "all") == 0 ? N_ALL : N_RACE;
    Vec branches = {0};
    collect_branches(tu, n, &branches);
    n->branches = (Node **)branches.items;
    n->nbranches = branches.len;
  } else if (depth == 1 && strcmp(marker, "branch") == 0 &&
             (op = paren_operand(second))) {
    n->kind = N_BRANCH;
    n->operand = op;
  }
  clang_disposeString(s);
  if (n->kind != N_OTHER)
    n->has_marker = true;
}

/* One recursive visit builds the whole tree.  Nodes are visited in
 * preorder, so the open ones form a path from the root; a node is
 * finished when the visit leaves it, once all its children are known. */
typedef struct {
  Tu *tu;
  Vec path;     /* Node *: open nodes, root first */
  Vec firsts;   /* per open node, where its children start in `kids` */
  Vec kids;     /* Node *: the children gathered so far by open nodes */
} Builder;

static Node *new_node(Builder *b, CXCursor c, Node *parent) {
  Node *n = arena_alloc(b->tu->arena, sizeof *n);
  n->c = c;
  n->ck = clang_getCursorKind(c);
  n->parent = parent;
  n->tu = b->tu;
  return n;
}

static void finish(Builder *b, Node *n, Node **kids, int nkids) {
  if (nkids) {
    n->kids = arena_alloc(b->tu->arena, sizeof *kids * (size_t)nkids);
    memcpy(n->kids, kids, sizeof *kids * (size_t)nkids);
  }
  n->nkids = nkids;
  bool has_return = n->ck == CXCursor_ReturnStmt;
  n->has_continue = n->ck == CXCursor_ContinueStmt;
  bool loop = n->ck == CXCursor_ForStmt || n->ck == CXCursor_WhileStmt ||
              n->ck == CXCursor_DoStmt;
  for (int i = 0; i < nkids; i++) {
    n->has_await |= kids[i]->has_await;
    n->has_marker |= kids[i]->has_marker;
    if (n->ck == CXCursor_BlockExpr)
      continue;
    has_return |= kids[i]->has_return;
    /* A continue inside a loop of the subtree is that loop's. */
    n->has_continue |= kids[i]->has_continue && !loop;
  }
  n->has_return = has_return;
  n->has_jump = has_return || n->has_continue;
  classify(b->tu, n);
}

static void open_node(Builder *b, Node *n) {
  vec_push(b->tu->arena, &b->path, n);
  vec_push(b->tu->arena, &b->firsts, (void *)(size_t)b->kids.len);
}

static void close_node(Builder *b) {
  Node *n = b->path.items[--b->path.len];
  int first = (int)(size_t)b->firsts.items[--b->firsts.len];
  finish(b, n, (Node **)b->kids.items + first, b->kids.len - first);
  b->kids.len = first;
}

static enum CXChildVisitResult add_node(CXCursor c, CXCursor parent,
                                        CXClientData data) {
  Builder *b = data;
  while (!clang_equalCursors(((Node *)b->path.items[b->path.len - 1])->c,
                             parent)) {
    if (b->path.len == 1)
      internal_error("a cursor's parent is not on the visit's path");
    close_node(b);
  }
  Node *n = new_node(b, c, b->path.items[b->path.len - 1]);
  vec_push(b->tu->arena, &b->kids, n);
  open_node(b, n);
  return CXChildVisit_Recurse;
}

Node *tree_build(Tu *tu, CXCursor root) {
  Builder b = {.tu = tu};
  Node *n = new_node(&b, root, NULL);
  open_node(&b, n);
  clang_visitChildren(root, add_node, &b);
  while (b.path.len > 0)
    close_node(&b);
  return n;
}

void tree_ends_compute(Node *n) {
  /* A name (a variable's, a member's, a type's) is one token: its end is
   * where the identifier written there ends, without the extent. */
  if (n->nkids == 0 && (n->ck == CXCursor_DeclRefExpr ||
                        n->ck == CXCursor_TypeRef ||
                        n->ck == CXCursor_MemberRef)) {
    SrcLoc b = tu_loc(n->tu, clang_getCursorLocation(n->c));
    const char *s = n->tu->src;
    unsigned e = b.off;
    if (b.kind == LOC_FILE || b.kind == LOC_ARG)
      while (e < n->tu->src_len && is_ident_char(s[e]))
        e++;
    if (e > b.off) {
      n->begin = b;
      n->end = b;
      n->end.off = n->end.sp = e;
      if (b.kind == LOC_FILE)
        n->end.inv = e;
      n->has_ends = true;
      return;
    }
  }
  CXSourceRange ext = clang_getCursorExtent(n->c);
  n->begin = tu_loc(n->tu, clang_getRangeStart(ext));
  n->end = tu_loc(n->tu, clang_getRangeEnd(ext));
  n->has_ends = true;
}

Node *tree_strip(Node *n) {
  while (n && n->kind == N_OTHER && n->nkids == 1 &&
         (n->ck == CXCursor_ParenExpr || n->ck == CXCursor_UnexposedExpr))
    n = n->kids[0];
  return n;
}

unsigned tree_pos(Node *n) {
  SrcLoc b = tree_begin(n);
  if (b.kind != LOC_NONE)
    return b.off;
  return tree_range(n).start;
}

/* The innermost invocation a macro location is known to lie in: the one
 * whose argument holds an argument's token, or the one (spelled in the
 * file) whose expansion gave a body token. */
static Expansion *inner_of(Tu *tu, SrcLoc l) {
  if (l.kind == LOC_ARG)
    return tu_expansion_around(tu, l.off, NULL);
  if (l.kind != LOC_BODY)
    return NULL;
  Expansion *x = NULL;
  for (int i = tu_expansion_from(tu, l.off); i < tu->expansions.len; i++) {
    Expansion *y = tu->expansions.items[i];
    if (y->r.start != l.off)
      break;
    x = y;
  }
  return x;
}

Range tree_range(Node *n) {
  Tu *tu = n->tu;
  SrcLoc b = tree_begin(n), e = tree_end(n);
  Range r = {0, 0};
  if (b.kind == LOC_NONE || e.kind == LOC_NONE)
    return r;
  r.start = b.kind == LOC_FILE ? b.off : b.inv;
  r.end = e.off;
  if (e.kind != LOC_FILE) {
    Expansion *x = tu_expansion_outermost(tu, e.kind == LOC_ARG ? e.off - 1
                                                                : e.inv);
    if (x)
      r.end = x->r.end;
  }
  /* A range that starts before an invocation and ends inside it, in an
   * argument, covers all of it. */
  Expansion *x = r.end ? tu_expansion_outermost(tu, r.end - 1) : NULL;
  if (x && x->r.end > r.end && x->r.start >= r.start)
    r.end = x->r.end;
  if (r.end < r.start)
    r.end = r.start;
  return r;
}

/* True if the loc is a token of invocation x or of one inside it. */
static bool inside(SrcLoc l, Expansion *x) {
  if (!x || (l.kind != LOC_ARG && l.kind != LOC_BODY))
    return false;
  return x->r.start <= l.off && l.off < x->r.end;
}

/* True if the file text between a and b holds only blanks: a token the
 * tree knows between two file positions, but that is not there, came
 * from a macro's body. */
static bool blank_between(Tu *tu, unsigned a, unsigned b) {
  for (unsigned i = a; i < b && i < tu->src_len; i++)
    if (!strchr(" \t\r\n\f\v", tu->src[i]))
      return false;
  return true;
}

/* The neighbour checks look up to the function: statements of a block
 * are neighbours too (a macro may write two of them). */
static bool is_statement_root(Node *n) {
  return !n->parent || n->parent->ck == CXCursor_FunctionDecl;
}

static int index_in_parent(Node *n) {
  for (int i = 0; i < n->parent->nkids; i++)
    if (n->parent->kids[i] == n)
      return i;
  return -1;
}

/* True if an end location lies past invocation x. */
static bool ends_after(SrcLoc e, Expansion *x) {
  if (e.kind == LOC_NONE)
    return false;
  return e.kind == LOC_FILE ? e.off > x->r.end : !inside(e, x);
}

/* No token of invocation x comes after n's last one: n's later
 * neighbours and their glue tokens lie outside x. */
static bool ends_with(Node *n, Expansion *x) {
  Tu *tu = n->tu;
  for (Node *a = n; !is_statement_root(a); a = a->parent) {
    Node *p = a->parent;
    int i = index_in_parent(a);
    if (i + 1 < p->nkids) {
      SrcLoc next = tree_begin(p->kids[i + 1]);
      if (next.kind == LOC_NONE || inside(next, x))
        return false;
      /* The glue between a and its neighbour (an operator, a comma) is
       * written after the invocation, or came out of it. */
      unsigned at = next.kind == LOC_FILE ? next.off : next.inv;
      return p->ck == CXCursor_CompoundStmt || at <= x->r.end ||
             !blank_between(tu, x->r.end, at);
    }
    SrcLoc pe = tree_end(p);
    if (pe.kind == LOC_FILE && pe.off == x->r.end)
      continue; /* p ends where a does */
    return ends_after(pe, x);
  }
  return true;
}

/* No token of invocation x comes before n's first one. */
static bool starts_with(Node *n, Expansion *x) {
  Tu *tu = n->tu;
  SrcLoc nb = tree_begin(n);
  for (Node *a = n; !is_statement_root(a); a = a->parent) {
    Node *p = a->parent;
    int i = index_in_parent(a);
    if (i > 0) {
      SrcLoc prev = tree_end(p->kids[i - 1]);
      if (prev.kind == LOC_NONE || inside(prev, x) ||
          (prev.kind == LOC_FILE && prev.off > x->r.start))
        return false;
      unsigned at = prev.kind == LOC_FILE ? prev.off : x->r.start;
      /* Statements of a block need nothing between them. */
      return p->ck == CXCursor_CompoundStmt || at >= x->r.start ||
             !blank_between(tu, at, x->r.start);
    }
    SrcLoc pb = tree_begin(p);
    if (srcloc_same(pb, nb))
      continue; /* p starts where a does */
    return pb.kind != LOC_NONE && !inside(pb, x) &&
           (pb.kind != LOC_FILE || pb.off < x->r.start);
  }
  return true;
}

/* True if an invocation starts inside r and ends after it. */
static bool cuts_invocation(Tu *tu, Range r) {
  for (int i = tu_expansion_from(tu, r.start);
       i < tu->expansions.len &&
       ((Expansion *)tu->expansions.items[i])->r.start < r.end;
       i++)
    if (((Expansion *)tu->expansions.items[i])->r.end > r.end)
      return true;
  return false;
}

Expansion *tree_marker_invocation(Node *n, const char *name) {
  Tu *tu = n->tu;
  Node *op = n->operand;
  if (!op)
    return NULL;
  SrcLoc ob = tree_begin(op);
  if (ob.kind != LOC_ARG && ob.kind != LOC_BODY)
    return NULL;
  Expansion *x = tu_expansion_around(tu, ob.off, name);
  return x && x->r.start < ob.off ? x : NULL;
}

static bool marker_range(Node *n, const char *name, Range *r) {
  Expansion *x = tree_marker_invocation(n, name);
  if (!x)
    return false;
  *r = x->r;
  return true;
}

/* Kinds whose last token is their own closing token, which comes from
 * where their first token comes from. */
static bool closes_itself(enum CXCursorKind k) {
  switch (k) {
  case CXCursor_ParenExpr:
  case CXCursor_CallExpr:
  case CXCursor_ArraySubscriptExpr:
  case CXCursor_InitListExpr:
  case CXCursor_CompoundStmt:
  case CXCursor_StmtExpr:
  case CXCursor_UnaryExpr:
  case CXCursor_GenericSelectionExpr:
    return true;
  default:
    return false;
  }
}

/* Where n's last token comes from, as far as its descendants tell. */
/* Where n's last token comes from; `closing` is set when that is told by
 * the first token of a node that closes itself. */
static SrcLoc last_token(Node *n, bool *closing) {
  while (n->nkids && !closes_itself(n->ck))
    n = n->kids[n->nkids - 1];
  *closing = closes_itself(n->ck);
  return tree_begin(n);
}

/* Every invocation that overlaps r lies inside it, or holds all of it in
 * one of its arguments. */
static bool well_nested(Tu *tu, Range r) {
  if (cuts_invocation(tu, r))
    return false;
  for (int i = tu_expansion_from(tu, r.start) - 1;
       i >= 0 && tu->max_end[i] > r.start; i--) {
    Expansion *w = tu->expansions.items[i];
    if (w->r.start < r.start && r.start < w->r.end &&
        (r.end > w->r.end || tu_expansion_arg(tu, w, r.start) < 0 ||
         tu_expansion_arg(tu, w, r.start) !=
             tu_expansion_arg(tu, w, r.end > r.start ? r.end - 1 : r.start)))
      return false;
  }
  return true;
}

/* True if r lies in one argument of invocation x. */
static bool in_one_arg(Tu *tu, Expansion *x, Range r) {
  if (r.start <= x->r.start || r.end > x->r.end || r.end <= r.start)
    return false;
  int k = tu_expansion_arg(tu, x, r.start);
  return k >= 0 && k == tu_expansion_arg(tu, x, r.end - 1);
}

/* False if the body token spelled at `sp` is written directly in x's
 * macro but is not its first (`first`) or last token: tokens the tree
 * does not show, like the `;` of `#define UP_TO ; i < 5;`, lie beyond
 * it.  A token of a macro that x's macro uses is not judged here. */
static bool at_body_edge(Tu *tu, Expansion *x, unsigned sp, bool first) {
  MacroDef *md = tu_expansion_macro(tu, x);
  if (!md || !md->body.n)
    return true;
  for (int i = 0; i < md->body.n; i++)
    if (md->body.t[i].off == sp)
      return i == (first ? 0 : md->body.n - 1);
  return true;
}

bool tree_exact_range(Node *n, Range *r) {
  Tu *tu = n->tu;
  if (n->kind == N_AWAIT)
    return marker_range(n, "await", r);
  if (n->kind == N_BLOCK_ON)
    return marker_range(n, "ac_block_on", r);
  SrcLoc b = tree_begin(n), e = tree_end(n);
  if (b.kind == LOC_NONE || e.kind == LOC_NONE)
    return false;
  Range out = {b.off, e.off};
  /* A first token from a macro's body stands for its whole invocation,
   * which the node must start. */
  if (b.kind == LOC_BODY) {
    Expansion *x = inner_of(tu, b);
    if (!x || !starts_with(n, x) || !at_body_edge(tu, x, b.sp, true))
      return false;
    out.start = x->r.start;
  }
  /* Likewise the last: libclang gives a body token's end as the end of
   * the outermost invocation, or (in an argument) as its own; the last
   * token's own location says which invocation it came from. */
  if (e.kind == LOC_BODY ||
      (e.kind == LOC_FILE && tu_expansion_ends_at(tu, e.off))) {
    bool closing;
    SrcLoc last = last_token(n, &closing);
    Expansion *y = last.kind == LOC_FILE ? NULL : inner_of(tu, last);
    if (!y || (last.kind == LOC_ARG && last.off < out.start))
      return false;
    if (last.kind == LOC_ARG) {
      out.end = e.kind == LOC_FILE ? e.off : out.end;
      if (e.kind == LOC_BODY)
        return false;
    } else {
      if (!ends_with(n, y) ||
          (last.kind == LOC_BODY && !closing &&
           !at_body_edge(tu, y, last.sp, false)))
        return false;
      out.end = y->r.end;
    }
  }
  if (out.end <= out.start)
    return false;
  /* An argument's token at either end: the node is text of that argument,
   * or it holds the invocation's whole expansion. */
  if (b.kind == LOC_ARG) {
    Expansion *x = tu_expansion_around(tu, b.off, NULL);
    if (!x)
      return false;
    if (!in_one_arg(tu, x, out)) {
      if (!starts_with(n, x))
        return false;
      out.start = x->r.start;
    }
  }
  if (e.kind == LOC_ARG) {
    Expansion *y = tu_expansion_around(tu, e.off - 1, NULL);
    if (!y)
      return false;
    if (!in_one_arg(tu, y, out)) {
      if (!ends_with(n, y))
        return false;
      out.end = y->r.end;
    }
  }
  if (!well_nested(tu, out))
    return false;
  *r = out;
  return true;
}

/* ---- for statements ---------------------------------------------------- */

/* A for header's tokens as the compiler sees them: the file's tokens,
 * with the macro invocations among them replaced by their bodies (one
 * level deep), parameters by the arguments' tokens.  Each token is known
 * by where it is spelled: the main file or a macro's definition.  This
 * tells the header's parts apart when a macro writes some of them, even
 * when it leaves one out: `for (UP_TO_FIVE)` with `; i < 5;`. */
typedef struct {
  bool in_file; /* spelled in the main file, else in a macro's body */
  unsigned off; /* where it is spelled */
  char punct;   /* one of ( ) ; or 0 */
} HeadTok;
typedef struct {
  Tu *tu;
  HeadTok *t;
  int n, cap;
  bool failed;
} Head;

static void head_push(Head *h, bool in_file, unsigned off, const char *text) {
  if (h->n == h->cap) {
    int cap = h->cap ? h->cap * 2 : 32;
    HeadTok *t = arena_alloc(h->tu->arena, sizeof *t * (size_t)cap);
    if (h->n)
      memcpy(t, h->t, sizeof *t * (size_t)h->n);
    h->t = t;
    h->cap = cap;
  }
  char punct = 0;
  if (text && (!strcmp(text, "(") || !strcmp(text, ")") || !strcmp(text, ";")))
    punct = text[0];
  h->t[h->n++] = (HeadTok){in_file, off, punct};
}

static void head_macro(Head *h, Expansion *x);

/* The main file's tokens in r, invocations expanded. */
static void head_file(Head *h, Range r) {
  Tu *tu = h->tu;
  Toks ts = tok_range(tu, r);
  for (int i = 0; i < ts.n && !h->failed; i++) {
    Tok *t = &ts.t[i];
    if (t->kind == TOK_COMMENT)
      continue;
    Expansion *x = t->kind == TOK_IDENT ? tu_expansion_at(tu, t->off) : NULL;
    if (x && x->r.end <= r.end) {
      head_macro(h, x);
      while (i + 1 < ts.n && ts.t[i + 1].off < x->r.end)
        i++;
      continue;
    }
    const char *text = NULL;
    if (t->kind == TOK_PUNCT && t->len == 1)
      text = tok_is(tu, t, "(") ? "(" : tok_is(tu, t, ")") ? ")"
                                    : tok_is(tu, t, ";") ? ";" : NULL;
    head_push(h, true, t->off, text);
  }
}

static int param_index(const MacroDef *md, const Tok *t) {
  for (int k = 0; t->kind == TOK_IDENT && k < md->nparams; k++)
    if (strcmp(md->params[k], t->text) == 0)
      return k;
  return -1;
}

/* x's body, its parameters replaced by the arguments' tokens.  A macro
 * the body names is not expanded in turn: such a header stays unknown. */
static void head_macro(Head *h, Expansion *x) {
  Tu *tu = h->tu;
  MacroDef *md = tu_expansion_macro(tu, x);
  if (!md || md->builtin) {
    h->failed = true;
    return;
  }
  int nargs = md->function_like ? tu_expansion_nargs(tu, x) : 0;
  for (int i = 0; i < md->body.n && !h->failed; i++) {
    Tok *t = &md->body.t[i];
    int k = md->function_like ? param_index(md, t) : -1;
    if (k >= 0) {
      if (k >= nargs) /* an empty __VA_ARGS__ */
        continue;
      Range r = x->args[k];
      if (md->variadic && k == md->nparams - 1)
        r.end = x->args[nargs - 1].end;
      head_file(h, r);
    } else if (t->kind == TOK_IDENT && names_has(&tu->macro_names, t->text)) {
      h->failed = true;
    } else {
      head_push(h, false, t->off, t->kind == TOK_PUNCT ? t->text : NULL);
    }
  }
}

/* The index of the token a location names, from `from` on; -1 if none. */
static int head_find(const Head *h, SrcLoc l, int from) {
  bool in_file = l.kind == LOC_FILE || l.kind == LOC_ARG;
  unsigned off = l.kind == LOC_BODY ? l.sp : l.off;
  if (l.kind == LOC_NONE)
    return -1;
  for (int i = from; i < h->n; i++)
    if (h->t[i].in_file == in_file && h->t[i].off == off)
      return i;
  return -1;
}

/* The indices of the header's '(' ';' ';' ')' after the `for` at
 * h->t[start]; false unless all four are there. */
static bool head_marks(const Head *h, int start, int marks[4]) {
  int depth = 0, m = 0;
  for (int i = start + 1; i < h->n && m < 4; i++) {
    char c = h->t[i].punct;
    if (c == '(' && depth++ == 0 && m == 0)
      marks[m++] = i;
    else if (c == ')' && --depth == 0 && m == 3)
      marks[m++] = i;
    else if (c == ';' && depth == 1 && (m == 1 || m == 2))
      marks[m++] = i;
  }
  return m == 4;
}

bool tree_for_parts(Tu *tu, Node *n, ForParts *p) {
  *p = (ForParts){0};
  if (!n->nkids)
    return false;
  p->body = n->kids[n->nkids - 1];
  /* Four children are all four parts, one is the body alone; only with
   * two or three must the header's tokens say which parts are there. */
  if (n->nkids == 4) {
    *p = (ForParts){n->kids[0], n->kids[1], n->kids[2], n->kids[3]};
    return true;
  }
  if (n->nkids == 1)
    return true;
  Head h = {.tu = tu};
  SrcLoc fb = tree_begin(n);
  if (fb.kind == LOC_FILE) {
    SrcLoc bb = tree_begin(p->body);
    unsigned head_end =
        bb.kind == LOC_FILE ? bb.off : tree_range(p->body).start;
    if (head_end <= fb.off)
      return false;
    head_file(&h, (Range){fb.off, head_end});
  } else if (fb.kind == LOC_BODY) {
    Expansion *x = tu_expansion_at(tu, fb.inv);
    if (!x)
      return false;
    head_macro(&h, x);
  } else {
    return false;
  }
  int start = head_find(&h, fb, 0);
  int marks[4];
  if (h.failed || start < 0 || !head_marks(&h, start, marks))
    return false;
  int at = marks[0];
  for (int i = 0; i + 1 < n->nkids; i++) {
    Node *k = n->kids[i];
    at = head_find(&h, tree_begin(k), at);
    if (at < 0 || at >= marks[3])
      return false;
    if (at > marks[2])
      p->inc = k;
    else if (at > marks[1])
      p->cond = k;
    else
      p->init = k;
  }
  return true;
}

/* The tokens of a node written in a macro's body, read from the
 * definition where it begins: its first token and the balanced
 * parenthesis group after it (`sizeof(T)`, `_Alignof(T)`, `f(...)`),
 * with the invocation's arguments in place of the parameters when the
 * definition is that invocation's.  NULL when they cannot be read. */
char *tree_span_text(Node *n) {
  Tu *tu = n->tu;
  CXSourceRange ext = clang_getCursorExtent(n->c);
  Toks ts = tok_spelled(tu, clang_getRangeStart(ext), 4096);
  if (ts.n < 1)
    return NULL;
  int end = 0, depth = 0;
  if (ts.n > 1 && strcmp(ts.t[1].text, "(") == 0) {
    for (end = 1; end < ts.n; end++) {
      depth += strcmp(ts.t[end].text, "(") == 0;
      if (strcmp(ts.t[end].text, ")") == 0 && --depth == 0)
        break;
    }
    if (end == ts.n)
      return NULL;
  }
  SrcLoc where = tree_begin(n);
  Expansion *x = where.kind == LOC_BODY ? tu_expansion_at(tu, where.off)
                                        : NULL;
  MacroDef *md = x ? tu_expansion_macro(tu, x) : NULL;
  /* The parameters are the invocation's only if the tokens are its
   * macro's own (not those of a macro it uses). */
  CXFile file;
  unsigned off;
  clang_getSpellingLocation(clang_getRangeStart(ext), &file, NULL, NULL,
                            &off);
  if (md && (!md->body.n || !file || !clang_File_isEqual(file, md->file) ||
             off < md->body.t[0].off ||
             off > md->body.t[md->body.n - 1].off))
    md = NULL;
  if (md)
    (void)tu_expansion_arg(tu, x, x->r.start); /* reads the arguments */
  Buf out = {0};
  for (int i = 0; i <= end; i++) {
    const char *t = ts.t[i].text;
    int p = -1;
    for (int k = 0; md && k < md->nparams && p < 0; k++)
      if (strcmp(md->params[k], t) == 0)
        p = k;
    if (p >= 0 && p < x->nargs) {
      buf_putn(&out, tu->src + x->args[p].start,
               x->args[p].end - x->args[p].start);
    } else {
      if (i && out.len && (is_ident_char(t[0]) &&
                           is_ident_char(out.s[out.len - 1])))
        buf_puts(&out, " ");
      buf_puts(&out, t);
    }
  }
  return buf_take(tu->arena, &out);
}

/* GNU's a ?: b: libclang shows a, then a twice more (as the condition
 * and as the value), then b. */
bool tree_is_gnu_conditional(Node *n) {
  if (n->ck != CXCursor_UnexposedExpr || n->nkids != 4)
    return false;
  SrcLoc a = tree_begin(n->kids[0]), b = tree_begin(n->kids[1]);
  return srcloc_same(a, b) &&
         clang_getCanonicalType(clang_getCursorType(n->c)).kind !=
             CXType_Invalid;
}

bool tree_is_repeat(Node *parent, int i) {
  return (i == 1 || i == 2) && tree_is_gnu_conditional(parent);
}

/* ---- _Generic ------------------------------------------------------------ */

/* The type names of a _Generic's associations, in order, from its text
 * ("default" for the default one); NULL if the text cannot be read. */
static char **association_types(Node *g, int count) {
  Tu *tu = g->tu;
  Range r;
  char *text = tree_exact_range(g, &r) ? tu_text(tu, r) : tree_span_text(g);
  const char *open = text ? strchr(text, '(') : NULL;
  if (!open)
    return NULL;
  char **types = arena_alloc(tu->arena, sizeof(char *) * (size_t)(count + 1));
  int depth = 0, found = -1; /* -1: in the controlling expression */
  Buf type = {0};
  bool in_type = false;
  for (const char *p = open + 1; *p && depth >= 0; p++) {
    char c = *p;
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if (c == ')' || c == ']' || c == '}')
      depth--;
    if (depth != 0)
      goto keep;
    if (c == ',') {
      if (found + 1 >= count)
        break;
      found++;
      in_type = true;
      buf_free(&type);
      type = (Buf){0};
      continue;
    }
    if (c == ':' && in_type) {
      types[found] = buf_take(tu->arena, &type);
      in_type = false;
      continue;
    }
  keep:
    if (in_type && depth >= 0) {
      /* One blank between words, none at the ends. */
      if (strchr(" \t\r\n", c)) {
        if (type.len && type.s[type.len - 1] != ' ')
          buf_puts(&type, " ");
      } else {
        if (type.len && type.s[type.len - 1] == ' ' && !is_ident_char(c) &&
            c != '*')
          type.len--;
        buf_putn(&type, &c, 1);
      }
    }
  }
  buf_free(&type);
  for (int k = 0; k < count; k++) {
    if (!types[k])
      return NULL;
    size_t n = strlen(types[k]);
    while (n && types[k][n - 1] == ' ')
      types[k][--n] = '\0';
  }
  return types;
}

static bool spelled_as(CXType t, const char *name) {
  CXString s = clang_getTypeSpelling(t);
  bool same = strcmp(clang_getCString(s), name) == 0;
  clang_disposeString(s);
  return same;
}

/* True if a type written as `text` is surely spelled the way libclang
 * spells its canonical type: builtin words, stars and qualifiers only,
 * or `struct`/`union`/`enum` and a tag. */
static bool canonical_words(const char *text) {
  static const char *const words[] = {
      "void",   "char",     "short",    "int",   "long",  "float",
      "double", "signed",   "unsigned", "_Bool", "const", "volatile",
      "struct", "union",    "enum",     "restrict"};
  bool tagged = strncmp(text, "struct ", 7) == 0 ||
                strncmp(text, "union ", 6) == 0 ||
                strncmp(text, "enum ", 5) == 0;
  const char *p = text;
  int names = 0;
  while (*p) {
    if (!is_ident_char(*p)) {
      if (*p != ' ' && *p != '*')
        return false;
      p++;
      continue;
    }
    size_t n = 0;
    while (is_ident_char(p[n]))
      n++;
    bool word = false;
    for (size_t i = 0; i < sizeof words / sizeof *words && !word; i++)
      word = strlen(words[i]) == n && strncmp(words[i], p, n) == 0;
    if (!word && ++names > (tagged ? 1 : 0))
      return false;
    p += n;
  }
  return true;
}

Node *tree_generic_choice(Node *g) {
  /* libclang does not say which association is chosen.  It is one whose
   * expression has the selection's type; when several have, the one whose
   * type is the controlling expression's (told by its name, or by the
   * TypeRef of a typedef's name), else the default. */
  if (g->nkids == 0)
    return NULL;
  CXType t = clang_getCursorType(g->c);
  Node *assoc[64];
  CXType named[64];
  bool has_ref[64];
  int n = 0;
  bool ref = false;
  CXType ref_type = t;
  for (int i = 1; i < g->nkids && n < 64; i++) {
    Node *k = g->kids[i];
    if (k->ck == CXCursor_TypeRef) {
      ref = true;
      ref_type = clang_getCursorType(k->c);
    } else if (clang_isExpression(k->ck)) {
      assoc[n] = k;
      has_ref[n] = ref;
      named[n++] = ref_type;
      ref = false;
    }
  }
  Node *chosen = NULL;
  int same_type = 0;
  for (int i = 0; i < n; i++)
    if (clang_equalTypes(clang_getCursorType(assoc[i]->c), t)) {
      chosen = assoc[i];
      same_type++;
    }
  if (same_type <= 1)
    return chosen;
  char **types = association_types(g, n);
  if (!types)
    return NULL;
  CXType ctrl = clang_getCanonicalType(
      clang_getUnqualifiedType(clang_getCursorType(g->kids[0]->c)));
  Node *match = NULL, *fallback = NULL;
  for (int i = 0; i < n; i++) {
    if (!clang_equalTypes(clang_getCursorType(assoc[i]->c), t))
      continue; /* not chosen: its value would have another type */
    bool is = false;
    if (strcmp(types[i], "default") == 0) {
      fallback = assoc[i];
      continue;
    } else if (has_ref[i] && is_ident_char(types[i][0]) &&
               !strchr(types[i], ' ') && !strchr(types[i], '*')) {
      is = clang_equalTypes(clang_getCanonicalType(named[i]), ctrl);
    } else if (canonical_words(types[i])) {
      is = spelled_as(ctrl, types[i]);
    } else {
      return NULL; /* a name libclang's spelling may not match */
    }
    if (is) {
      if (match)
        return NULL;
      match = assoc[i];
    }
  }
  return match ? match : fallback;
}

Node *tree_call_arg(Node *call, int i) {
  CXCursor arg = clang_Cursor_getArgument(call->c, (unsigned)i);
  for (int k = 0; k < call->nkids; k++)
    if (clang_equalCursors(call->kids[k]->c, arg))
      return call->kids[k];
  internal_error("call argument not among the call's children");
}

Node *tree_var_init(Node *var) {
  CXCursor init = clang_Cursor_getVarDeclInitializer(var->c);
  if (clang_Cursor_isNull(init))
    return NULL;
  for (int i = 0; i < var->nkids; i++)
    if (clang_equalCursors(var->kids[i]->c, init))
      return var->kids[i];
  return NULL;
}
