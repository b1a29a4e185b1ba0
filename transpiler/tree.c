/* tree.c -- a parent-linked copy of libclang's cursor tree for a function.
 *
 * libclang gives no parent links for statements and recomputes children on
 * every visit; the passes need both, plus each node's text range and whether
 * an await lies beneath it.  Await markers are recognised here: asyncc.h
 * expands await(e) to (ac__mark_await(), (e)). */
#include "transpiler.h"

#include <string.h>


bool tree_is_marker(CXCursor c, const char *marker) {
  if (clang_getCursorKind(c) != CXCursor_CallExpr)
    return false;
  CXString s = clang_getCursorSpelling(c);
  bool is = strcmp(clang_getCString(s), marker) == 0;
  clang_disposeString(s);
  return is;
}

/* (marker(), e) => the node for e, or NULL if n is not that shape. */
static Node *marked(Node *n, const char *marker) {
  if (n->ck != CXCursor_ParenExpr || n->nkids != 1)
    return NULL;
  Node *comma = n->kids[0];
  if (comma->ck != CXCursor_BinaryOperator || comma->nkids != 2 ||
      clang_getCursorBinaryOperatorKind(comma->c) != CXBinaryOperator_Comma)
    return NULL;
  if (!tree_is_marker(comma->kids[0]->c, marker))
    return NULL;
  return comma->kids[1];
}

/* (marker(), (e)) => the node for e. */
static Node *marked_operand(Node *n, const char *marker) {
  Node *paren = marked(n, marker);
  if (!paren || paren->ck != CXCursor_ParenExpr || paren->nkids != 1)
    return NULL;
  return paren->kids[0];
}

/* The first call of an async function under n, in source order. */
static Node *async_call_in(Node *n) {
  if (n->ck == CXCursor_CallExpr) {
    CXCursor callee = clang_getCursorReferenced(n->c);
    if (clang_getCursorKind(callee) == CXCursor_FunctionDecl &&
        tu_is_async_decl(callee))
      return n;
  }
  for (int i = 0; i < n->nkids; i++) {
    Node *found = async_call_in(n->kids[i]);
    if (found)
      return found;
  }
  return NULL;
}

/* (marker(), a, b, ...): the comma chain nests to the left, so the marker
 * is its leftmost operand. */
