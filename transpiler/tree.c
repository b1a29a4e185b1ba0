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

/* The leftmost operand of a parenthesised comma chain, (x, a, b, ...),
 * and how many commas lead to it; NULL if n is not that shape.  The chain
 * nests to the left, so x is found by following first operands. */
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

/* The first call of an async function under n, in source order. */
static Node *async_call_in(Node *n) {
  if (n->ck == CXCursor_CallExpr) {
    CXCursor callee = tree_referenced(n);
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

/* Gives an await node the range of the await invocation it was expanded
 * from.  The node's location is its first token, in the macro's body,
 * which libclang maps to where the invocation starts; tree_range would
 * start there too, unless the invocation lies inside another one, where
 * it may widen the start: those are left to it.  The location is cheaper
 * to ask for than the extent, which lexes the last token, and spares
 * computing the ranges of the node's children. */
static void set_await_range(Tu *tu, Node *n) {
  long start = tu_offset(tu, clang_getCursorLocation(n->c));
  if (start >= 0 && !tu_in_expansion(tu, (unsigned)start)) {
    const Range *r = tu_await_call_at(tu, (unsigned)start);
    if (r) {
      n->range = *r;
      n->has_range = true;
      /* The node's first token is the invocation's own: its operand is
       * the invocation's argument. */
      tu_learn_await_span(tu, r, n->operand->c);
      return;
    }
  }
  const Range *r = tu_await_call_at(tu, tree_range(n).start);
  if (r)
    n->range = *r;
}

/* Recognises the marked shapes, (marker(), ...), by the marker's name. */
static void classify(Tu *tu, Node *n) {
  int depth;
  Node *head = comma_head(n, &depth);
  if (!head || head->ck != CXCursor_CallExpr)
    return;
  CXString s = clang_getCursorSpelling(head->c);
  const char *marker = clang_getCString(s);
  Node *second = n->kids[0]->kids[1]; /* for a single comma */
  Node *op;
  if (depth == 1 && strcmp(marker, "ac__mark_await") == 0 &&
      (op = paren_operand(second))) {
    n->kind = N_AWAIT;
    n->operand = op;
    n->has_await = true;
    set_await_range(tu, n);
  } else if (depth == 1 && strcmp(marker, "ac__mark_block_on") == 0 &&
             (op = paren_operand(second))) {
    n->kind = N_BLOCK_ON;
    n->operand = op;
  } else if (depth == 1 && strcmp(marker, "ac__mark_spawn") == 0) {
    /* The sync view boxes the call's value: find the call inside. */
    n->kind = N_SPAWN;
    n->operand = async_call_in(second);
  } else if (depth == 1 && strcmp(marker, "ac__mark_join") == 0) {
    /* *(h) or (void)(h): the handle is the operand's operand. */
    n->kind = N_JOIN;
    op = tree_strip(second);
    n->operand = op && op->nkids == 1 ? tree_strip(op->kids[0]) : NULL;
    n->void_join = op && op->ck == CXCursor_CStyleCastExpr;
  } else if (strcmp(marker, "ac__mark_all") == 0 ||
             strcmp(marker, "ac__mark_race") == 0) {
    n->kind = strcmp(marker, "ac__mark_all") == 0 ? N_ALL : N_RACE;
    Vec branches = {0};
    collect_branches(tu, n, &branches);
    n->branches = (Node **)branches.items;
    n->nbranches = branches.len;
  } else if (depth == 1 && strcmp(marker, "ac__mark_branch") == 0 &&
             (op = paren_operand(second))) {
    n->kind = N_BRANCH;
    n->operand = op;
    clang_disposeString(s);
    return; /* spelled in the file: its range is already right */
  } else {
    clang_disposeString(s);
    return;
  }
  clang_disposeString(s);
  const Range *r = tu_expansion_at(tu, tree_range(n).start);
  if (r)
    n->range = *r;
}

/* One recursive visit builds the whole tree: a visitor per node would cost
 * libclang a traversal set-up each.  Nodes are visited in preorder, so the
 * open ones form a path from the root; a node is finished when the visit
 * leaves it, once all its children are known.  Nodes are finished in
 * postorder, so the children gathered for the open nodes form one stack,
 * each node's on top of its ancestors': a finished node takes its own off
 * the top, into an array of the right size. */
typedef struct {
  Tu *tu;
  Node **path;  /* open nodes, root first */
  int *first;   /* per open node, where its children start in `kids` */
  int depth, cap;
  Node **kids;  /* the children gathered so far by all open nodes */
  int nkids, kids_cap;
  /* Nodes and children arrays are cut from blocks: an arena allocation
   * each would cost more than the rest of a node's building. */
  Node *free_nodes;
  int nfree_nodes;
  Node **free_ptrs;
  int nfree_ptrs;
} Builder;

enum { NODE_BLOCK = 8, PTR_BLOCK = 128 };

static Node *new_node(Builder *b, CXCursor c, Node *parent) {
  if (!b->nfree_nodes) {
    b->free_nodes = arena_alloc(b->tu->arena, sizeof(Node) * NODE_BLOCK);
    b->nfree_nodes = NODE_BLOCK;
  }
  Node *n = b->free_nodes++;
  b->nfree_nodes--;
  n->c = c;
  n->ck = c.kind; /* what clang_getCursorKind returns */
  n->parent = parent;
  n->tu = b->tu;
  return n;
}

static Node **new_kids(Builder *b, int n) {
  if (n > PTR_BLOCK / 4)
    return arena_alloc(b->tu->arena, sizeof(Node *) * (size_t)n);
  if (b->nfree_ptrs < n) {
    b->free_ptrs = arena_alloc(b->tu->arena, sizeof(Node *) * PTR_BLOCK);
    b->nfree_ptrs = PTR_BLOCK;
  }
  Node **kids = b->free_ptrs;
  b->free_ptrs += n;
  b->nfree_ptrs -= n;
  return kids;
}

/* Gives n its children and its await flag, then its kind. */
static void finish(Builder *b, Node *n, Node **kids, int nkids) {
  if (nkids) {
    n->kids = new_kids(b, nkids);
    memcpy(n->kids, kids, sizeof *kids * (size_t)nkids);
  }
  n->nkids = nkids;
  for (int i = 0; i < nkids; i++)
    n->has_await |= kids[i]->has_await;
  classify(b->tu, n);
}

/* Most nodes' ranges are never asked for (only those the passes rewrite,
 * copy or report on), and asking libclang for a cursor's extent is the
 * dear part of building a tree, so a range is computed when first asked.
 * A child can end after its parent (an attribute after a declarator, a
 * macro invocation the parent ends inside), so the children's ranges
 * widen the parent's; but a statement or expression whose last token is
 * spelled directly in the file ends after all of its children, which lie
 * among its tokens, and its children need not be asked. */
Range tree_range_compute(Node *n) {
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

/* A copy of the n items at old in a new array of cap items. */
static void *grown(Arena *a, const void *old, size_t size, int n, int cap) {
  void *items = arena_alloc(a, size * (size_t)cap);
  if (n)
    memcpy(items, old, size * (size_t)n);
  return items;
}

static void open_node(Builder *b, Node *n) {
  if (b->depth == b->cap) {
    int cap = b->cap ? b->cap * 2 : 64;
    b->path = grown(b->tu->arena, b->path, sizeof *b->path, b->depth, cap);
    b->first = grown(b->tu->arena, b->first, sizeof *b->first, b->depth, cap);
    b->cap = cap;
  }
  b->path[b->depth] = n;
  b->first[b->depth] = b->nkids;
  b->depth++;
}

static void add_kid(Builder *b, Node *n) {
  if (b->nkids == b->kids_cap) {
    int cap = b->kids_cap ? b->kids_cap * 2 : 256;
    b->kids = grown(b->tu->arena, b->kids, sizeof *b->kids, b->nkids, cap);
    b->kids_cap = cap;
  }
  b->kids[b->nkids++] = n;
}

static void close_node(Builder *b) {
  b->depth--;
  int first = b->first[b->depth];
  finish(b, b->path[b->depth], b->kids + first, b->nkids - first);
  b->nkids = first;
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
  Node *n = new_node(b, c, b->path[b->depth - 1]);
  add_kid(b, n);
  open_node(b, n);
  return CXChildVisit_Recurse;
}

Node *tree_build(Tu *tu, CXCursor root) {
  Builder b = {.tu = tu};
  Node *n = new_node(&b, root, NULL);
  open_node(&b, n);
  clang_visitChildren(root, add_node, &b);
  while (b.depth > 0)
    close_node(&b);
  return n;
}

CXCursor tree_referenced_compute(Node *n) {
  n->referenced = clang_getCursorReferenced(n->c);
  n->has_referenced = true;
  return n->referenced;
}

Node *tree_strip(Node *n) {
  while (n && n->kind == N_OTHER && n->nkids == 1 &&
         (n->ck == CXCursor_ParenExpr || n->ck == CXCursor_UnexposedExpr))
    n = n->kids[0];
  return n;
}

/* s past the line splices at its start: each a backslash (or the
 * trigraph for one), blanks, and a newline. */
static const char *skip_splices(const char *s) {
  for (;;) {
    const char *p = s;
    if (p[0] == '\\')
      p += 1;
    else if (p[0] == '?' && p[1] == '?' && p[2] == '/')
      p += 3;
    else
      return s;
    while (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f')
      p++;
    if (p[0] == '\r' && p[1] == '\n')
      p += 2;
    else if (*p == '\n' || *p == '\r')
      p++;
    else
      return s;
    s = p;
  }
}

/* Which of '(' ')' ';' a punctuation token at `off` is, or 0 for another
 * one.  The file's character there tells without spelling the token: no
 * other punctuator starts with those three, and a token starting with
 * any other plain character is none of them.  A line splice or a
 * trigraph can put '\\' or '?' first; those are spelled. */
static char header_punct(Tu *tu, CXToken tok, long off) {
  if (off >= 0 && (size_t)off < tu->src_len) {
    char ch = tu->src[off];
    if (ch != '\\' && ch != '?')
      return ch == '(' || ch == ')' || ch == ';' ? ch : 0;
  }
  /* libclang spells the token as the file has it, splices included. */
  CXString s = clang_getTokenSpelling(tu->tu, tok);
  const char *t = skip_splices(clang_getCString(s));
  char ch = 0;
  if ((*t == '(' || *t == ')' || *t == ';') && t[1] == '\0')
    ch = *t;
  clang_disposeString(s);
  return ch;
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
    long off = tu_offset(tu, clang_getTokenLocation(tu->tu, toks[i]));
    char t = header_punct(tu, toks[i], off);
    if (t == '(' && depth++ == 0 && m == 0)
      marks[m++] = off;
    else if (t == ')' && --depth == 0 && m == 3)
      marks[m++] = off;
    else if (t == ';' && depth == 1 && (m == 1 || m == 2))
      marks[m++] = off;
  }
  clang_disposeTokens(tu->tu, toks, ntoks);
  return m;
}

static bool parse_for_parts(Tu *tu, Node *n, ForParts *p) {
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

bool tree_for_parts(Tu *tu, Node *n, ForParts *p) {
  if (!n->has_for_parts) {
    ForParts parts;
    if (parse_for_parts(tu, n, &parts)) {
      n->for_parts = arena_alloc(tu->arena, sizeof parts);
      *n->for_parts = parts;
    }
    n->has_for_parts = true;
  }
  if (!n->for_parts)
    return false;
  *p = *n->for_parts;
  return true;
}
