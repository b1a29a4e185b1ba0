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

#include <string.h>

typedef struct Block Block;
struct Block {
  Node *node;     /* the statement or condition; NULL for joins and labels */
  Vec succ;       /* Block * */
  bool *use, *kill, *in, *out;
  bool *kill_late; /* killed after the block's last await */
};

typedef struct {
  AsyncFn *fn;
  Arena *a;
  int nvars;
  Vec blocks;     /* Block * */
  Vec labels;     /* Node * LabelStmt, parallel to label_blocks */
  Vec label_blocks;
  Block *exit;
} Cfg;

typedef struct {
  Block *brk, *cont;
  Vec *cases;     /* Block * of the enclosing switch's case labels */
  bool *has_default;
} Ctx;

static int var_index(Cfg *g, Var *v) {
  for (int i = 0; i < g->fn->params.len; i++)
    if (g->fn->params.items[i] == v)
      return i;
  for (int i = 0; i < g->fn->locals.len; i++)
    if (g->fn->locals.items[i] == v)
      return g->fn->params.len + i;
  internal_error("variable not in its function");
}

static Block *new_block(Cfg *g, Node *node) {
  Block *b = arena_alloc(g->a, sizeof *b);
  b->node = node;
  size_t n = (size_t)g->nvars;
  b->use = arena_alloc(g->a, n + 1);
  b->kill = arena_alloc(g->a, n + 1);
  b->kill_late = arena_alloc(g->a, n + 1);
  b->in = arena_alloc(g->a, n + 1);
  b->out = arena_alloc(g->a, n + 1);
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

static void collect_labels(Cfg *g, Node *n) {
  if (n->ck == CXCursor_LabelStmt) {
    vec_push(g->a, &g->labels, n);
    vec_push(g->a, &g->label_blocks, new_block(g, NULL));
  }
  for (int i = 0; i < n->nkids; i++)
    collect_labels(g, n->kids[i]);
}

/* ---- Uses and kills ------------------------------------------------------- */

static Var *ref_var(Cfg *g, Node *n) {
  n = tree_strip(n);
  if (!n || n->ck != CXCursor_DeclRefExpr)
    return NULL;
  return find_var(g->fn, clang_getCursorReferenced(n->c));
}

static void add_uses(Cfg *g, Block *b, Node *n, Node *skip) {
  if (n == skip)
    return;
  Var *v = n->ck == CXCursor_DeclRefExpr ? ref_var(g, n) : NULL;
  if (v)
    b->use[var_index(g, v)] = true;
  for (int i = 0; i < n->nkids; i++)
    add_uses(g, b, n->kids[i], skip);
}

/* `v = e` as a whole statement or condition: v is killed, e is used. */
static Var *assigned_var(Cfg *g, Node *n, Node **lhs) {
  n = tree_strip(n);
  if (!n || n->ck != CXCursor_BinaryOperator || n->nkids != 2 ||
      clang_getCursorBinaryOperatorKind(n->c) != CXBinaryOperator_Assign)
    return NULL;
  Var *v = ref_var(g, n->kids[0]);
  if (v)
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
      Var *v = find_var(g->fn, n->kids[i]->c);
      add_uses(g, b, n->kids[i], NULL);
      if (v && !b->use[var_index(g, v)]) {
        b->kill[var_index(g, v)] = true;
        b->kill_late[var_index(g, v)] = i >= last_await;
      }
    }
    return;
  }
  Node *lhs = NULL;
  Var *v = assigned_var(g, n, &lhs);
  add_uses(g, b, n, lhs);
  if (v && !b->use[var_index(g, v)])
    b->kill[var_index(g, v)] = b->kill_late[var_index(g, v)] = true;
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

