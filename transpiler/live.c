/* live.c -- which locals must survive a suspension.
 *
 * A control-flow graph is built over the function body, one block per
 * simple statement or condition, and classic backward liveness is solved on
 * it.  A local is saved in the frame when it is live at some await's resume
 * point: used later in the await's statement, or live after the statement
 * without being assigned by it.  Locals whose address may escape (arrays,
 * structs, unions, anything under '&') are saved whenever their scope holds
 * an await, since a pointer can reach them unseen.
 *
 * The same graph gives the state graph of --emit=dot: which await (state)
 * can follow which. */
#include "transpiler.h"

#include <stdint.h>
#include <string.h>

/* A set of variables, one bit per index (parameters, then locals). */
typedef uint64_t Word;
enum { WORD_BITS = 64 };

static bool bit_has(const Word *set, int i) {
  return set[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

static void bit_set(Word *set, int i) {
  set[i / WORD_BITS] |= (Word)1 << (i % WORD_BITS);
}

static void bit_clear(Word *set, int i) {
  set[i / WORD_BITS] &= ~((Word)1 << (i % WORD_BITS));
}

typedef struct Block Block;
struct Block {
  Node *node;     /* the statement or condition; NULL for joins and labels */
  Vec succ;       /* Block * */
  Word *use, *kill, *in, *out;
  Word *kill_late; /* killed after the block's last await */
  Vec awaits;     /* AwaitSite * under node, in evaluation order */
  Block *twin;    /* the next block of the same node (BlockMap) */
  int seen;       /* mark of the last search that reached it */
};

typedef struct {
  AsyncFn *fn;
  Arena *a;
  int nvars, nwords;
  Var **vars;     /* parameters, then locals: a variable's index */
  int *var_slots; /* hash of vars by declaration (index + 1; 0 is empty) */
  unsigned var_mask;
  Vec blocks;     /* Block * */
  Vec labels;     /* Node * LabelStmt, parallel to label_blocks */
  Vec label_blocks;
  Block *exit;
  int search;     /* number of the last next_awaits search */
  Block **stack;  /* next_awaits' blocks to visit (sized by state_graph) */
} Cfg;

typedef struct {
  Block *brk, *cont;
  Vec *cases;     /* Block * of the enclosing switch's case labels */
  bool *has_default;
} Ctx;

/* ---- Variables by declaration -------------------------------------------- */

/* libclang's cursors for one declaration hold the same pointer to it in
 * data[0] (find.c relies on it too), so it keys the hash; a hit is then
 * confirmed with clang_equalCursors. */
static unsigned decl_hash(CXCursor decl) {
  uintptr_t p = (uintptr_t)decl.data[0];
  return (unsigned)((p >> 4) ^ (p >> 16)) * 2654435761u;
}

static void index_vars(Cfg *g) {
  AsyncFn *fn = g->fn;
  g->vars = arena_alloc(g->a, sizeof *g->vars * (size_t)(g->nvars + 1));
  for (int i = 0; i < fn->params.len; i++)
    g->vars[i] = fn->params.items[i];
  for (int i = 0; i < fn->locals.len; i++)
    g->vars[fn->params.len + i] = fn->locals.items[i];
  unsigned cap = 8;
  while (cap < 2 * (unsigned)g->nvars)
    cap *= 2;
  g->var_mask = cap - 1;
  g->var_slots = arena_alloc(g->a, sizeof *g->var_slots * cap);
  for (int i = 0; i < g->nvars; i++) {
    unsigned h = decl_hash(g->vars[i]->decl->c) & g->var_mask;
    while (g->var_slots[h])
      h = (h + 1) & g->var_mask;
    g->var_slots[h] = i + 1;
  }
}

/* The index of the variable `decl` declares, or -1: the first match in
 * parameters-then-locals order, as find_var, since linear probing keeps
 * the variables of one key in the order they were added. */
static int var_of_decl(Cfg *g, CXCursor decl) {
  for (unsigned h = decl_hash(decl) & g->var_mask; g->var_slots[h];
       h = (h + 1) & g->var_mask) {
    int i = g->var_slots[h] - 1;
    CXCursor c = g->vars[i]->decl->c;
    if (c.data[0] == decl.data[0] && clang_equalCursors(c, decl))
      return i;
  }
  return -1;
}

static Block *new_block(Cfg *g, Node *node) {
  Block *b = arena_alloc(g->a, sizeof *b);
  b->node = node;
  /* The block's five sets, in one allocation. */
  size_t n = (size_t)g->nwords;
  b->use = arena_alloc(g->a, sizeof(Word) * n * 5);
  b->kill = b->use + n;
  b->kill_late = b->kill + n;
  b->in = b->kill_late + n;
  b->out = b->in + n;
  vec_push(g->a, &g->blocks, b);
  return b;
}

static void edge(Cfg *g, Block *from, Block *to) {
  vec_push(g->a, &from->succ, to);
}

/* Labels are matched by location: the cursor a goto references and the
 * one in the tree may differ in the declaration libclang records as their
 * context. */
static Block *label_block(Cfg *g, CXCursor label) {
  CXSourceLocation at = clang_getCursorLocation(label);
  for (int i = 0; i < g->labels.len; i++)
    if (clang_equalLocations(
            clang_getCursorLocation(((Node *)g->labels.items[i])->c), at))
      return g->label_blocks.items[i];
  return NULL;
}

/* ---- Uses and kills ------------------------------------------------------- */

/* The index of the variable a reference names, or -1. */
static int ref_var(Cfg *g, Node *n) {
  n = tree_strip(n);
  if (!n || n->ck != CXCursor_DeclRefExpr)
    return -1;
  return var_of_decl(g, tree_referenced(n));
}

static void add_use(Cfg *g, Block *b, Node *ref) {
  int v = ref_var(g, ref);
  if (v >= 0)
    bit_set(b->use, v);
}

static void add_uses(Cfg *g, Block *b, Node *n, Node *skip) {
  if (n == skip)
    return;
  if (n->ck == CXCursor_DeclRefExpr)
    add_use(g, b, n);
  /* Leaves are handled here rather than by a call each: most nodes are
   * leaves, and only references among them matter. */
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->nkids)
      add_uses(g, b, k, skip);
    else if (k->ck == CXCursor_DeclRefExpr && k != skip)
      add_use(g, b, k);
  }
}

