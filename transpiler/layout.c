/* layout.c -- the shape of each frame, as a tree of fields, structs and
 * unions, with C's size and alignment rules applied.  emit.c prints the
 * frame struct from this tree and `--emit=layout` prints its offsets, so
 * the two cannot disagree.
 *
 * Variables that share storage (frame.c) are members of one anonymous
 * union (C11), so references to them keep the plain `fr->name` form. */
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

static Slot *field(Tu *tu, CXType t, const char *name) {
  Slot *s = new_slot(tu->arena, SLOT_FIELD, name);
  s->decl = decl_declarator(tu, t, name, true);
  s->size = clang_Type_getSizeOf(t);
  s->align = clang_Type_getAlignOf(t);
  return s;
}

/* A saved variable's field, keeping its alignment specifier. */
static Slot *var_field(Tu *tu, Var *v) {
  Slot *s;
  if (v->kind == VAR_PARAM) {
    s = field(tu, v->type, v->field);
    s->decl = decl_param(tu, v->type, v->field, true);
  } else {
    s = field(tu, v->type, v->field);
  }
  if (v->align_spec) {
    s->decl = arena_printf(tu->arena, "%s %s", v->align_spec, s->decl);
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

/* The definition named `name` among the AsyncFn * in fns, or NULL. */
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

long long layout_struct_size(Tu *tu, const char *tag, long long *align) {
  const CXType *t = find_struct(tu, tag);
  if (!t)
    internal_error("a runtime struct asyncc.h should declare is missing");
  *align = clang_Type_getAlignOf(*t);
  return clang_Type_getSizeOf(*t);
}

long long layout_frame_size(Tu *tu, const char *name, long long *align) {
  AsyncFn *fn = definition_named(&tu->fns, name);
  if (fn)
    return defined_frame_size(fn, align);
  const CXType *t = find_struct(tu, arena_printf(tu->arena, "%s_frame", name));
  if (!t)
    internal_error("embedded frame of unknown size");
  *align = clang_Type_getAlignOf(*t);
  return clang_Type_getSizeOf(*t);
}

static Slot *sub_frames(AsyncFn *fn) {
  Tu *tu = fn->tu;
  Slot *u = new_slot(tu->arena, SLOT_UNION, "sub");
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind == AW_BUDGET)
      continue;
    if (aw->kind == AW_COMBINE) {
      vec_push(tu->arena, &u->kids, combine_slot(aw, aw->fut, aw->sub));
      continue;
    }
    Slot *s = new_slot(tu->arena, SLOT_FIELD, aw->sub);
    if (aw->kind == AW_STUB) {
      s->decl = arena_printf(tu->arena, "struct ac_dyn %s", aw->sub);
      s->size = layout_struct_size(tu, "ac_dyn", &s->align);
      vec_push(tu->arena, &u->kids, s);
      continue;
    }
    s->decl = arena_printf(tu->arena, "struct %s_frame %s%s", aw->callee_name,
                           aw->dynamic ? "*" : "", aw->sub);
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
  Tu *tu = fn->tu;
  Arena *a = tu->arena;
  Slot *root = new_slot(a, SLOT_STRUCT, NULL);
  Slot *state = new_slot(a, SLOT_FIELD, "state");
  state->decl = arena_printf(a, "enum %s_state state", fn->name);
  state->size = state->align = (long long)sizeof(int);
  vec_push(a, &root->kids, state);
  if (fn->ret_type)
    vec_push(a, &root->kids,
             field(tu, clang_getCursorResultType(fn->decl), "result"));
  for (int i = 0; i < fn->nparams; i++)
    vec_push(a, &root->kids, var_field(tu, fn->vars.items[i]));
  for (int i = 0; i < fn->slots.len; i++) {
    Vec *slot = fn->slots.items[i];
    if (slot->len == 1) {
      vec_push(a, &root->kids, var_field(tu, slot->items[0]));
      continue;
    }
    Slot *u = new_slot(a, SLOT_UNION, NULL);
    for (int k = 0; k < slot->len; k++)
      vec_push(a, &u->kids, var_field(tu, slot->items[k]));
    vec_push(a, &root->kids, u);
  }
  bool subs = false;
  for (int i = 0; i < fn->awaits.len; i++)
    subs |= ((AwaitSite *)fn->awaits.items[i])->kind != AW_BUDGET;
  if (subs)
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
  for (int i = 0; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    if (v->kind == VAR_TEMP)
      continue;
    long long n = clang_Type_getSizeOf(v->type);
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
