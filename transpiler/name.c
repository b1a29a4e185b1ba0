/* name.c -- names the generated code uses inside a function: each await's
 * state constant, resume label and sub-frame member, and the frame
 * pointer, context and self parameters.  None may be spelled by the
 * user's function or be a macro, so that they neither shadow nor are
 * shadowed. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

char *name_unique(AsyncFn *fn, const char *base) {
  Arena *a = fn->tu->arena;
  char *name = arena_strdup(a, base);
  for (int n = 2; name_is_used(fn, name); n++)
    name = arena_printf(a, "%s_%d", base, n);
  names_add(&fn->used_names, name, strlen(name));
  return name;
}

/* An await is named by its line, and by its rank among the awaits of
 * that line from the second on: "12", "12_2". */
static char *await_suffix(Arena *a, unsigned line, int dup) {
  if (dup > 1)
    return arena_printf(a, "%u_%d", line, dup);
  return arena_printf(a, "%u", line);
}

static void name_awaits(AsyncFn *fn) {
  Arena *a = fn->tu->arena;
  Map seen; /* line -> how many awaits of that line so far */
  map_init(&seen, a, map_eq_str);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    char key[16];
    snprintf(key, sizeof key, "%u", aw->line);
    int dup = (int)(size_t)map_get(&seen, hash_str(key), key) + 1;
    map_put(&seen, hash_str(key), arena_strdup(a, key), (void *)(size_t)dup);
    char *suffix = await_suffix(a, aw->line, dup);
    aw->state = arena_cat(a, fn->upper, "_L", suffix, NULL);
    aw->label = name_unique(fn, arena_cat(a, "resume_", suffix, NULL));
    aw->sub = arena_cat(a, "await_", suffix, NULL);
  }
}

void name_function(AsyncFn *fn) {
  name_awaits(fn);
  fn->self = name_unique(fn, "self");
  fn->fr = name_unique(fn, "fr");
  fn->cx = name_unique(fn, "cx");
  if (fn->predefined & PREDEF_FUNC)
    fn->func_name = name_unique(fn, "func_name");
  if (fn->predefined & PREDEF_PRETTY)
    fn->pretty_name = name_unique(fn, "pretty_name");
}

void name_budget(AsyncFn *fn, AwaitSite *aw) {
  Arena *a = fn->tu->arena;
  char *suffix = arena_printf(a, "%u", aw->line);
  /* Loops on one line get _2, _3...: count the earlier ones. */
  int dup = 1;
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *o = fn->awaits.items[i];
    if (o != aw && o->kind == AW_BUDGET && o->line == aw->line && o->state)
      dup++;
  }
  if (dup > 1)
    suffix = arena_printf(a, "%u_%d", aw->line, dup);
  aw->state = arena_cat(a, fn->upper, "_L", suffix, "_LOOP", NULL);
  aw->label = name_unique(fn, arena_cat(a, "loop_", suffix, NULL));
  aw->sub = NULL;
}