/* `v = e` as a whole statement or condition: v is killed, e is used. */
static int assigned_var(Cfg *g, Node *n, Node **lhs) {
  n = tree_strip(n);
  if (!n || n->ck != CXCursor_BinaryOperator || n->nkids != 2 ||
      clang_getCursorBinaryOperatorKind(n->c) != CXBinaryOperator_Assign)
    return -1;
  int v = ref_var(g, n->kids[0]);
  if (v >= 0)
    *lhs = tree_strip(n->kids[0]);
  return v;
}

static void fill_block(Cfg *g, Block *b) {
  Node *n = b->node;
  if (n->ck == CXCursor_DeclStmt) {
    /* A declaration gives its variable a new value, or an indeterminate
     * one: either way the old value is dead.  Declarators run in order, so
     * only those from the last awaiting one on are assigned after every
     * await of the statement. */
    int last_await = -1;
    for (int i = 0; i < n->nkids; i++)
      if (n->kids[i]->has_await)
        last_await = i;
    for (int i = 0; i < n->nkids; i++) {
      int v = var_of_decl(g, n->kids[i]->c);
      add_uses(g, b, n->kids[i], NULL);
      if (v >= 0 && !bit_has(b->use, v)) {
        bit_set(b->kill, v);
        if (i >= last_await)
          bit_set(b->kill_late, v);
        else
          bit_clear(b->kill_late, v);
      }
    }
    return;
  }
  Node *lhs = NULL;
  int v = assigned_var(g, n, &lhs);
  add_uses(g, b, n, lhs);
  if (v >= 0 && !bit_has(b->use, v)) {
    bit_set(b->kill, v);
    bit_set(b->kill_late, v);
  }
}

/* ---- Labels and address-taken locals -------------------------------------- */

static bool may_escape(CXType t) {
  switch (clang_getCanonicalType(t).kind) {
  case CXType_ConstantArray:
  case CXType_IncompleteArray:
  case CXType_Record:
    return true;
  default:
    return false;
  }
}

static void mark_escaping(Cfg *g, Node *ref) {
  int v = ref_var(g, ref);
  if (v >= 0)
    g->vars[v]->escapes = true;
}

