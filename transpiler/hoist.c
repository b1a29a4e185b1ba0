/* hoist.c -- types that a frame needs at file scope.
 *
 * The frame struct is declared at file scope, so a saved variable whose
 * type is declared inside the function needs that type there too: the
 * function's type declarations move in front of the frame, in their
 * order.  An unnamed struct, union or enum gets a tag of its own
 * (<function>_anon_<line>) so that the frame and the variables can name
 * it. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

const char *hoist_tag(Tu *tu, CXCursor decl) {
  if (clang_Cursor_isNull(decl) ||
      clang_getCursorKind(decl) == CXCursor_NoDeclFound || !tu->anon_tags.len)
    return NULL;
  return map_get(&tu->anon_tags, map_hash_cursor(decl), &decl);
}

/* Steps from a pointer to what it points to, or from an array to its
 * element type; false for any other type. */
static bool peel(CXType *t) {
  CXType c = clang_getCanonicalType(*t);
  if (c.kind == CXType_Pointer)
    *t = clang_getPointeeType(c);
  else if (decl_is_array(c))
    *t = clang_getArrayElementType(c);
  else
    return false;
  return true;
}

/* True if t, under pointers and arrays, is a builtin type itself (not a
 * typedef of one). */
static bool is_builtin_based(CXType t) {
  for (;;) {
    if (t.kind >= CXType_FirstBuiltin && t.kind <= CXType_LastBuiltin)
      return true;
    if (!peel(&t))
      return false;
  }
}

/* The declaration of t (under pointers and arrays, through typedefs
 * written in the body) when it is declared inside fn's body. */
static CXCursor local_type_decl(AsyncFn *fn, CXType t) {
  CXType base = t;
  while (peel(&base))
    ;
  CXCursor d = clang_getTypeDeclaration(base);
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound)
    return clang_getNullCursor();
  Range body = tree_range(fn->body);
  long off = tu_offset(fn->tu, clang_getCursorLocation(d));
  if (off >= (long)body.start && off < (long)body.end)
    return d;
  /* A typedef written outside may still name a local... no: a typedef's
   * declaration is where it is written. */
  return clang_getNullCursor();
}

static bool is_type_decl(enum CXCursorKind k) {
  return k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
         k == CXCursor_EnumDecl || k == CXCursor_TypedefDecl;
}

/* An unnamed struct, union or enum declared in the body gets a tag, so
 * the frame (at file scope) can name it: <function>_anon_<line>, with
 * _2, _3... for the second and later ones on a line. */
static void name_anonymous(AsyncFn *fn, CXCursor decl) {
  Tu *tu = fn->tu;
  if (hoist_tag(tu, decl))
    return;
  CXCursor *copy = arena_alloc(tu->arena, sizeof *copy);
  *copy = decl;
  long off = tu_offset(tu, clang_getCursorLocation(decl));
  unsigned line = tu_line(tu, off >= 0 ? (unsigned)off : 0);
  int same_line = 0;
  for (int i = 0; i < fn->anon_types.len; i++) {
    CXCursor other = *(CXCursor *)fn->anon_types.items[i];
    long o = tu_offset(tu, clang_getCursorLocation(other));
    same_line += tu_line(tu, o >= 0 ? (unsigned)o : 0) == line;
  }
  vec_push(tu->arena, &fn->anon_types, copy);
  enum CXCursorKind k = clang_getCursorKind(decl);
  const char *kw = k == CXCursor_UnionDecl  ? "union"
                   : k == CXCursor_EnumDecl ? "enum"
                                            : "struct";
  char *tag = same_line ? arena_printf(tu->arena, "%s_anon_%u_%d", fn->name,
                                       line, same_line + 1)
                        : arena_printf(tu->arena, "%s_anon_%u", fn->name, line);
  map_put(&tu->anon_tags, map_hash_cursor(decl), copy,
          arena_printf(tu->arena, "%s %s", kw, tag));
}

static bool fn_has_var(AsyncFn *fn, const char *name) {
  for (int i = 0; i < fn->vars.len; i++)
    if (strcmp(((Var *)fn->vars.items[i])->name, name) == 0)
      return true;
  return false;
}

/* An enum's constants move to file scope with it.  A variable of the same
 * name in the function would then hide a constant the body meant, and a
 * file-scope declaration would clash with it. */
static void check_enumerators(AsyncFn *fn, Node *e) {
  for (int i = 0; i < e->nkids; i++) {
    Node *k = e->kids[i];
    if (k->ck != CXCursor_EnumConstantDecl)
      continue;
    char *name = arena_cxstr(fn->tu->arena, clang_getCursorSpelling(k->c));
    if (fn_has_var(fn, name) || names_has(&fn->tu->file_scope_names, name))
      diag_error(fn->tu, tree_pos(k),
                 "enumerator '%s' declared in an async function moves to "
                 "file scope, where another declaration of '%s' would hide "
                 "or clash with it; rename one of them",
                 name, name);
  }
}

static bool hoisted_has(AsyncFn *fn, const char *name) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *d = fn->hoisted.items[i];
    for (int k = 0; k < d->nkids; k++) {
      char *other =
          arena_cxstr(fn->tu->arena, clang_getCursorSpelling(d->kids[k]->c));
      if (strcmp(other, name) == 0)
        return true;
    }
  }
  return false;
}

/* Types declared in the body move in front of the frame, which needs them:
 * each in a declaration of its own, with names nothing else uses. */
static void collect_type_decls(AsyncFn *fn, Node *n) {
  if (n->ck != CXCursor_DeclStmt) {
    for (int i = 0; i < n->nkids; i++)
      collect_type_decls(fn, n->kids[i]);
    return;
  }
  bool types = false, vars = false;
  for (int i = 0; i < n->nkids; i++) {
    types |= is_type_decl(n->kids[i]->ck);
    vars |= n->kids[i]->ck == CXCursor_VarDecl;
  }
  if (!types)
    return;
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (!is_type_decl(k->ck))
      continue;
    if (k->ck == CXCursor_EnumDecl)
      check_enumerators(fn, k);
    /* `struct { ... } v;`: the variables stay behind and must name the
     * type that moves. */
    if (vars && k->ck != CXCursor_TypedefDecl &&
        clang_Cursor_isAnonymous(k->c)) {
      name_anonymous(fn, k->c);
      continue;
    }
    char *name = arena_cxstr(fn->tu->arena, clang_getCursorSpelling(k->c));
    if (name[0] && (names_has(&fn->tu->file_scope_names, name) ||
                    hoisted_has(fn, name)))
      diag_error(fn->tu, tree_pos(k),
                 "type '%s' declared in an async function moves to file "
                 "scope, where its name is already taken; rename it",
                 name);
  }
  vec_push(fn->tu->arena, &fn->hoisted, n);
}

void hoist_types(AsyncFn *fn) {
  bool needed = false;
  for (int i = fn->nparams; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    if (!v->saved || is_builtin_based(v->type))
      continue;
    CXCursor local = local_type_decl(fn, v->type);
    if (clang_Cursor_isNull(local))
      continue;
    if (clang_Cursor_isAnonymous(local) &&
        clang_getCursorKind(local) != CXCursor_TypedefDecl)
      name_anonymous(fn, local);
    needed = true;
  }
  if (needed)
    collect_type_decls(fn, fn->body);
}
