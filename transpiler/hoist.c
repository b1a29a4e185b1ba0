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

/* A name a declaration moved to file scope may not take: one declared
 * there already, a macro's, one another moved declaration took, or, for
 * an enumerator, a variable of the function (which would hide it). */
static bool taken(AsyncFn *fn, const char *name, bool hides) {
  Tu *tu = fn->tu;
  return names_has(&tu->file_scope_names, name) ||
         names_has(&tu->macro_names, name) ||
         names_has(&tu->hoisted_names, name) ||
         (hides && fn_has_var(fn, name));
}

/* `<function>_<name>`, with _2, _3... until free. */
static char *new_name(AsyncFn *fn, const char *name, bool hides) {
  Arena *a = fn->tu->arena;
  char *base = arena_printf(a, "%s_%s", fn->name, name);
  char *n = base;
  for (int k = 2; taken(fn, n, hides); k++)
    n = arena_printf(a, "%s_%d", base, k);
  return n;
}

/* Renames the token at `off` when it spells `name`. */
static bool rename_token(Tu *tu, long off, const char *name, const char *to) {
  size_t n = strlen(name);
  if (off < 0 || (size_t)off + n > tu->src_len ||
      strncmp(tu->src + off, name, n) != 0 ||
      is_ident_char(tu->src[off + (long)n]))
    return false;
  tu_rename(tu, (Range){(unsigned)off, (unsigned)off + (unsigned)n}, to);
  return true;
}

/* The references to decl in n's subtree: TypeRefs for a type, DeclRefExprs
 * for an enumerator.  Each must be the name written in the file. */
static void rename_refs(AsyncFn *fn, Node *n, CXCursor decl, const char *name,
                        const char *to) {
  if (n->ck == CXCursor_TypeRef || n->ck == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(n->c);
    if (clang_equalCursors(clang_getCanonicalCursor(ref),
                           clang_getCanonicalCursor(decl))) {
      SrcLoc e = tree_end(n);
      size_t len = strlen(name);
      if (e.kind != LOC_FILE || e.off < len ||
          !rename_token(fn->tu, (long)(e.off - len), name, to))
        diag_error(fn->tu, tree_pos(n),
                   "'%s' moves to file scope as '%s', but a macro writes this "
                   "use of it; write the name outside the macro",
                   name, to);
    }
  }
  for (int i = 0; i < n->nkids; i++)
    if (!tree_is_repeat(n, i))
      rename_refs(fn, n->kids[i], decl, name, to);
}

/* Gives a named type (or an enumerator) that moves to file scope a name
 * free there, renaming its declaration and its uses in the function. */
static void name_moved(AsyncFn *fn, Node *k, bool hides) {
  Tu *tu = fn->tu;
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(k->c));
  if (!name[0])
    return;
  if (!taken(fn, name, hides)) {
    names_add(&tu->hoisted_names, name, strlen(name));
    return;
  }
  char *to = new_name(fn, name, hides);
  names_add(&tu->hoisted_names, to, strlen(to));
  if (!rename_token(tu, tu_offset(tu, clang_getCursorLocation(k->c)), name,
                    to)) {
    diag_error(tu, tree_pos(k),
               "'%s' declared in async function '%s' moves to file scope, "
               "where the name is taken, and a macro writes its declaration; "
               "rename it",
               name, fn->name);
    return;
  }
  enum CXCursorKind kind = clang_getCursorKind(k->c);
  if (kind != CXCursor_EnumConstantDecl) {
    const char *kw = kind == CXCursor_StructDecl  ? "struct "
                     : kind == CXCursor_UnionDecl ? "union "
                     : kind == CXCursor_EnumDecl  ? "enum "
                                                  : "";
    CXCursor *copy = arena_alloc(tu->arena, sizeof *copy);
    *copy = k->c;
    map_put(&tu->anon_tags, map_hash_cursor(k->c), copy,
            arena_cat(tu->arena, kw, to, NULL));
  }
  rename_refs(fn, fn->root, k->c, name, to);
}

/* True if n's subtree names something file scope does not see: a local
 * or parameter, or the value of a statement expression. */
static bool uses_local(Node *n) {
  if (n->ck == CXCursor_StmtExpr)
    return true;
  if (n->ck == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(n->c);
    enum CXCursorKind k = clang_getCursorKind(ref);
    if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl)
      return clang_getCursorKind(clang_getCursorSemanticParent(ref)) !=
             CXCursor_TranslationUnit;
  }
  for (int i = 0; i < n->nkids; i++)
    if (uses_local(n->kids[i]))
      return true;
  return false;
}

/* In a declaration that moves, an array size, bit-field width or
 * enumerator value that names a local is a constant all the same: it is
 * written as its value. */
static void constants_for_locals(AsyncFn *fn, Node *n) {
  Tu *tu = fn->tu;
  if (clang_isExpression(n->ck) && uses_local(n)) {
    CXEvalResult r = clang_Cursor_Evaluate(n->c);
    Range at;
    bool done = false;
    if (r && clang_EvalResult_getKind(r) == CXEval_Int &&
        tree_exact_range(n, &at)) {
      char *v = clang_EvalResult_isUnsignedInt(r)
                    ? arena_printf(tu->arena, "%llu",
                                   clang_EvalResult_getAsUnsigned(r))
                    : arena_printf(tu->arena, "%lld",
                                   clang_EvalResult_getAsLongLong(r));
      tu_rename(tu, at, v);
      done = true;
    }
    if (r)
      clang_EvalResult_dispose(r);
    if (!done)
      diag_error(tu, tree_pos(n),
                 "a type declared in async function '%s' moves to file "
                 "scope, where this expression means nothing; declare the "
                 "type outside the function",
                 fn->name);
    return;
  }
  for (int i = 0; i < n->nkids; i++)
    constants_for_locals(fn, n->kids[i]);
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
    constants_for_locals(fn, k);
    if (k->ck == CXCursor_EnumDecl)
      for (int e = 0; e < k->nkids; e++)
        if (k->kids[e]->ck == CXCursor_EnumConstantDecl)
          name_moved(fn, k->kids[e], true);
    /* `struct { ... } v;`: the variables stay behind and must name the
     * type that moves. */
    if (vars && k->ck != CXCursor_TypedefDecl &&
        clang_Cursor_isAnonymous(k->c)) {
      name_anonymous(fn, k->c);
      continue;
    }
    name_moved(fn, k, false);
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