/* One walk over the body gives every label its block, before the graph
 * is built (a goto may jump forward), and marks the locals named under
 * '&' as escaping. */
static void scan_labels_and_addresses(Cfg *g, Node *n, bool under_addr) {
  if (n->ck == CXCursor_LabelStmt) {
    vec_push(g->a, &g->labels, n);
    vec_push(g->a, &g->label_blocks, new_block(g, NULL));
  }
  if (n->ck == CXCursor_UnaryOperator &&
      clang_getCursorUnaryOperatorKind(n->c) == CXUnaryOperator_AddrOf)
    under_addr = true;
  if (under_addr && n->ck == CXCursor_DeclRefExpr)
    mark_escaping(g, n);
  /* Among leaves other than labels, only a reference under '&' matters. */
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->nkids || k->ck == CXCursor_LabelStmt)
      scan_labels_and_addresses(g, k, under_addr);
    else if (under_addr && k->ck == CXCursor_DeclRefExpr)
      mark_escaping(g, k);
  }
}

/* ---- Graph construction (backwards: each statement gets its successor) -- */

static Block *build(Cfg *g, Node *n, Block *next, Ctx ctx);

static Block *simple(Cfg *g, Node *n, Block *next) {
  Block *b = new_block(g, n);
  if (next)
    edge(g, b, next);
  return b;
}

static Block *build_seq(Cfg *g, Node *n, int from, Block *next, Ctx ctx) {
  for (int i = n->nkids - 1; i >= from; i--)
    next = build(g, n->kids[i], next, ctx);
  return next;
}

static Block *build_if(Cfg *g, Node *n, Block *next, Ctx ctx) {
  Block *c = new_block(g, n->kids[0]);
  edge(g, c, build(g, n->kids[1], next, ctx));
  edge(g, c, n->nkids > 2 ? build(g, n->kids[2], next, ctx) : next);
  return c;
}

static Block *build_while(Cfg *g, Node *n, Block *next) {
  Block *c = new_block(g, n->kids[0]);
  Ctx loop = {next, c, NULL, NULL};
  edge(g, c, build(g, n->kids[1], c, loop));
  edge(g, c, next);
  return c;
}

static Block *build_do(Cfg *g, Node *n, Block *next) {
  Block *c = new_block(g, n->kids[1]);
  Ctx loop = {next, c, NULL, NULL};
  Block *body = build(g, n->kids[0], c, loop);
  edge(g, c, body);
  edge(g, c, next);
  return body;
}

/* The parts of a for statement.  libclang gives them as children in the
 * order init, cond, inc, body and leaves absent ones out, so four
 * children are all four parts; only fewer need the header's tokens. */
static bool for_parts(Cfg *g, Node *n, ForParts *p) {
  if (n->nkids == 4) {
    *p = (ForParts){n->kids[0], n->kids[1], n->kids[2], n->kids[3], {0, 0}};
    return true;
  }
  return tree_for_parts(g->fn->tu, n, p);
}

/* Labels under n lead into `into`. */
static void link_labels(Cfg *g, Node *n, Block *into) {
  if (n->ck == CXCursor_LabelStmt) {
    Block *b = label_block(g, n->c);
    if (b)
      edge(g, b, into);
  }
  for (int i = 0; i < n->nkids; i++)
    link_labels(g, n->kids[i], into);
}

/* A loop whose header a macro writes with a part left out, where the
 * tokens do not tell which part is which.  Without awaits it stays one
 * block that uses every variable in it and kills none, which can only
 * make more locals live; a goto into it enters that block.  With awaits
 * it cannot be lowered, and is refused here, before anything relies on
 * its parts. */
static Block *opaque_for(Cfg *g, Node *n, Block *next) {
  if (n->has_await)
    diag_error((Loc){tree_range(n).start},
               "cannot tell the parts of this 'for' statement apart: its "
               "header comes from a macro");
  Block *b = simple(g, n, next);
  link_labels(g, n, b);
  return b;
}

static Block *build_for(Cfg *g, Node *n, Block *next) {
  ForParts p;
  if (!for_parts(g, n, &p))
    return opaque_for(g, n, next);
  Block *c = new_block(g, p.cond);
  Block *inc = p.inc ? simple(g, p.inc, c) : c;
  Ctx loop = {next, inc, NULL, NULL};
  edge(g, c, build(g, p.body, inc, loop));
  if (p.cond)
    edge(g, c, next);
  return p.init ? build(g, p.init, c, loop) : c;
}

