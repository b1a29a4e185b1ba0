/* layout.c -- the shape of each frame, as a tree of fields, structs and
 * unions, with C's size and alignment rules applied.  emit.c prints the
 * frame struct from this tree and `--emit=layout` prints its offsets, so
 * the two cannot disagree.
 *
 * Locals of sibling blocks never live at the same time, so their fields go
 * into a union of anonymous structs (C11) and share storage; references to
 * them keep the plain `fr->name` form. */
#include "transpiler.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static Slot *new_slot(Arena *a, SlotKind kind, const char *name) {
  Slot *s = arena_alloc(a, sizeof *s);
  s->kind = kind;
  s->name = name;
  return s;
}

static long long align_up(long long n, long long a) {
  return a > 1 ? (n + a - 1) / a * a : n;
}

static Slot *field(Arena *a, CXType t, const char *name) {
  Slot *s = new_slot(a, SLOT_FIELD, name);
  s->decl = decl_declarator(a, t, name, true);
  s->size = clang_Type_getSizeOf(t);
  s->align = clang_Type_getAlignOf(t);
  return s;
}

/* A saved local's field, keeping its alignment specifier. */
static Slot *var_field(Arena *a, Var *v) {
  Slot *s = field(a, clang_getCursorType(v->decl->c), v->field);
  if (v->align_spec) {
    s->decl = arena_printf(a, "%s %s", v->align_spec, s->decl);
    if (v->align_value > s->align)
      s->align = v->align_value;
  }
  return s;
}

/* Computes the size and alignment of structs and unions, and the offsets
 * of their members relative to the aggregate. */
static void measure(Slot *s) {
  if (s->kind == SLOT_FIELD)
    return;
  long long size = 0, align = 1;
  for (int i = 0; i < s->kids.len; i++) {
    Slot *k = s->kids.items[i];
    measure(k);
    if (k->align > align)
      align = k->align;
    if (s->kind == SLOT_UNION) {
      k->offset = 0;
      if (k->size > size)
        size = k->size;
    } else {
      k->offset = align_up(size, k->align);
      size = k->offset + k->size;
    }
  }
  s->align = align;
  s->size = align_up(size, align);
}

static Node *scope_of(Node *decl) {
  for (Node *n = decl->parent; n; n = n->parent)
    if (n->ck == CXCursor_CompoundStmt || n->ck == CXCursor_ForStmt)
      return n;
  return NULL;
}

/* The nodes that have a saved local in a scope at or below them: every
 * node from each saved local's scope up to the root.  Knowing them, the
 * search for scopes below a node visits only the branches that lead to
 * one.  A set of pointers with open addressing, at most half full. */
typedef struct {
  Node **slots;
  size_t mask;
} Holders;

static size_t holder_slot(const Holders *h, const Node *n) {
  size_t i = (size_t)(((uintptr_t)n >> 4) * 0x9E3779B97F4A7C15u) & h->mask;
  while (h->slots[i] && h->slots[i] != n)
    i = (i + 1) & h->mask;
  return i;
}

static bool is_holder(const Holders *h, const Node *n) {
  return h->slots[holder_slot(h, n)] != NULL;
}

static Holders find_holders(AsyncFn *fn) {
  size_t count = 0;
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    for (Node *s = v->saved ? scope_of(v->decl) : NULL; s; s = s->parent)
      count++;
  }
  size_t size = 16;
  while (size < 2 * count)
    size *= 2;
  Holders h = {arena_alloc(fn->tu->arena, size * sizeof(Node *)), size - 1};
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    for (Node *s = v->saved ? scope_of(v->decl) : NULL; s; s = s->parent)
      h.slots[holder_slot(&h, s)] = s;
  }
  return h;
}

/* Layout of one frame in progress. */
typedef struct {
  AsyncFn *fn;
  Holders holders;
} Layout;

/* The nearest scopes below n that hold saved locals. */
static void child_scopes(Layout *L, Node *n, Vec *out) {
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (!is_holder(&L->holders, k))
      continue;
    if (k->ck == CXCursor_CompoundStmt || k->ck == CXCursor_ForStmt)
      vec_push(L->fn->tu->arena, out, k);
    else
      child_scopes(L, k, out);
  }
}

static void add_scope(Layout *L, Node *scope, Slot *into);

/* A scope's fields as one union member: the field itself when there is
 * only one, else an anonymous struct. */
static Slot *scope_member(Layout *L, Node *scope) {
  Slot *st = new_slot(L->fn->tu->arena, SLOT_STRUCT, NULL);
  add_scope(L, scope, st);
  return st->kids.len == 1 ? st->kids.items[0] : st;
}

static void add_scope(Layout *L, Node *scope, Slot *into) {
  AsyncFn *fn = L->fn;
  Arena *a = fn->tu->arena;
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    if (v->saved && scope_of(v->decl) == scope)
      vec_push(a, &into->kids, var_field(a, v));
  }
  Vec kids = {0};
  child_scopes(L, scope, &kids);
  if (kids.len == 1) {
    add_scope(L, kids.items[0], into);
  } else if (kids.len > 1) {
    Slot *u = new_slot(a, SLOT_UNION, NULL);
    for (int i = 0; i < kids.len; i++)
      vec_push(a, &u->kids, scope_member(L, kids.items[i]));
    vec_push(a, &into->kids, u);
  }
}

/* The definition named `name` among the AsyncFn * in fns, or NULL.  A
 * translation unit that parses has one definition of a name at most. */
