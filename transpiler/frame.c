/* frame.c -- decides what lives in each frame, and where.
 *
 * A variable is saved in the frame when liveness (live.c) finds it live
 * across a suspension; temporaries the lowering made are treated the same
 * way.  Parameters are always saved: init copies them in before the
 * first poll.  Static and extern locals stay where they are, and so do
 * the locals of a statement expression that no await splits.
 *
 * Saved variables that are never live at the same time share storage:
 * each goes into the first slot whose variables are all disjoint from it
 * (live_disjoint), and a slot of several is a union in the frame. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Frame member names generated code uses besides the user's. */
static const char *const reserved_fields[] = {"state", "result", "sub"};

static bool field_taken(AsyncFn *fn, Map *fields, const char *name) {
  for (size_t i = 0; i < sizeof reserved_fields / sizeof *reserved_fields;
       i++)
    if (strcmp(reserved_fields[i], name) == 0)
      return true;
  /* fr->name would expand a macro of that name. */
  return names_has(fields, name) || names_has(&fn->tu->macro_names, name);
}

static char *unique_field(AsyncFn *fn, Map *fields, const char *base) {
  Arena *a = fn->tu->arena;
  char *name = arena_strdup(a, base);
  for (int n = 2; field_taken(fn, fields, name); n++)
    name = arena_printf(a, "%s_%d", base, n);
  names_add(fields, name, strlen(name));
  return name;
}

static bool disjoint_from_all(AsyncFn *fn, Vec *slot, Var *v) {
  for (int i = 0; i < slot->len; i++)
    if (!live_disjoint(fn, slot->items[i], v))
      return false;
  return true;
}

static long long var_size(Var *v) {
  long long n = clang_Type_getSizeOf(v->type);
  return n > 0 ? n : 0;
}

/* Largest first, then in declaration order. */
static int by_size(const void *pa, const void *pb) {
  Var *a = *(Var *const *)pa, *b = *(Var *const *)pb;
  long long sa = var_size(a), sb = var_size(b);
  if (sa != sb)
    return sa < sb ? 1 : -1;
  return a->index - b->index;
}

static int by_first_member(const void *pa, const void *pb) {
  Vec *a = *(Vec *const *)pa, *b = *(Vec *const *)pb;
  return ((Var *)a->items[0])->index - ((Var *)b->items[0])->index;
}

static int by_index(const void *pa, const void *pb) {
  return (*(Var *const *)pa)->index - (*(Var *const *)pb)->index;
}

/* Slots are filled largest variable first, each variable going where it
 * grows a slot least, so that small variables fill the room big ones
 * leave.  The frame then lists slots and their members in declaration
 * order, as the reader wrote them.  Variables with an alignment of their
 * own keep a slot to themselves, so that a union never needs more
 * alignment than its members say. */
static void share_storage(AsyncFn *fn) {
  Arena *a = fn->tu->arena;
  Vec order = {0};
  for (int i = fn->nparams; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    if (v->saved)
      vec_push(a, &order, v);
  }
  if (order.len)
    qsort(order.items, order.len, sizeof *order.items, by_size);
  Vec sizes = {0}; /* the largest member of each slot, as a long long * */
  for (int i = 0; i < order.len; i++) {
    Var *v = order.items[i];
    int home = -1;
    long long growth = 0;
    for (int s = 0; s < fn->slots.len && !v->align_spec; s++) {
      Vec *slot = fn->slots.items[s];
      if (((Var *)slot->items[0])->align_spec ||
          !disjoint_from_all(fn, slot, v))
        continue;
      long long have = *(long long *)sizes.items[s];
      long long g = var_size(v) > have ? var_size(v) - have : 0;
      if (home < 0 || g < growth)
        home = s, growth = g;
    }
    if (home < 0) {
      Vec *slot = arena_alloc(a, sizeof *slot);
      vec_push(a, &fn->slots, slot);
      long long *size = arena_alloc(a, sizeof *size);
      vec_push(a, &sizes, size);
      home = fn->slots.len - 1;
    }
    vec_push(a, fn->slots.items[home], v);
    long long *have = sizes.items[home];
    if (var_size(v) > *have)
      *have = var_size(v);
  }
  for (int s = 0; s < fn->slots.len; s++) {
    Vec *slot = fn->slots.items[s];
    qsort(slot->items, slot->len, sizeof *slot->items, by_index);
  }
  if (fn->slots.len)
    qsort(fn->slots.items, fn->slots.len, sizeof *fn->slots.items,
          by_first_member);
}

void frame_decide(AsyncFn *fn) {
  Map fields;
  map_init(&fields, fn->tu->arena, map_eq_str);
  for (int i = 0; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    if (v->kind == VAR_PARAM)
      v->saved = true;
    else
      v->saved = v->automatic && !v->in_stmt_expr && v->live_across;
    if (v->saved)
      v->field = unique_field(fn, &fields, v->name[0] ? v->name : "arg");
  }
  share_storage(fn);
}
