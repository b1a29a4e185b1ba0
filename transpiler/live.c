/* live.c -- which variables must survive a suspension, computed on the
 * lowered form (lower.c), temporaries included.
 *
 * A control-flow graph is built over the lowered statements, one node per
 * simple statement or condition, and classic backward liveness is solved
 * on it.  A variable is live across a suspension point (an L_AWAIT) when
 * it is live after it and the await does not assign it on resumption.  A
 * variable whose address may escape, or that has a cleanup, is used where
 * its block ends: from its declaration on, it is live until then.
 *
 * The same graph gives the state graph of --emit=dot (which await can
 * follow which) and which variables are live at the same time, so that
 * frame.c may give disjoint ones the same storage. */
#include "transpiler.h"

#include <stdint.h>
#include <string.h>

typedef uint64_t Word;
enum { WORD_BITS = 64 };

static bool bit_has(const Word *set, int i) {
  return set[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

static void bit_set(Word *set, int i) {
  set[i / WORD_BITS] |= (Word)1 << (i % WORD_BITS);
}

typedef struct Block Block;
struct Block {
  LStmt *st;     /* the statement, when it suspends or returns; else NULL */
  Vec succ;      /* Block * */
  Word *use, *kill, *def, *in, *out;
  AwaitSite *aw; /* a suspension point */
  bool is_exit;
  int seen;
};

typedef struct {
  AsyncFn *fn;
  Arena *a;
  int nvars, nwords;
  Vec blocks;
  Map labels;    /* label name -> Block * */
  Vec label_blocks;
  Block *exit;
  int search;
  Block **stack;
  Vec in_scope;  /* Var * declared so far in the enclosing blocks whose
                    address may be held or that have a cleanup */
} Cfg;

typedef struct {
  Block *brk, *cont;
  Vec *cases;      /* Block * of the enclosing switch's labels */
  bool *has_default;
} Ctx;

static Block *new_block(Cfg *g) {
  Block *b = arena_alloc(g->a, sizeof *b);
  size_t n = (size_t)g->nwords;
  b->use = arena_alloc(g->a, sizeof(Word) * n * 5);
  b->kill = b->use + n;
  b->def = b->kill + n;
  b->in = b->def + n;
  b->out = b->in + n;
  vec_push(g->a, &g->blocks, b);
  return b;
}

static void edge(Cfg *g, Block *from, Block *to) {
  if (to)
    vec_push(g->a, &from->succ, to);
}

/* A variable the analysis follows: the function's own automatic ones,
 * not those a statement expression keeps to itself. */
static bool followed(Var *v) { return v->automatic && !v->in_stmt_expr; }

static void expr_vars(Cfg *g, Block *b, const Expr *e) {
  for (int i = 0; e && i < e->n; i++) {
    const Piece *p = &e->p[i];
    if (p->kind == P_MACRO) {
      expr_vars(g, b, p->alt);
    } else if (p->kind == P_VAR && followed(p->var)) {
      bit_set(p->def ? b->def : b->use, p->var->index);
    }
  }
}

static void use_var(Block *b, Var *v) {
  if (v && followed(v))
    bit_set(b->use, v->index);
}

static void kill_var(Block *b, Var *v) {
  if (v && followed(v) && !bit_has(b->use, v->index)) {
    bit_set(b->kill, v->index);
    bit_set(b->def, v->index);
  }
}

/* A node for a simple statement or a condition. */
static Block *simple(Cfg *g, LStmt *s, const Expr *e, Block *next) {
  Block *b = new_block(g);
  expr_vars(g, b, e);
  for (int i = 0; s && i < s->cleanups.len; i++)
    use_var(b, s->cleanups.items[i]);
  edge(g, b, next);
  return b;
}

static Block *build(Cfg *g, LStmt *s, Block *next, Ctx ctx);

/* Uses at a block's end: what escapes, and what has a cleanup. */
static Block *block_end(Cfg *g, LStmt *block, Block *next) {
  Block *b = NULL;
  for (int i = 0; i < block->kids.len; i++) {
    LStmt *k = block->kids.items[i];
    for (int j = 0; j < (k->decl_group ? k->kids.len : 1); j++) {
      LStmt *d = k->decl_group ? k->kids.items[j] : k;
      if (d->kind != L_DECL || !d->var ||
          !(d->var->escapes || d->var->cleanup))
        continue;
      if (!b)
        b = simple(g, NULL, NULL, next);
      use_var(b, d->var);
    }
  }
  return b ? b : next;
}

/* Whether the variable is used at its block's end (block_end). */
static bool held_to_end(LStmt *d) {
  return d->kind == L_DECL && d->var && (d->var->escapes || d->var->cleanup);
}

/* Kids are built last to first; while kid i is built, g->in_scope ends
 * with the held variables that kids 0..i-1 declare.  Building a kid may
 * push past that, over entries that only later kids declare. */
static Block *build_seq(Cfg *g, LStmt *block, Block *next, Ctx ctx) {
  if (!block->scope) {
    for (int i = block->kids.len - 1; i >= 0; i--)
      next = build(g, block->kids.items[i], next, ctx);
    return next;
  }
  next = block_end(g, block, next);
  int base = g->in_scope.len;
  int *before = arena_alloc(g->a, sizeof(int) * (size_t)(block->kids.len + 1));
  for (int i = 0; i < block->kids.len; i++) {
    LStmt *k = block->kids.items[i];
    before[i] = g->in_scope.len - base;
    for (int j = 0; j < (k->decl_group ? k->kids.len : 1); j++) {
      LStmt *d = k->decl_group ? k->kids.items[j] : k;
      if (held_to_end(d))
        vec_push(g->a, &g->in_scope, d->var);
    }
  }
  Vec held = g->in_scope; /* the items, while each kid truncates len */
  for (int i = block->kids.len - 1; i >= 0; i--) {
    g->in_scope = held;
    g->in_scope.len = base + before[i];
    next = build(g, block->kids.items[i], next, ctx);
  }
  g->in_scope = held;
  g->in_scope.len = base;
  return next;
}

static Block *build_decl(Cfg *g, LStmt *s, Block *next) {
  Block *b = simple(g, s, s->e[0], next);
  kill_var(b, s->var);
  return b;
}

static Block *build_await(Cfg *g, LStmt *s, Block *next) {
  Block *b = simple(g, s, s->e[0], next);
  expr_vars(g, b, s->e[1]); /* a called pointer */
  for (int i = 0; i < s->uses.len; i++)
    use_var(b, s->uses.items[i]);
  if (s->var && followed(s->var)) {
    bit_set(b->kill, s->var->index);
    bit_set(b->def, s->var->index);
  }
  b->aw = s->aw;
  b->st = s;
  /* A suspended function may be dropped instead of resumed: its held
   * variables are used then (drop runs the cleanups; the runtime may
   * still hold an address).  So they live across every suspension in
   * their scope, even one no path leads on from. */
  if (g->in_scope.len) {
    Block *drop = new_block(g);
    for (int i = 0; i < g->in_scope.len; i++)
      use_var(drop, g->in_scope.items[i]);
    edge(g, b, drop);
  }
  return b;
}

static Block *build_if(Cfg *g, LStmt *s, Block *next, Ctx ctx) {
  Block *c = simple(g, s, s->e[0], NULL);
  edge(g, c, build(g, s->body, next, ctx));
  edge(g, c, s->els ? build(g, s->els, next, ctx) : next);
  return c;
}

static Block *build_while(Cfg *g, LStmt *s, Block *next, Ctx up) {
  Block *c = simple(g, s, s->e[0], NULL);
  Ctx loop = {next, c, up.cases, up.has_default};
  edge(g, c, build(g, s->body, c, loop));
  edge(g, c, next);
  return c;
}

static Block *build_do(Cfg *g, LStmt *s, Block *next, Ctx up) {
  Block *c = simple(g, s, s->e[0], NULL);
  Ctx loop = {next, c, up.cases, up.has_default};
  Block *body = build(g, s->body, c, loop);
  edge(g, c, body);
  edge(g, c, next);
  return body;
}

static Block *build_for(Cfg *g, LStmt *s, Block *next, Ctx up) {
  Block *c = simple(g, s, s->e[1], NULL);
  Block *inc = s->e[2] ? simple(g, s, s->e[2], c) : c;
  Ctx loop = {next, inc, up.cases, up.has_default};
  edge(g, c, build(g, s->body, inc, loop));
  if (s->e[1])
    edge(g, c, next);
  Block *entry = s->e[0] ? simple(g, s, s->e[0], c) : c;
  if (s->init)
    entry = build(g, s->init, entry, loop);
  return entry;
}

static Block *build_switch(Cfg *g, LStmt *s, Block *next, Ctx up) {
  Block *c = simple(g, s, s->e[0], NULL);
  Vec cases = {0};
  bool has_default = false;
  Ctx sw = {next, up.cont, &cases, &has_default};
  build(g, s->body, next, sw);
  for (int i = 0; i < cases.len; i++)
    edge(g, c, cases.items[i]);
  if (!has_default)
    edge(g, c, next);
  return c;
}

static Block *label_block(Cfg *g, const char *name) {
  Block *b = map_get(&g->labels, hash_str(name), name);
  if (!b) {
    b = new_block(g);
    map_put(&g->labels, hash_str(name), name, b);
    vec_push(g->a, &g->label_blocks, b);
  }
  return b;
}

static Block *build_jump(Cfg *g, LStmt *s, Block *target) {
  Block *b = simple(g, s, s->e[0], NULL);
  for (int i = 0; i < s->uses.len; i++)
    use_var(b, s->uses.items[i]);
  if (target) {
    edge(g, b, target);
  } else {
    /* goto *e: any label whose address is taken; all, to be safe. */
    for (int i = 0; i < g->label_blocks.len; i++)
      edge(g, b, g->label_blocks.items[i]);
  }
  return b;
}

static Block *build(Cfg *g, LStmt *s, Block *next, Ctx ctx) {
  if (!s)
    return next;
  switch (s->kind) {
  case L_BLOCK:
    return build_seq(g, s, next, ctx);
  case L_DECL:
    return build_decl(g, s, next);
  case L_EXPR: {
    Block *b = simple(g, s, s->e[0], next);
    kill_var(b, s->kill);
    return b;
  }
  case L_AWAIT:
    return build_await(g, s, next);
  case L_IF:
    return build_if(g, s, next, ctx);
  case L_WHILE:
    return build_while(g, s, next, ctx);
  case L_DO:
    return build_do(g, s, next, ctx);
  case L_FOR:
    return build_for(g, s, next, ctx);
  case L_SWITCH:
    return build_switch(g, s, next, ctx);
  case L_CASE:
  case L_DEFAULT: {
    Block *b = simple(g, s, NULL, next);
    if (ctx.cases)
      vec_push(g->a, ctx.cases, b);
    if (s->kind == L_DEFAULT && ctx.has_default)
      *ctx.has_default = true;
    return b;
  }
  case L_LABEL: {
    Block *b = label_block(g, s->label);
    edge(g, b, next);
    return b;
  }
  case L_GOTO:
    return build_jump(g, s, label_block(g, s->label));
  case L_IGOTO:
    return build_jump(g, s, NULL);
  case L_BREAK:
    return build_jump(g, s, ctx.brk ? ctx.brk : next);
  case L_CONTINUE:
    return build_jump(g, s, ctx.cont ? ctx.cont : next);
  case L_RETURN:
    return build_jump(g, s, g->exit);
  case L_GEN:
  case L_VERBATIM:
  case L_NULL:
  default:
    return simple(g, s, s->e[0], next);
  }
}

/* ---- Solving -------------------------------------------------------------- */

/* The graph is built backwards, so a block mostly comes after its
 * successors in g->blocks: sweeping in that order, a pass carries
 * liveness through straight-line code, and each loop costs one more. */
static void solve(Cfg *g) {
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

/* What lives across each suspension: live after it, and not what it
 * assigns on resumption. */
static void mark_live_across(Cfg *g) {
  AsyncFn *fn = g->fn;
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (!b->aw)
      continue;
    for (int v = 0; v < g->nvars; v++) {
      bool live = bit_has(b->out, v) && !bit_has(b->kill, v);
      /* A combinator's branches run their expressions at later polls. */
      for (int k = 0; !live && b->st && k < b->st->uses.len; k++)
        live = ((Var *)b->st->uses.items[k])->index == v;
      if (!live)
        continue;
      Var *var = fn->vars.items[v];
      var->live_across = true;
      if (!vec_has(&b->aw->live, var))
        vec_push(g->a, &b->aw->live, var);
    }
  }
}

/* ---- Variables live together ---------------------------------------------- */

/* Two variables interfere when both are present at one node: live into
 * or out of it, or written by it. */
static void interference(Cfg *g) {
  AsyncFn *fn = g->fn;
  int n = g->nvars;
  Word *m = arena_alloc(g->a, sizeof(Word) * (size_t)(n * g->nwords + 1));
  int *present = arena_alloc(g->a, sizeof(int) * (size_t)(n + 1));
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    int count = 0;
    for (int v = 0; v < n; v++)
      if (bit_has(b->in, v) || bit_has(b->out, v) || bit_has(b->def, v))
        present[count++] = v;
    for (int x = 0; x < count; x++)
      for (int y = 0; y < count; y++)
        bit_set(&m[(size_t)present[x] * (size_t)g->nwords], present[y]);
  }
  fn->interference = m;
  fn->interference_words = g->nwords;
}

bool live_disjoint(AsyncFn *fn, Var *a, Var *b) {
  if (!fn->interference)
    return false;
  return !bit_has(&fn->interference[(size_t)a->index *
                                    (size_t)fn->interference_words],
                  b->index);
}

/* ---- The state graph ------------------------------------------------------ */

/* Collects the first suspension points reachable from `from`'s
 * successors; `done` is set when the function can finish without one. */
static void next_awaits(Cfg *g, Block *from, Vec *out, bool *done) {
  int search = ++g->search;
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
    if (b->aw) {
      if (!vec_has(out, b->aw))
        vec_push(g->a, out, b->aw);
      continue;
    }
    for (int i = 0; i < b->succ.len; i++)
      stack[top++] = b->succ.items[i];
  }
}