static bool starts_with_marker(Node *n, const char *marker) {
  if (n->ck != CXCursor_ParenExpr || n->nkids != 1)
    return false;
  Node *c = n->kids[0];
  while (c->ck == CXCursor_BinaryOperator && c->nkids == 2 &&
         clang_getCursorBinaryOperatorKind(c->c) == CXBinaryOperator_Comma)
    c = c->kids[0];
  return tree_is_marker(c->c, marker);
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

static void classify(Tu *tu, Node *n) {
  Node *op;
  if ((op = marked_operand(n, "ac__mark_await"))) {
    n->kind = N_AWAIT;
    n->operand = op;
    n->has_await = true;
    const Range *r = tu_await_call_at(tu, tree_range(n).start);
    if (r)
      n->range = *r;
  } else if ((op = marked_operand(n, "ac__mark_block_on"))) {
    n->kind = N_BLOCK_ON;
    n->operand = op;
  } else if ((op = marked(n, "ac__mark_spawn"))) {
    /* The sync view boxes the call's value: find the call inside. */
    n->kind = N_SPAWN;
    n->operand = async_call_in(op);
  } else if ((op = marked(n, "ac__mark_join"))) {
    /* *(h) or (void)(h): the handle is the operand's operand. */
    n->kind = N_JOIN;
    op = tree_strip(op);
    n->operand = op && op->nkids == 1 ? tree_strip(op->kids[0]) : NULL;
    n->void_join = op && op->ck == CXCursor_CStyleCastExpr;
  } else if (starts_with_marker(n, "ac__mark_all") ||
             starts_with_marker(n, "ac__mark_race")) {
    n->kind = starts_with_marker(n, "ac__mark_all") ? N_ALL : N_RACE;
    Vec branches = {0};
    collect_branches(tu, n, &branches);
    n->branches = (Node **)branches.items;
    n->nbranches = branches.len;
  } else if ((op = marked_operand(n, "ac__mark_branch"))) {
    n->kind = N_BRANCH;
    n->operand = op;
    return; /* spelled in the file: its range is already right */
  } else {
    return;
  }
  const Range *r = tu_expansion_at(tu, tree_range(n).start);
  if (r)
    n->range = *r;
}

/* One recursive visit builds the whole tree: a visitor per node would cost
 * libclang a traversal set-up each.  Nodes are visited in preorder, so the
 * open ones form a path from the root; a node is finished when the visit
 * leaves it, once all its children are known. */
typedef struct {
  Tu *tu;
  Node **path;  /* open nodes, root first */
  Vec *kids;    /* the children gathered so far, per open node */
  int depth, cap;
} Builder;

static Node *new_node(Tu *tu, CXCursor c, Node *parent) {
  Node *n = arena_alloc(tu->arena, sizeof *n);
  n->c = c;
  n->ck = clang_getCursorKind(c);
  n->parent = parent;
  n->tu = tu;
  return n;
}

/* Gives n its children and its await flag, then its kind. */
static void finish(Tu *tu, Node *n, Vec *kids) {
  n->kids = (Node **)kids->items;
  n->nkids = kids->len;
  for (int i = 0; i < n->nkids; i++)
    n->has_await |= n->kids[i]->has_await;
  classify(tu, n);
}

/* Most nodes' ranges are never asked for (only those the passes rewrite,
 * copy or report on), and asking libclang for a cursor's extent is the
 * dear part of building a tree, so a range is computed when first asked.
 * A child can end after its parent (an attribute after a declarator, a
 * macro invocation the parent ends inside), so the children's ranges
 * widen the parent's; but a statement or expression whose last token is
 * spelled directly in the file ends after all of its children, which lie
 * among its tokens, and its children need not be asked. */
Range tree_range(Node *n) {
  if (n->has_range)
    return n->range;
  Range r;
  if (n->ck == CXCursor_DeclRefExpr && !n->nkids &&
      tu_name_range(n->tu, n->c, &r)) {
    n->range = r;
    n->has_range = true;
    return r;
  }
  bool end_spelled;
  r = tu_range_spelled(n->tu, n->c, &end_spelled);
  bool covers_kids =
      end_spelled && (clang_isStatement(n->ck) || clang_isExpression(n->ck));
  for (int i = 0; i < n->nkids && !covers_kids; i++) {
    Range k = tree_range(n->kids[i]);
    if (k.end > r.end && k.start >= r.start)
      r.end = k.end;
  }
  n->range = r;
  n->has_range = true;
  return r;
}

static void open_node(Builder *b, Node *n) {
  if (b->depth == b->cap) {
    int cap = b->cap ? b->cap * 2 : 64;
    Node **path = arena_alloc(b->tu->arena, sizeof *path * (size_t)cap);
    Vec *kids = arena_alloc(b->tu->arena, sizeof *kids * (size_t)cap);
    if (b->depth) {
      memcpy(path, b->path, sizeof *path * (size_t)b->depth);
      memcpy(kids, b->kids, sizeof *kids * (size_t)b->depth);
    }
    b->path = path;
    b->kids = kids;
    b->cap = cap;
  }
  b->path[b->depth] = n;
  b->kids[b->depth] = (Vec){0};
  b->depth++;
}

static void close_node(Builder *b) {
  b->depth--;
  finish(b->tu, b->path[b->depth], &b->kids[b->depth]);
}

/* libclang passes as `parent` the very cursor it visited, so identity of
 * the fields is the test (clang_equalCursors is a library call for each
 * node closed). */
static bool same_cursor(CXCursor x, CXCursor y) {
  return x.kind == y.kind && x.data[0] == y.data[0] &&
         x.data[1] == y.data[1] && x.data[2] == y.data[2];
}

static enum CXChildVisitResult add_node(CXCursor c, CXCursor parent,
                                        CXClientData data) {
  Builder *b = data;
  while (!same_cursor(b->path[b->depth - 1]->c, parent)) {
    if (b->depth == 1)
      internal_error("a cursor's parent is not on the visit's path");
    close_node(b);
  }
  Node *up = b->path[b->depth - 1];
  Node *n = new_node(b->tu, c, up);
  vec_push(b->tu->arena, &b->kids[b->depth - 1], n);
  open_node(b, n);
  return CXChildVisit_Recurse;
}

Node *tree_build(Tu *tu, CXCursor root) {
  Builder b = {tu, NULL, NULL, 0, 0};
  Node *n = new_node(tu, root, NULL);
  open_node(&b, n);
  clang_visitChildren(root, add_node, &b);
  while (b.depth > 0)
    close_node(&b);
  return n;
}

Node *tree_strip(Node *n) {
  while (n && n->kind == N_OTHER && n->nkids == 1 &&
         (n->ck == CXCursor_ParenExpr || n->ck == CXCursor_UnexposedExpr))
    n = n->kids[0];
  return n;
}

/* The offsets of the header's '(' ';' ';' ')' among the tokens of r;
 * returns how many were found. */
static int header_marks(Tu *tu, CXSourceRange r, long marks[4]) {
  CXToken *toks;
  unsigned ntoks;
  clang_tokenize(tu->tu, r, &toks, &ntoks);
  int depth = 0, m = 0;
  for (unsigned i = 0; i < ntoks && m < 4; i++) {
    if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
      continue;
    CXString s = clang_getTokenSpelling(tu->tu, toks[i]);
    const char *t = clang_getCString(s);
    long off = tu_offset(tu, clang_getTokenLocation(tu->tu, toks[i]));
    if (strcmp(t, "(") == 0 && depth++ == 0 && m == 0)
      marks[m++] = off;
    else if (strcmp(t, ")") == 0 && --depth == 0 && m == 3)
      marks[m++] = off;
    else if (strcmp(t, ";") == 0 && depth == 1 && (m == 1 || m == 2))
      marks[m++] = off;
    clang_disposeString(s);
  }
  clang_disposeTokens(tu->tu, toks, ntoks);
  return m;
}

bool tree_for_parts(Tu *tu, Node *n, ForParts *p) {
  long marks[4] = {-1, -1, -1, -1}; /* '(' ';' ';' ')' */
  CXSourceRange ext = clang_getCursorExtent(n->c);
  /* The header lies before the body, the last child: lexing up to the
   * body's start, not through it, is enough unless macros blur that. */
  int m = 0;
  if (n->nkids) {
    CXCursor body = n->kids[n->nkids - 1]->c;
    CXSourceRange head = clang_getRange(
        clang_getRangeStart(ext),
        clang_getRangeStart(clang_getCursorExtent(body)));
    m = header_marks(tu, head, marks);
  }
  if (m != 4)
    m = header_marks(tu, ext, marks);
  if (m != 4)
    return false;
  *p = (ForParts){0};
  p->init_r = (Range){(unsigned)marks[0] + 1, (unsigned)marks[1]};
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (tree_range(k).start > (unsigned)marks[3])
      p->body = k;
    else if (tree_range(k).start > (unsigned)marks[2])
      p->inc = k;
    else if (tree_range(k).start > (unsigned)marks[1])
      p->cond = k;
    else
      p->init = k;
  }
  return p->body != NULL;
}