static Block *build_for(Cfg *g, Node *n, Block *next) {
  ForParts p;
  if (!tree_for_parts(g->fn->tu, n, &p))
    internal_error("unparsed for statement");
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
    Block *target = label_block(g, clang_getCursorReferenced(n->c));
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

static void solve(Cfg *g) {
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (b->node)
      fill_block(g, b);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = g->blocks.len - 1; i >= 0; i--) {
      Block *b = g->blocks.items[i];
      for (int v = 0; v < g->nvars; v++) {
        bool out = false;
        for (int s = 0; s < b->succ.len && !out; s++)
          out = ((Block *)b->succ.items[s])->in[v];
        bool in = b->use[v] || (out && !b->kill[v]);
        changed |= out != b->out[v] || in != b->in[v];
        b->out[v] = out;
        b->in[v] = in;
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
    for (int v = fn->params.len; v < g->nvars; v++) {
      Var *var = fn->locals.items[v - fn->params.len];
      if (b->use[v] || (b->out[v] && !b->kill_late[v]))
        var->live_across = true;
    }
  }
}

/* ---- Address-taken locals ------------------------------------------------- */

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

static void mark_address_taken(Cfg *g, Node *n, bool under_addr) {
  if (n->ck == CXCursor_UnaryOperator &&
      clang_getCursorUnaryOperatorKind(n->c) == CXUnaryOperator_AddrOf)
    under_addr = true;
  if (under_addr && n->ck == CXCursor_DeclRefExpr) {
    Var *v = ref_var(g, n);
    if (v)
      v->escapes = true;
  }
  for (int i = 0; i < n->nkids; i++)
    mark_address_taken(g, n->kids[i], under_addr);
}

/* ---- The state graph ------------------------------------------------------ */

/* The awaits of a block in evaluation order (fn->awaits is in that order). */
static void block_awaits(AsyncFn *fn, Block *b, Vec *out, Arena *a) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    for (Node *n = aw->node; n; n = n->parent)
      if (n == b->node) {
        vec_push(a, out, aw);
        break;
      }
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
  Vec stack = {0}, seen = {0};
  for (int i = 0; i < from->succ.len; i++)
    vec_push(g->a, &stack, from->succ.items[i]);
  while (stack.len) {
    Block *b = stack.items[--stack.len];
    bool visited = false;
    for (int i = 0; i < seen.len && !visited; i++)
      visited = seen.items[i] == b;
    if (visited)
      continue;
    vec_push(g->a, &seen, b);
    if (b == g->exit) {
      *done = true;
      continue;
    }
    Vec aws = {0};
    if (b->node && b->node->has_await)
      block_awaits(g->fn, b, &aws, g->a);
    if (aws.len) {
      add_unique(g->a, out, aws.items[0]);
      continue;
    }
    for (int i = 0; i < b->succ.len; i++)
      vec_push(g->a, &stack, b->succ.items[i]);
  }
}

/* Which await can follow which: the edges of the state graph. */
static void state_graph(Cfg *g, Block *entry) {
  AsyncFn *fn = g->fn;
  Block start = {.succ = {0}};
  vec_push(g->a, &start.succ, entry);
  next_awaits(g, &start, &fn->start_next, &fn->start_done);
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (!b->node || !b->node->has_await)
      continue;
    Vec aws = {0};
    block_awaits(fn, b, &aws, g->a);
    for (int k = 0; k + 1 < aws.len; k++)
      add_unique(g->a, &((AwaitSite *)aws.items[k])->next, aws.items[k + 1]);
    if (aws.len) {
      AwaitSite *last = aws.items[aws.len - 1];
      next_awaits(g, b, &last->next, &last->done);
    }
  }
}

void live_compute(AsyncFn *fn) {
  Cfg g = {.fn = fn, .a = fn->tu->arena};
  g.nvars = fn->params.len + fn->locals.len;
  g.exit = new_block(&g, NULL);
  collect_labels(&g, fn->body);
  Ctx top = {NULL, NULL, NULL, NULL};
  Block *entry = build(&g, fn->body, g.exit, top);
  solve(&g);
  state_graph(&g, entry);
  mark_live_at_awaits(&g);
  mark_address_taken(&g, fn->body, false);
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    if (may_escape(clang_getCursorType(v->decl->c)))
      v->escapes = true;
  }
}