static Block *build_switch(Cfg *g, Node *n, Block *next, Ctx ctx) {
  Block *c = new_block(g, n->kids[0]);
  Vec cases = {0};
  bool has_default = false;
  Ctx sw = {next, ctx.cont, &cases, &has_default};
  build(g, n->kids[1], next, sw);
  for (int i = 0; i < cases.len; i++)
    edge(g, c, cases.items[i]);
  if (!has_default)
    edge(g, c, next);
  return c;
}

static Block *build_case(Cfg *g, Node *n, Block *next, Ctx ctx) {
  Block *b = new_block(g, NULL);
  edge(g, b, build(g, n->kids[n->nkids - 1], next, ctx));
  if (ctx.cases)
    vec_push(g->a, ctx.cases, b);
  if (n->ck == CXCursor_DefaultStmt && ctx.has_default)
    *ctx.has_default = true;
  return b;
}

static Block *build_goto(Cfg *g, Node *n) {
  Block *b = new_block(g, n);
  if (n->ck == CXCursor_GotoStmt) {
    Block *target = label_block(g, tree_referenced(n));
    if (target) {
      edge(g, b, target);
      return b;
    }
  }
  for (int i = 0; i < g->label_blocks.len; i++)
    edge(g, b, g->label_blocks.items[i]);
  return b;
}

static Block *build(Cfg *g, Node *n, Block *next, Ctx ctx) {
  switch (n->ck) {
  case CXCursor_CompoundStmt:
    return build_seq(g, n, 0, next, ctx);
  case CXCursor_IfStmt:
    return build_if(g, n, next, ctx);
  case CXCursor_WhileStmt:
    return build_while(g, n, next);
  case CXCursor_DoStmt:
    return build_do(g, n, next);
  case CXCursor_ForStmt:
    return build_for(g, n, next);
  case CXCursor_SwitchStmt:
    return build_switch(g, n, next, ctx);
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt:
    return build_case(g, n, next, ctx);
  case CXCursor_LabelStmt: {
    Block *b = label_block(g, n->c);
    edge(g, b, build(g, n->kids[n->nkids - 1], next, ctx));
    return b;
  }
  case CXCursor_GotoStmt:
  case CXCursor_IndirectGotoStmt:
    return build_goto(g, n);
  case CXCursor_BreakStmt:
    return simple(g, n, ctx.brk);
  case CXCursor_ContinueStmt:
    return simple(g, n, ctx.cont);
  case CXCursor_ReturnStmt:
    return simple(g, n, g->exit);
  case CXCursor_NullStmt:
    return next;
  default:
    return simple(g, n, next);
  }
}

/* ---- Solving -------------------------------------------------------------- */

/* The graph is built backwards, so a block mostly comes after its
 * successors in g->blocks: sweeping in that order, a pass carries
 * liveness through all straight-line code and each loop costs one more
 * pass.  The least fixed point does not depend on the order. */
static void solve(Cfg *g) {
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (b->node)
      fill_block(g, b);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < g->blocks.len; i++) {
      Block *b = g->blocks.items[i];
      for (int w = 0; w < g->nwords; w++) {
        Word out = 0;
        for (int s = 0; s < b->succ.len; s++)
          out |= ((Block *)b->succ.items[s])->in[w];
        Word in = b->use[w] | (out & ~b->kill[w]);
        changed |= out != b->out[w] || in != b->in[w];
        b->out[w] = out;
        b->in[w] = in;
      }
    }
  }
}

/* Marks the locals live at an await's resume point: everything its block
 * uses (conservatively, also what it uses before the await) and what is
 * live after the block, unless the block assigns it after its awaits. */
static void mark_live_at_awaits(Cfg *g) {
  AsyncFn *fn = g->fn;
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (!b->node || !b->node->has_await)
      continue;
    for (int v = fn->params.len; v < g->nvars; v++)
      if (bit_has(b->use, v) ||
          (bit_has(b->out, v) && !bit_has(b->kill_late, v)))
        g->vars[v]->live_across = true;
  }
}

/* ---- The state graph ------------------------------------------------------ */

