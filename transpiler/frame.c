/* frame.c -- decides what lives in each frame and names everything the
 * generated code adds, so that no generated name collides with a user's.
 *
 * A local is saved in the frame when liveness (live.c) finds it live at an
 * await, or when its address may escape and its block holds an await.
 * Parameters are always saved: init copies them in before the first poll.
 * Static and extern locals stay where they are. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

/* Frame member names generated code uses besides the user's. */
static const char *const reserved_fields[] = {"state", "result", "sub"};

static bool field_taken(AsyncFn *fn, const char *name) {
  for (size_t i = 0; i < sizeof reserved_fields / sizeof *reserved_fields;
       i++)
    if (strcmp(reserved_fields[i], name) == 0)
      return true;
  Vec *lists[] = {&fn->params, &fn->locals};
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < lists[l]->len; i++) {
      Var *v = lists[l]->items[i];
      if (v->field && strcmp(v->field, name) == 0)
        return true;
    }
  for (int i = 0; i < fn->temps.len; i++)
    if (strcmp(((Temp *)fn->temps.items[i])->name, name) == 0)
      return true;
  /* fr->name would expand a macro of that name. */
  return names_has(&fn->tu->macro_names, name);
}

static char *unique_field(AsyncFn *fn, const char *base) {
  Arena *a = fn->tu->arena;
  char *name = arena_strdup(a, base);
  for (int n = 2; field_taken(fn, name); n++)
    name = arena_printf(a, "%s_%d", base, n);
  return name;
}

/* x followed by y, in the arena: names are built this way rather than
 * with arena_printf, whose formatting costs several times the copying. */
static char *concat(Arena *a, const char *x, const char *y) {
  size_t nx = strlen(x), ny = strlen(y);
  char *s = arena_alloc(a, nx + ny + 1);
  memcpy(s, x, nx);
  memcpy(s + nx, y, ny + 1);
  return s;
}

/* A name for generated code inside the poll function: not spelled anywhere
 * in the user's function, so it can neither shadow nor be shadowed.  The
 * name starts as `name`, which is already in the arena. */
static char *unique_ident_from(AsyncFn *fn, char *name) {
  Arena *a = fn->tu->arena;
  while (name_is_used(fn, name))
    name = concat(a, name, "_");
  names_add(a, &fn->used_names, name, strlen(name));
  return name;
}

static char *unique_ident(AsyncFn *fn, const char *base) {
  return unique_ident_from(fn, arena_strdup(fn->tu->arena, base));
}

static Node *declaring_scope(Node *decl) {
  for (Node *n = decl->parent; n; n = n->parent)
    if (n->ck == CXCursor_CompoundStmt || n->ck == CXCursor_ForStmt)
      return n;
  return NULL;
}

static bool is_automatic(Var *v) {
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(v->decl->c);
  return sc != CX_SC_Static && sc != CX_SC_Extern;
}

static void decide_saved(AsyncFn *fn) {
  for (int i = 0; i < fn->params.len; i++) {
    Var *v = fn->params.items[i];
    v->saved = true;
    v->field = unique_field(fn, v->name[0] ? v->name : "arg");
  }
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    Node *scope = declaring_scope(v->decl);
    v->saved = is_automatic(v) && scope &&
               (v->live_across || (v->escapes && scope->has_await));
    if (v->saved)
      v->field = unique_field(fn, v->name);
  }
}

/* Writes the decimal digits of u before `end`; returns where they start. */
static char *put_digits(char *end, unsigned u) {
  do
    *--end = (char)('0' + u % 10);
  while (u /= 10);
  return end;
}

/* An await is named by its line, and by its rank among the awaits of
 * that line from the second on: "12", "12_2". */
static void await_suffix(char *buf, size_t size, unsigned line, int dup) {
  char *end = buf + size - 1;
  *end = '\0';
  char *p = dup > 1 ? put_digits(end, (unsigned)dup) : end;
  if (dup > 1)
    *--p = '_';
  p = put_digits(p, line);
  memmove(buf, p, (size_t)(end - p) + 1);
}

static void name_awaits(AsyncFn *fn) {
  Arena *a = fn->tu->arena;
  char *state_prefix = concat(a, fn->upper, "_L");
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    int dup = 1;
    for (int j = 0; j < i; j++)
      dup += ((AwaitSite *)fn->awaits.items[j])->line == aw->line;
    char suffix[32];
    await_suffix(suffix, sizeof suffix, aw->line, dup);
    aw->state = concat(a, state_prefix, suffix);
    aw->label = unique_ident_from(fn, concat(a, "resume_", suffix));
    aw->sub = concat(a, "await_", suffix);
  }
}

char *frame_new_temp(AsyncFn *fn, CXType type, const char *hint) {
  Arena *a = fn->tu->arena;
  Temp *t = arena_alloc(a, sizeof *t);
  t->name = unique_field(fn, hint);
  t->type = type;
  vec_push(a, &fn->temps, t);
  return t->name;
}

char *frame_new_flag(AsyncFn *fn, const char *hint) {
  Arena *a = fn->tu->arena;
  Temp *t = arena_alloc(a, sizeof *t);
  t->name = unique_field(fn, hint);
  t->is_flag = true;
  vec_push(a, &fn->temps, t);
  return t->name;
}

char *frame_new_label(AsyncFn *fn, const char *base) {
  return unique_ident(fn, base);
}

void frame_layout(AsyncFn *fn) {
  decide_saved(fn);
  name_awaits(fn);
  fn->self = unique_ident(fn, "self");
  fn->fr = unique_ident(fn, "fr");
  fn->cx = unique_ident(fn, "cx");
}