static void state_graph(Cfg *g, Block *entry) {
  AsyncFn *fn = g->fn;
  size_t edges = 1;
  for (int i = 0; i < g->blocks.len; i++)
    edges += (size_t)((Block *)g->blocks.items[i])->succ.len;
  g->stack = arena_alloc(g->a, sizeof *g->stack * 2 * edges);
  Block start = {0};
  vec_push(g->a, &start.succ, entry);
  next_awaits(g, &start, &fn->start_next, &fn->start_done);
  for (int i = 0; i < g->blocks.len; i++) {
    Block *b = g->blocks.items[i];
    if (b->aw)
      next_awaits(g, b, &b->aw->next, &b->aw->done);
  }
}

void live_compute(AsyncFn *fn) {
  Cfg g = {.fn = fn, .a = fn->tu->arena};
  g.nvars = fn->vars.len;
  g.nwords = g.nvars / WORD_BITS + 1;
  map_init(&g.labels, g.a, map_eq_str);
  g.exit = new_block(&g);
  g.exit->is_exit = true;
  Ctx top = {NULL, NULL, NULL, NULL};
  Block *entry = build(&g, fn->lbody, g.exit, top);
  solve(&g);
  mark_live_across(&g);
  interference(&g);
  state_graph(&g, entry);
}