/* Blocks by node, for the blocks whose node holds an await. */
typedef struct {
  Block **slots;
  unsigned mask;
} BlockMap;

static unsigned node_hash(const Node *n) {
  uintptr_t p = (uintptr_t)n;
  return (unsigned)((p >> 4) ^ (p >> 16)) * 2654435761u;
}

static Block **block_slot(BlockMap *m, const Node *n) {
  unsigned h = node_hash(n) & m->mask;
  while (m->slots[h] && m->slots[h]->node != n)
    h = (h + 1) & m->mask;
  return &m->slots[h];
}

/* Gives each block the awaits under its node, in evaluation order
 * (fn->awaits is in that order): each await goes to the blocks of the
 * nodes on its path to the root. */
static void collect_block_awaits(Cfg *g) {
  unsigned cap = 8;
  while (cap < 2 * (unsigned)g->blocks.len)
    cap *= 2;
  BlockMap m = {arena_alloc(g->a, sizeof *m.slots * cap), cap - 1};
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (!b->node || !b->node->has_await)
      continue;
    Block **slot = block_slot(&m, b->node);
    Block **last = slot;
    while (*last)
      last = &(*last)->twin;
    *last = b;
  }
  AsyncFn *fn = g->fn;
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    for (Node *n = aw->node; n; n = n->parent)
      for (Block *b = *block_slot(&m, n); b; b = b->twin)
        vec_push(g->a, &b->awaits, aw);
  }
}

static void add_unique(Arena *a, Vec *v, void *item) {
  for (int i = 0; i < v->len; i++)
    if (v->items[i] == item)
      return;
  vec_push(a, v, item);
}

/* Collects the first awaits reachable from `b`'s successors; `done` is set
 * when the function can finish without another await. */
static void next_awaits(Cfg *g, Block *from, Vec *out, bool *done) {
  int search = ++g->search;
  /* Each block is expanded once, so the stack never holds more than the
   * edges out of `from` and out of the blocks (state_graph's bound). */
  Block **stack = g->stack;
  int top = 0;
  for (int i = 0; i < from->succ.len; i++)
    stack[top++] = from->succ.items[i];
  while (top) {
    Block *b = stack[--top];
    if (b->seen == search)
      continue;
    b->seen = search;
    if (b == g->exit) {
      *done = true;
      continue;
    }
    if (b->awaits.len) {
      add_unique(g->a, out, b->awaits.items[0]);
      continue;
    }
    for (int i = 0; i < b->succ.len; i++)
      stack[top++] = b->succ.items[i];
  }
}

/* Which await can follow which: the edges of the state graph. */
static void state_graph(Cfg *g, Block *entry) {
  AsyncFn *fn = g->fn;
  collect_block_awaits(g);
  /* `from` is a block (counted once more, as it may be expanded too) or
   * the start, with one edge. */
  size_t edges = 1;
  for (int i = 0; i < g->blocks.len; i++)
    edges += (size_t)((Block *)g->blocks.items[i])->succ.len;
  g->stack = arena_alloc(g->a, sizeof *g->stack * 2 * edges);
  Block start = {.succ = {0}};
  vec_push(g->a, &start.succ, entry);
  next_awaits(g, &start, &fn->start_next, &fn->start_done);
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    Vec *aws = &b->awaits;
    for (int k = 0; k + 1 < aws->len; k++)
      add_unique(g->a, &((AwaitSite *)aws->items[k])->next, aws->items[k + 1]);
    if (aws->len) {
      AwaitSite *last = aws->items[aws->len - 1];
      next_awaits(g, b, &last->next, &last->done);
    }
  }
}

void live_compute(AsyncFn *fn) {
  Cfg g = {.fn = fn, .a = fn->tu->arena};
  g.nvars = fn->params.len + fn->locals.len;
  g.nwords = g.nvars / WORD_BITS + 1;
  index_vars(&g);
  g.exit = new_block(&g, NULL);
  scan_labels_and_addresses(&g, fn->body, false);
  Ctx top = {NULL, NULL, NULL, NULL};
  Block *entry = build(&g, fn->body, g.exit, top);
  solve(&g);
  state_graph(&g, entry);
  mark_live_at_awaits(&g);
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    if (may_escape(clang_getCursorType(v->decl->c)))
      v->escapes = true;
  }
}