static AsyncFn *definition_named(Vec *fns, const char *name) {
  for (int i = 0; i < fns->len; i++) {
    AsyncFn *fn = fns->items[i];
    if (fn->is_definition && strcmp(fn->name, name) == 0)
      return fn;
  }
  return NULL;
}

static long long defined_frame_size(AsyncFn *fn, long long *align) {
  Slot *root = layout_frame(fn);
  *align = root->align;
  return root->size;
}

long long layout_frame_size(Tu *tu, const char *name, long long *align) {
  AsyncFn *fn = definition_named(&tu->fns, name);
  if (fn)
    return defined_frame_size(fn, align);
  const NamedType *t = find_struct(tu, arena_printf(tu->arena, "%s_frame",
                                                    name));
  if (!t)
    internal_error("embedded frame of unknown size");
  *align = clang_Type_getAlignOf(t->type);
  return clang_Type_getSizeOf(t->type);
}

static Slot *sub_frames(AsyncFn *fn) {
  Tu *tu = fn->tu;
  Slot *u = new_slot(tu->arena, SLOT_UNION, "sub");
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind == AW_COMBINE) {
      vec_push(tu->arena, &u->kids, combine_slot(aw, aw->fut, aw->sub));
      continue;
    }
    Slot *s = new_slot(tu->arena, SLOT_FIELD, aw->sub);
    s->decl = arena_printf(tu->arena, "struct %s_frame %s%s", aw->callee_name,
                           aw->dynamic ? "*" : "", aw->sub);
    s->await_line = aw->line;
    /* A callee defined here is among the caller's callees, a shorter
     * list to search than every function. */
    AsyncFn *callee = aw->dynamic ? NULL
                                  : definition_named(&fn->callees,
                                                     aw->callee_name);
    if (aw->dynamic)
      s->size = s->align = (long long)sizeof(void *);
    else if (callee)
      s->size = defined_frame_size(callee, &s->align);
    else
      s->size = layout_frame_size(tu, aw->callee_name, &s->align);
    vec_push(tu->arena, &u->kids, s);
  }
  return u;
}

Slot *layout_frame(AsyncFn *fn) {
  if (fn->layout)
    return fn->layout;
  Arena *a = fn->tu->arena;
  Slot *root = new_slot(a, SLOT_STRUCT, NULL);
  Slot *state = new_slot(a, SLOT_FIELD, "state");
  state->decl = arena_printf(a, "enum %s_state state", fn->name);
  state->size = state->align = (long long)sizeof(int);
  vec_push(a, &root->kids, state);
  if (fn->ret_type)
    vec_push(a, &root->kids,
             field(a, clang_getCursorResultType(fn->decl), "result"));
  /* Parameters as the function receives them: arrays decayed. */
  CXType fnt = clang_getCursorType(fn->decl);
  for (int i = 0; i < fn->params.len; i++) {
    Var *v = fn->params.items[i];
    Slot *f = field(a, clang_getArgType(fnt, (unsigned)i), v->field);
    f->decl =
        decl_param(a, clang_getArgType(fnt, (unsigned)i), v->field, true);
    vec_push(a, &root->kids, f);
  }
  Layout L = {fn, find_holders(fn)};
  add_scope(&L, fn->body, root);
  for (int i = 0; i < fn->temps.len; i++) {
    Temp *t = fn->temps.items[i];
    if (t->is_flag) {
      Slot *f = new_slot(a, SLOT_FIELD, t->name);
      f->decl = arena_printf(a, "int %s", t->name);
      f->size = f->align = (long long)sizeof(int);
      vec_push(a, &root->kids, f);
      continue;
    }
    vec_push(a, &root->kids, field(a, t->type, t->name));
  }
  if (fn->awaits.len)
    vec_push(a, &root->kids, sub_frames(fn));
  measure(root);
  fn->layout = root;
  return root;
}

static void print_slot(Buf *b, Slot *s, long long base, int depth) {
  long long off = base + s->offset;
  if (s->kind == SLOT_FIELD) {
    buf_printf(b, "  %6lld %6lld  %*s%s\n", off, s->size, depth * 2, "",
               s->decl);
    return;
  }
  buf_printf(b, "  %6lld %6lld  %*s%s {\n", off, s->size, depth * 2, "",
             s->kind == SLOT_UNION ? "union" : "struct");
  for (int i = 0; i < s->kids.len; i++)
    print_slot(b, s->kids.items[i], off, depth + 1);
  buf_printf(b, "                %*s}%s%s\n", depth * 2, "",
             s->name ? " " : "", s->name ? s->name : "");
}

/* Sums the sizes of every local and parameter the source declares, saved
 * or not: what a frame that saved everything would hold at least. */
static long long all_locals_size(AsyncFn *fn) {
  long long sum = 0;
  Vec *lists[] = {&fn->params, &fn->locals};
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < lists[l]->len; i++) {
      Var *v = lists[l]->items[i];
      long long n = clang_Type_getSizeOf(clang_getCursorType(v->decl->c));
      sum += n > 0 ? n : 0;
    }
  return sum;
}

void layout_print(AsyncFn *fn, Buf *b) {
  Slot *root = layout_frame(fn);
  buf_printf(b, "struct %s_frame: %lld bytes, align %lld (%s:%u)\n", fn->name,
             root->size, root->align, fn->tu->path, fn->line);
  buf_printf(b, "  offset   size  field\n");
  for (int i = 0; i < root->kids.len; i++)
    print_slot(b, root->kids.items[i], 0, 0);
  buf_printf(b, "  locals and parameters declared: %lld bytes in all\n\n",
             all_locals_size(fn));
}
