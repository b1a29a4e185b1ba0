/* check.c -- refuses what cannot be transformed correctly, with a
 * diagnostic at the offending construct.  Nothing is ever miscompiled: a
 * construct the lowering does not understand is refused here. */
#include "transpiler.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static const char *const setjmp_names[] = {"setjmp", "_setjmp", "sigsetjmp",
                                           "__sigsetjmp", "savectx"};

static bool is_one_of(const char *name, const char *const *names,
                      size_t count) {
  bool hit = false;
  for (size_t i = 0; i < count; i++)
    hit |= strcmp(name, names[i]) == 0;
  return hit;
}

/* Whether n is a call of a function named in `names`. */
static bool is_call_to(Node *n, const char *const *names, size_t count) {
  if (n->ck != CXCursor_CallExpr)
    return false;
  CXString s = clang_getCursorSpelling(n->c);
  bool hit = is_one_of(clang_getCString(s), names, count);
  clang_disposeString(s);
  return hit;
}

/* An await in an unevaluated operand would never run. */
static const char *unevaluated_context(Node *n) {
  for (Node *child = n, *p = n->parent; p; child = p, p = p->parent) {
    if (p->ck == CXCursor_UnaryExpr)
      return "the operand of 'sizeof' or '_Alignof'";
    if (p->ck == CXCursor_GenericSelectionExpr)
      return "a '_Generic' selection";
    /* Below a declaration but not in its initialiser, or below a cast but
     * not in its operand (the last child): in a type, as with typeof. */
    bool in_type = false;
    if (p->ck == CXCursor_VarDecl) {
      CXCursor init = clang_Cursor_getVarDeclInitializer(p->c);
      in_type = clang_Cursor_isNull(init) ||
                !clang_equalCursors(init, child->c);
    } else if (p->ck == CXCursor_CStyleCastExpr ||
               p->ck == CXCursor_CompoundLiteralExpr) {
      in_type = child != p->kids[p->nkids - 1];
    } else if (p->ck == CXCursor_TypedefDecl || p->ck == CXCursor_FieldDecl ||
               p->ck == CXCursor_ParmDecl) {
      in_type = true;
    }
    if (in_type)
      return "a type";
  }
  return NULL;
}

/* Operators whose operands are evaluated conditionally or in sequence can
 * only be lowered when they are written in the file, not in a macro body. */
static bool is_sequencing(Node *n) {
  if (n->ck == CXCursor_ConditionalOperator)
    return true;
  if (n->ck != CXCursor_BinaryOperator)
    return false;
  enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(n->c);
  return k == CXBinaryOperator_LAnd || k == CXBinaryOperator_LOr ||
         k == CXBinaryOperator_Comma;
}

static bool kids_in_order(Node *n) {
  for (int i = 0; i + 1 < n->nkids; i++)
    if (tree_range(n->kids[i]).end > tree_range(n->kids[i + 1]).start)
      return false;
  return n->nkids > 0 && tree_range(n->kids[0]).start >= tree_range(n).start &&
         tree_range(n->kids[n->nkids - 1]).end <= tree_range(n).end &&
         (tree_range(n->kids[0]).start > tree_range(n).start ||
          tree_range(n->kids[n->nkids - 1]).end < tree_range(n).end ||
          tree_range(n->kids[0]).end < tree_range(n->kids[n->nkids - 1]).start);
}

/* The comma of a marker macro: (ac__mark_await(), (e)) and the like. */
static bool is_marker_comma(Node *n) {
  if (n->ck != CXCursor_BinaryOperator || n->nkids != 2 ||
      clang_getCursorBinaryOperatorKind(n->c) != CXBinaryOperator_Comma)
    return false;
  Node *c = n;
  while (c->ck == CXCursor_BinaryOperator && c->nkids == 2 &&
         clang_getCursorBinaryOperatorKind(c->c) == CXBinaryOperator_Comma)
    c = c->kids[0];
  if (c->ck != CXCursor_CallExpr)
    return false;
  CXString s = clang_getCursorSpelling(c->c);
  bool is = strncmp(clang_getCString(s), "ac__mark_", 9) == 0;
  clang_disposeString(s);
  return is;
}

static bool is_designator(Tu *tu, Node *n) {
  char c = tree_range(n).start < tu->src_len ? tu->src[tree_range(n).start] : 0;
  return c == '.' || c == '[';
}

static void check_await_position(AsyncFn *fn, AwaitSite *aw) {
  Tu *tu = fn->tu;
  Node *n = aw->node;
  Loc at = {tree_range(n).start};
  if (!tu_await_call_at(tu, tree_range(n).start)) {
    diag_error(at, "'await' inside the definition of a macro; write the "
                   "await where the macro is used");
    return;
  }
  const char *ctx = unevaluated_context(n);
  if (ctx && strcmp(ctx, "a type") == 0) {
    /* typeof's operand is not evaluated; an array bound is, but before
     * the declaration, which cannot be split around a suspension. */
    diag_error(at, "'await' in a type (an array bound, or the operand of "
                   "'typeof'); await into a variable first");
    return;
  }
  if (ctx) {
    diag_error(at, "'await' in %s, which is not evaluated", ctx);
    return;
  }
  for (Node *p = n->parent; p && p != fn->body; p = p->parent) {
    if (p->kind != N_OTHER || is_marker_comma(p))
      continue;
    if (p->ck == CXCursor_StmtExpr) {
      diag_error(at, "'await' inside a statement expression is not "
                     "supported yet");
      return;
    }
    if (is_sequencing(p) && !kids_in_order(p)) {
      diag_error(at, "'await' under a conditional or sequencing operator "
                     "that a macro's definition supplies; write the operator "
                     "outside the macro");
      return;
    }
    /* An expression libclang does not expose (such as GNU 'a ?: b') may
     * evaluate operands conditionally: refuse rather than guess.  A
     * designated initialiser ('.x = e', '[i] = e') is the exception. */
    if (p->ck == CXCursor_UnexposedExpr && p->nkids > 1 &&
        !is_designator(fn->tu, p)) {
      diag_error(at, "'await' inside this kind of expression is not "
                     "supported");
      return;
    }
  }
  if (aw->kind == AW_NONE && aw->callee_name) {
    return; /* a combinator whose operands were already diagnosed */
  }
  if (aw->kind == AW_NONE) {
    diag_error(at, "cannot await this expression: 'await' needs a call of "
                   "an async function");
    return;
  }
}

/* An await that appears twice in the AST comes from a macro argument that
 * the macro expands twice: lowering one text for two evaluations is wrong.
 * `starts` holds where each await starts. */
static void check_duplicates(AsyncFn *fn, const unsigned *starts) {
  for (int i = 0; i < fn->awaits.len; i++) {
    for (int j = 0; j < i; j++) {
      if (starts[i] == starts[j]) {
        diag_error((Loc){starts[i]},
                   "'await' in a macro argument that the macro uses more "
                   "than once; await into a variable first");
        return;
      }
    }
  }
}

/* Every `await(` spelled in the function must be an await we lower: one
 * that is not (in typeof, say) would be silently dropped. */
static void check_hidden_awaits(AsyncFn *fn, const unsigned *starts) {
  Tu *tu = fn->tu;
  Range body = tree_range(fn->body);
  for (int i = tu_await_call_from(tu, body.start); i < tu->await_calls.len;
       i++) {
    Range *r = tu->await_calls.items[i];
    if (r->start > body.end)
      break;
    if (r->end > body.end)
      continue;
    bool found = false;
    for (int k = 0; k < fn->awaits.len && !found; k++)
      found = starts[k] == r->start;
    if (!found)
      diag_error((Loc){r->start}, "'await' in an operand that is not "
                                  "evaluated (such as 'typeof')");
  }
}

/* Steps from a pointer to what it points to, or from an array to its
 * element type; false for any other type. */
static bool peel_pointer_or_array(CXType *t) {
  CXType c = clang_getCanonicalType(*t);
  if (c.kind == CXType_Pointer)
    *t = clang_getPointeeType(c);
  else if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
    *t = clang_getArrayElementType(c);
  else
    return false;
  return true;
}

/* The declaration of t's base type, under pointers and arrays, or a null
 * cursor for types without one (builtins). */
static CXCursor base_type_decl(CXType t) {
  while (peel_pointer_or_array(&t))
    ;
  CXCursor d = clang_getTypeDeclaration(t);
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound)
    return clang_getNullCursor();
  return d;
}

/* The declaration of t's base type when it is declared inside fn's body,
 * else a null cursor. */
static CXCursor local_type_decl(AsyncFn *fn, CXType t) {
  CXCursor d = base_type_decl(t);
  if (clang_Cursor_isNull(d))
    return d;
  long off = tu_offset(fn->tu, clang_getCursorLocation(d));
  if (off >= (long)tree_range(fn->body).start &&
      off < (long)tree_range(fn->body).end)
    return d;
  return clang_getNullCursor();
}

/* An unnamed struct, union or enum declared in the body gets a tag, so
 * the frame (at file scope) can name it: <function>_anon_<line>, with
 * _2, _3... for the second and later ones on a line. */
static void name_anonymous(AsyncFn *fn, CXCursor decl) {
  Tu *tu = fn->tu;
  for (int i = 0; i < fn->anon_types.len; i++)
    if (clang_equalCursors(*(CXCursor *)fn->anon_types.items[i], decl))
      return;
  CXCursor *copy = arena_alloc(tu->arena, sizeof *copy);
  *copy = decl;
  vec_push(tu->arena, &fn->anon_types, copy);
  long off = tu_offset(tu, clang_getCursorLocation(decl));
  const char *kw = clang_getCursorKind(decl) == CXCursor_UnionDecl ? "union"
                   : clang_getCursorKind(decl) == CXCursor_EnumDecl ? "enum"
                                                                    : "struct";
  unsigned line = tu_line(tu, off >= 0 ? (unsigned)off : 0);
  /* Tags share one name space: the second on a line is _2, and so on. */
  int same_line = 0;
  for (int i = 0; i + 1 < fn->anon_types.len; i++) {
    CXCursor other = *(CXCursor *)fn->anon_types.items[i];
    long o = tu_offset(tu, clang_getCursorLocation(other));
    same_line += tu_line(tu, o >= 0 ? (unsigned)o : 0) == line;
  }
  char *tag = same_line ? arena_printf(tu->arena, "%s_anon_%u_%d", fn->name,
                                       line, same_line + 1)
                        : arena_printf(tu->arena, "%s_anon_%u", fn->name, line);
  decl_name_anonymous(tu->arena, decl, arena_printf(tu->arena, "%s %s", kw,
                                                    tag));
}

/* The first await after v's declaration in v's block (an await in the
 * declaration itself runs before v exists). */
static AwaitSite *first_await_in_scope(AsyncFn *fn, Var *v) {
  Node *scope = v->decl->parent;
  while (scope && scope->ck != CXCursor_CompoundStmt &&
         scope->ck != CXCursor_ForStmt)
    scope = scope->parent;
  for (int i = 0; scope && i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (tree_range(aw->node).start >= tree_range(v->decl).end &&
        tree_range(aw->node).end <= tree_range(scope).end)
      return aw;
  }
  return NULL;
}

/* Where a variable's diagnostics point: its name. */
static Loc var_loc(AsyncFn *fn, Var *v) {
  long name = tu_offset(fn->tu, clang_getCursorLocation(v->decl->c));
  return (Loc){name >= 0 ? (unsigned)name : tree_range(v->decl).start};
}

/* True if t, under pointers and arrays, is a builtin type itself (not a
 * typedef of one): then t has no declaration, and its spelling names no
 * struct, union or enum. */
static bool is_builtin_based(CXType t) {
  for (;;) {
    if (t.kind >= CXType_FirstBuiltin && t.kind <= CXType_LastBuiltin)
      return true;
    if (!peel_pointer_or_array(&t))
      return false;
  }
}

static void check_var(AsyncFn *fn, Var *v) {
  CXType t = clang_getCursorType(v->decl->c);
  if (clang_getCanonicalType(t).kind == CXType_VariableArray) {
    Loc at = var_loc(fn, v);
    AwaitSite *aw = first_await_in_scope(fn, v);
    diag_error(aw ? (Loc){tree_range(aw->node).start} : at,
               "variable-length array '%s' would live across this await; "
               "frames have a fixed size",
               v->name);
    diag_note(at, "'%s' is declared here", v->name);
    return;
  }
  /* Most saved locals are scalars, arrays or pointers of builtin types,
   * which need neither the type's spelling nor its declaration. */
  if (is_builtin_based(t))
    return;
  CXCursor local = local_type_decl(fn, t);
  char *canon = arena_cxstr(fn->tu->arena,
                            clang_getTypeSpelling(clang_getCanonicalType(t)));
  bool unnamed = strstr(canon, "(unnamed") || strstr(canon, "(anonymous");
  if (unnamed && clang_Cursor_isNull(local)) {
    diag_error(var_loc(fn, v),
               "'%s' has an unnamed struct, union or enum type and lives "
               "across an await; give the type a name",
               v->name);
    return;
  }
  if (unnamed)
    name_anonymous(fn, local);
  else if (!clang_Cursor_isNull(local))
    fn->hoist_types = true;
}

static bool is_type_decl(enum CXCursorKind k) {
  return k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
         k == CXCursor_EnumDecl || k == CXCursor_TypedefDecl;
}

/* True if something at file scope (in the file or a header) has the
 * declaration's name. */
static bool file_scope_has(Tu *tu, const char *name) {
  for (int i = 0; i < tu->file_scope_names.len; i++)
    if (strcmp(tu->file_scope_names.items[i], name) == 0)
      return true;
  return false;
}

static bool hoisted_has(AsyncFn *fn, const char *name) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *d = fn->hoisted.items[i];
    for (int k = 0; k < d->nkids; k++) {
      char *other = arena_cxstr(fn->tu->arena,
                                clang_getCursorSpelling(d->kids[k]->c));
      if (strcmp(other, name) == 0)
        return true;
    }
  }
  return false;
}

static bool fn_has_var(AsyncFn *fn, const char *name) {
  Vec *lists[] = {&fn->params, &fn->locals};
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < lists[l]->len; i++)
      if (strcmp(((Var *)lists[l]->items[i])->name, name) == 0)
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
    if (fn_has_var(fn, name) || file_scope_has(fn->tu, name))
      diag_error((Loc){tree_range(k).start},
                 "enumerator '%s' declared in an async function moves to "
                 "file scope, where another declaration of '%s' would hide "
                 "or clash with it; rename one of them",
                 name, name);
  }
}

/* Types declared in the body move in front of the frame, which needs them:
 * each in a declaration of its own, with names nothing else uses. */
static void collect_type_decls(AsyncFn *fn, Node *n) {
  if (n->ck == CXCursor_DeclStmt) {
    bool types = false;
    for (int i = 0; i < n->nkids; i++)
      types |= is_type_decl(n->kids[i]->ck);
    if (!types)
      return;
    bool vars = false;
    for (int i = 0; i < n->nkids; i++)
      vars |= n->kids[i]->ck == CXCursor_VarDecl;
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
      if (name[0] && (file_scope_has(fn->tu, name) || hoisted_has(fn, name)))
        diag_error((Loc){tree_range(k).start},
                   "type '%s' declared in an async function moves to file "
                   "scope, where its name is already taken; rename it",
                   name);
    }
    vec_push(fn->tu->arena, &fn->hoisted, n);
    return;
  }
  for (int i = 0; i < n->nkids; i++)
    collect_type_decls(fn, n->kids[i]);
}

static Node *consumer(Node *n);
static Node *strip_casts(Node *n);

/* True if n is the operand of an await. */
static bool consumer_is_await(Node *n) {
  Node *c = consumer(n);
  return c && c->ck == CXCursor_BinaryOperator && c->parent &&
         c->parent->kind == N_AWAIT;
}

static const char *const alloca_names[] = {"alloca", "__builtin_alloca"};

/* True if `name`, n characters long, is one of the functions check_calls
 * refuses in a function that awaits. */
static bool is_refused_callee(const char *name, size_t n) {
  const char *const *lists[] = {setjmp_names, alloca_names};
  size_t counts[] = {5, 2};
  for (int l = 0; l < 2; l++)
    for (size_t i = 0; i < counts[l]; i++)
      if (strlen(lists[l][i]) == n && memcmp(lists[l][i], name, n) == 0)
        return true;
  return false;
}

/* False when the call certainly calls no function check_calls refuses,
 * judged from the file's text rather than the callee's spelling, which
 * libclang builds anew for every call.  A CallExpr's spelling is the name
 * of the declaration libclang finds behind its callee, or empty.  Behind
 * implicit casts and parentheses around a name, the only declaration to
 * find is the name's; so when that name is spelled directly in the file
 * and is not refused, neither is the spelling. */
static bool may_call_refused(Tu *tu, Node *call) {
  /* tree.c marks a node (marker(), e) only after finding that the call on
   * the left of its comma is the marker, by its spelling. */
  Node *comma = call->parent, *mark = comma ? comma->parent : NULL;
  if (mark && mark->kind != N_OTHER && mark->kind != N_ALL &&
      mark->kind != N_RACE && mark->kids[0] == comma &&
      comma->kids[0] == call)
    return false;
  Node *callee = call->nkids ? call->kids[0] : NULL;
  while (callee && callee->nkids == 1 &&
         (callee->ck == CXCursor_UnexposedExpr ||
          callee->ck == CXCursor_ParenExpr))
    callee = callee->kids[0];
  Range r;
  if (!callee || callee->ck != CXCursor_DeclRefExpr || callee->nkids ||
      !tu_name_range(tu, callee->c, &r))
    return true;
  return is_refused_callee(tu->src + r.start, r.end - r.start);
}

/* The nodes of a body that checks after check_function look at again,
 * gathered by check_calls' walk so that those checks need not walk the
 * body themselves. */
struct CheckScan {
  Vec refs;    /* DeclRefExpr nodes, in preorder (check_async_refs) */
  Vec assigns; /* binary operators whose left operand is a name under
                * casts, in preorder: the assignments check_frame needs */
};

static bool names_on_left(Node *n) {
  if (n->ck != CXCursor_BinaryOperator || n->nkids != 2)
    return false;
  Node *lhs = strip_casts(n->kids[0]);
  return lhs && lhs->ck == CXCursor_DeclRefExpr;
}

static void check_calls(AsyncFn *fn, Node *n) {
  Arena *a = fn->tu->arena;
  if (n->ck == CXCursor_DeclRefExpr)
    vec_push(a, &fn->scan->refs, n);
  else if (names_on_left(n))
    vec_push(a, &fn->scan->assigns, n);
  if (fn->awaits.len && n->ck == CXCursor_CallExpr &&
      may_call_refused(fn->tu, n)) {
    /* The callee's name is asked of libclang once per call. */
    CXString s = clang_getCursorSpelling(n->c);
    const char *name = clang_getCString(s);
    if (is_one_of(name, setjmp_names, 5))
      diag_error((Loc){tree_range(n).start},
                 "setjmp in an async function that "
                 "awaits: a longjmp could not restore "
                 "the frame");
    if (is_one_of(name, alloca_names, 2))
      diag_error((Loc){tree_range(n).start},
                 "alloca in an async function that "
                 "awaits: the memory would not survive "
                 "a suspension");
    clang_disposeString(s);
  }
  if (n->kind == N_BLOCK_ON)
    diag_error((Loc){tree_range(n).start},
               "ac_block_on() inside an async function "
               "would block its executor; use await");
  if (n->kind == N_JOIN && !(n->parent && tree_strip(n->parent) &&
                             consumer_is_await(n)))
    diag_error((Loc){tree_range(n).start}, "ac_join() must be awaited: "
                                           "await(ac_join(handle))");
  /* Leaves other than names, calls and marked nodes (which have children
   * anyway) need no visit; names only need recording. */
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->nkids || k->ck == CXCursor_CallExpr || k->kind != N_OTHER)
      check_calls(fn, k);
    else if (k->ck == CXCursor_DeclRefExpr)
      vec_push(a, &fn->scan->refs, k);
  }
}

/* A `return` in a statement expression is lowered where it stands
 * (lower.c), which needs its text in the file: one that a macro's
 * definition writes, as in a TRY(e) macro, cannot be rewritten. */
static void check_stmt_expr_return(AsyncFn *fn, Node *ret) {
  unsigned at = tree_range(ret).start;
  Tu *tu = fn->tu;
  size_t len = strlen("return");
  if (at + len > tu->src_len || memcmp(tu->src + at, "return", len) != 0)
    diag_error((Loc){at}, "'return' in a statement expression that a "
                          "macro's definition writes; asyncc cannot rewrite "
                          "it there, so return outside the macro");
}

void check_function(AsyncFn *fn) {
  Loc at = {fn->def_range.start};
  CXType t = clang_getCursorType(fn->decl);
  if (strcmp(fn->name, "main") == 0) {
    diag_error(at, "'main' cannot be async: the program calls it as an "
                   "ordinary function; rename it (say 'main_async') and "
                   "call it from main with ac_block_on");
    return;
  }
  if (t.kind == CXType_FunctionProto && clang_isFunctionTypeVariadic(t)) {
    diag_error(at, "async function '%s' is variadic; its arguments could not "
                   "be saved in a frame",
                   fn->name);
    return;
  }
  if (t.kind == CXType_FunctionNoProto && fn->is_definition &&
      clang_Cursor_getNumArguments(fn->decl) > 0) {
    diag_error(at, "async function '%s' has an old-style definition; use a "
                   "prototype",
                   fn->name);
    return;
  }
  if (!fn->is_definition) {
    if (t.kind == CXType_FunctionNoProto && !find_definition(fn->tu, fn->decl))
      diag_error(at, "async function '%s' is declared without a prototype; "
                     "list its parameters (or 'void')",
                     fn->name);
    return;
  }
  /* The included text is in another file, which the output can only
   * include again as it is. */
  Range body = tree_range(fn->body);
  bool includes = false;
  for (int i = 0; i < fn->tu->includes.len; i++) {
    Range *r = fn->tu->includes.items[i];
    if (r->start > body.start && r->start < body.end) {
      diag_error((Loc){r->start},
                 "#include inside async function '%s'; asyncc rewrites only "
                 "the file it is given, so the included code could not be "
                 "transformed",
                 fn->name);
      includes = true;
    }
  }
  if (includes)
    return;
  int refused_before = diag_error_count();
  for (int i = 0; i < fn->awaits.len; i++)
    check_await_position(fn, fn->awaits.items[i]);
  /* The awaits' starts, asked of tree_range once rather than once per
   * pair of awaits. */
  unsigned *starts = arena_alloc(
      fn->tu->arena, sizeof *starts * (size_t)(fn->awaits.len + 1));
  for (int i = 0; i < fn->awaits.len; i++)
    starts[i] = tree_range(((AwaitSite *)fn->awaits.items[i])->node).start;
  /* A refused await may also appear twice (libclang lists a VLA bound
   * under sizeof twice): one message is enough. */
  if (diag_error_count() == refused_before)
    check_duplicates(fn, starts);
  check_hidden_awaits(fn, starts);
  fn->scan = arena_alloc(fn->tu->arena, sizeof *fn->scan);
  check_calls(fn, fn->body);
  for (int i = 0; i < fn->stmt_expr_returns.len; i++)
    check_stmt_expr_return(fn, fn->stmt_expr_returns.items[i]);
}

/* Why fn's frame may come from the runtime's allocators (the task arena,
 * a task's block), or NULL when it is always embedded or on a stack. */
static const char *frame_allocated_at_run_time(AsyncFn *fn) {
  Tu *tu = fn->tu;
  if (!fn->is_static)
    return "it can be awaited from other files";
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *caller = tu->fns.items[i];
    for (int k = 0; k < caller->awaits.len; k++) {
      AwaitSite *aw = caller->awaits.items[k];
      if (aw->dynamic && find_definition(tu, aw->callee) == fn)
        return "it is called recursively";
    }
  }
  for (int i = 0; i < tu->spawns.len; i++) {
    Node *n = tu->spawns.items[i];
    if (n->operand && find_definition(tu, tree_referenced(n->operand)) == fn)
      return "it is spawned as a task";
  }
  return NULL;
}

/* The runtime's allocators align frames for max_align_t only. */
static void check_alignment(AsyncFn *fn, Var *v) {
  if (v->align_value <= (long)_Alignof(max_align_t) && v->align_value >= 0)
    return;
  const char *why = frame_allocated_at_run_time(fn);
  if (why)
    diag_error((Loc){tree_range(v->decl).start},
               "'%s' asks for %ld-byte alignment, more than frames allocated "
               "at run time get (%zu), and the frame of '%s' is: %s",
               v->name, v->align_value, _Alignof(max_align_t), fn->name, why);
}

/* Where t's base type (under pointers and arrays) is declared in the main
 * file, or -1. */
static long type_decl_offset(Tu *tu, CXType t) {
  CXCursor d = base_type_decl(t);
  if (clang_Cursor_isNull(d))
    return -1;
  return tu_offset(tu, clang_getCursorLocation(d));
}

/* A callee defined later in the file has its frame declared in front of
 * the caller (the caller's frame or poll needs it complete); that only
 * works if the types in that frame are already declared there. */
static void check_forward_callee(AsyncFn *fn, AwaitSite *aw) {
  AsyncFn *callee = aw->kind == AW_ASYNC_FN
                        ? find_definition(fn->tu, aw->callee)
                        : NULL;
  if (!callee || callee->def_range.start <= fn->def_range.start)
    return;
  Vec types = {0};
  Arena *a = fn->tu->arena;
  CXType *rt = arena_alloc(a, sizeof *rt);
  *rt = clang_getCursorResultType(callee->decl);
  vec_push(a, &types, rt);
  Vec *lists[] = {&callee->params, &callee->locals};
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < lists[l]->len; i++) {
      Var *v = lists[l]->items[i];
      if (!v->saved)
        continue;
      CXType *t = arena_alloc(a, sizeof *t);
      *t = clang_getCursorType(v->decl->c);
      vec_push(a, &types, t);
    }
  for (int i = 0; i < types.len; i++) {
    CXType t = *(CXType *)types.items[i];
    long off = type_decl_offset(fn->tu, t);
    if (off > (long)fn->def_range.start && off < (long)callee->def_range.start) {
      diag_error((Loc){tree_range(aw->node).start},
                 "'%s' is defined further down and its frame uses '%s', "
                 "declared after '%s'; move the type (or '%s') above '%s'",
                 callee->name, arena_cxstr(a, clang_getTypeSpelling(t)),
                 fn->name, callee->name, fn->name);
      return;
    }
  }
}

void check_forward_callees(AsyncFn *fn) {
  /* fn->callees holds every function defined here that fn awaits (find.c),
   * so when all of them come first, no await needs a look. */
  bool any_later = false;
  for (int i = 0; i < fn->callees.len && !any_later; i++)
    any_later = ((AsyncFn *)fn->callees.items[i])->def_range.start >
                fn->def_range.start;
  if (!any_later)
    return;
  for (int i = 0; i < fn->awaits.len; i++)
    check_forward_callee(fn, fn->awaits.items[i]);
}

/* Saved variables are known only after layout. */
/* ---- Thread-local addresses kept across an await ---------------------- */

/* The functions behind errno, which return the calling thread's errno
 * address (glibc, the BSDs and macOS, Solaris, Windows). */
static const char *const errno_fns[] = {"__errno_location", "__error",
                                        "___errno", "_errno"};

/* Strips parentheses, implicit conversions and explicit casts. */
static Node *strip_casts(Node *n) {
  for (;;) {
    n = tree_strip(n);
    if (!n || n->kind != N_OTHER || n->ck != CXCursor_CStyleCastExpr ||
        n->nkids == 0)
      return n;
    n = n->kids[n->nkids - 1];
  }
}

static bool is_pointer(Node *n) {
  return clang_getCanonicalType(clang_getCursorType(n->c)).kind ==
         CXType_Pointer;
}

/* If the lvalue `n` is (part of) a _Thread_local variable, or errno, its
 * name; else NULL.  A member or element is part of its base unless the
 * base is a pointer, whose target is not thread storage. */
static const char *thread_storage(Arena *a, Node *n) {
  n = strip_casts(n);
  while (n && n->nkids > 0 && (n->ck == CXCursor_MemberRefExpr ||
                               n->ck == CXCursor_ArraySubscriptExpr)) {
    Node *base = strip_casts(n->kids[0]);
    if (!base || is_pointer(base))
      return NULL;
    n = base;
  }
  if (!n)
    return NULL;
  if (n->ck == CXCursor_DeclRefExpr) {
    CXCursor d = tree_referenced(n);
    if (clang_getCursorKind(d) != CXCursor_VarDecl ||
        clang_getCursorTLSKind(d) == CXTLS_None)
      return NULL;
    return arena_cxstr(a, clang_getCursorSpelling(d));
  }
  if (n->ck == CXCursor_UnaryOperator && n->nkids == 1 &&
      clang_getCursorUnaryOperatorKind(n->c) == CXUnaryOperator_Deref) {
    Node *call = strip_casts(n->kids[0]);
    if (call && is_call_to(call, errno_fns, 4))
      return "errno";
  }
  return NULL;
}

/* If the value of `n` is the address of thread storage (&x, a
 * thread-local array decaying to a pointer, __errno_location()), the
 * storage's name; else NULL. */
static const char *thread_address(Arena *a, Node *n) {
  n = strip_casts(n);
  if (!n)
    return NULL;
  if (n->ck == CXCursor_UnaryOperator && n->nkids == 1 &&
      clang_getCursorUnaryOperatorKind(n->c) == CXUnaryOperator_AddrOf)
    return thread_storage(a, n->kids[0]);
  if (is_call_to(n, errno_fns, 4))
    return "errno";
  /* thread_storage finds storage only under these kinds: for any other,
   * the type needs no asking. */
  if (n->ck != CXCursor_DeclRefExpr && n->ck != CXCursor_MemberRefExpr &&
      n->ck != CXCursor_ArraySubscriptExpr && n->ck != CXCursor_UnaryOperator)
    return NULL;
  CXType t = clang_getCanonicalType(clang_getCursorType(n->c));
  if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
    return thread_storage(a, n);
  return NULL;
}

static void report_thread_address(AsyncFn *fn, Var *v, Node *value,
                                  const char *storage) {
  long name = tu_offset(fn->tu, clang_getCursorLocation(v->decl->c));
  diag_error((Loc){tree_range(value).start},
             "'%s' holds the address of thread-local '%s' across an await; "
             "the task may resume on another thread",
             v->name, storage);
  diag_note((Loc){name >= 0 ? (unsigned)name : tree_range(v->decl).start},
            "'%s' is declared here", v->name);
}

/* An assignment `x = e` whose left side names a declaration. */
typedef struct {
  Node *assign;
  CXCursor target; /* the declaration x names */
} NamedAssign;

/* The body's assignments to names, in preorder: from check_calls'
 * candidates when it walked the body, else from a walk of its own. */
static void collect_named_assigns(Arena *a, Node *n, Vec *out) {
  if (names_on_left(n) &&
      clang_getCursorBinaryOperatorKind(n->c) == CXBinaryOperator_Assign) {
    NamedAssign *na = arena_alloc(a, sizeof *na);
    na->assign = n;
    na->target = tree_referenced(strip_casts(n->kids[0]));
    vec_push(a, out, na);
  }
  for (int i = 0; i < n->nkids; i++)
    if (n->kids[i]->nkids) /* a leaf is no assignment */
      collect_named_assigns(a, n->kids[i], out);
}

static void named_assigns(AsyncFn *fn, Vec *out) {
  Arena *a = fn->tu->arena;
  if (!fn->scan) {
    collect_named_assigns(a, fn->body, out);
    return;
  }
  for (int i = 0; i < fn->scan->assigns.len; i++) {
    Node *n = fn->scan->assigns.items[i];
    if (clang_getCursorBinaryOperatorKind(n->c) != CXBinaryOperator_Assign)
      continue;
    NamedAssign *na = arena_alloc(a, sizeof *na);
    na->assign = n;
    na->target = tree_referenced(strip_casts(n->kids[0]));
    vec_push(a, out, na);
  }
}

/* Assignments `v = <thread address>` in the body. */
static void check_thread_assigns(AsyncFn *fn, Var *v, const Vec *assigns) {
  for (int i = 0; i < assigns->len; i++) {
    NamedAssign *na = assigns->items[i];
    const char *storage;
    /* Equal cursors hold the same declaration pointer in data[0]: testing
     * it first spares the library call for most pairs. */
    if (na->target.data[0] == v->decl->c.data[0] &&
        clang_equalCursors(na->target, v->decl->c) &&
        (storage = thread_address(fn->tu->arena, na->assign->kids[1])) !=
            NULL)
      report_thread_address(fn, v, na->assign->kids[1], storage);
  }
}

/* A variable saved in the frame must not keep a thread's storage address:
 * in the threaded runtime the task may resume on another thread, where the
 * address is another thread's errno or _Thread_local (DESIGN section 4).
 * `assigns` is filled on the first call that needs it. */
static void check_thread_local(AsyncFn *fn, Var *v, Vec *assigns,
                               bool *collected) {
  if (v->is_param || v->decl->ck != CXCursor_VarDecl)
    return;
  CXCursor init = clang_Cursor_getVarDeclInitializer(v->decl->c);
  bool has_init = !clang_Cursor_isNull(init);
  const char *storage;
  for (int i = 0; has_init && i < v->decl->nkids; i++) {
    Node *k = v->decl->kids[i];
    if (clang_equalCursors(k->c, init) &&
        (storage = thread_address(fn->tu->arena, k)) != NULL)
      report_thread_address(fn, v, k, storage);
  }
  if (!fn->body)
    return;
  if (!*collected) {
    named_assigns(fn, assigns);
    *collected = true;
  }
  check_thread_assigns(fn, v, assigns);
}

/* True if the declaration carries GNU's cleanup attribute, whose first
 * token names it even when a macro writes it. */
static bool has_cleanup_attr(Tu *tu, Node *decl) {
  for (int i = 0; i < decl->nkids; i++) {
    if (decl->kids[i]->ck != CXCursor_UnexposedAttr)
      continue;
    CXToken *toks;
    unsigned ntoks;
    clang_tokenize(tu->tu, clang_getCursorExtent(decl->kids[i]->c), &toks,
                   &ntoks);
    bool cleanup = false;
    if (ntoks > 0) {
      CXString s = clang_getTokenSpelling(tu->tu, toks[0]);
      const char *t = clang_getCString(s);
      cleanup = strcmp(t, "cleanup") == 0 || strcmp(t, "__cleanup__") == 0;
      clang_disposeString(s);
    }
    clang_disposeTokens(tu->tu, toks, ntoks);
    if (cleanup)
      return true;
  }
  return false;
}

/* A cleanup runs when its variable's block is left, and a suspension
 * leaves the poll function: it would run at every await in the block. */
static void check_cleanup(AsyncFn *fn, Var *v) {
  AwaitSite *aw;
  if (!has_cleanup_attr(fn->tu, v->decl) || !(aw = first_await_in_scope(fn, v)))
    return;
  diag_error(var_loc(fn, v),
             "'%s' has a cleanup attribute and its block awaits; the cleanup "
             "would run each time the function suspends",
             v->name);
  diag_note((Loc){tree_range(aw->node).start}, "the block awaits here");
}

void check_frame(AsyncFn *fn) {
  Vec assigns = {0};
  bool collected = false;
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    check_cleanup(fn, v);
    if (v->saved) {
      check_var(fn, v);
      check_alignment(fn, v);
      check_thread_local(fn, v, &assigns, &collected);
    }
  }
  if (fn->hoist_types)
    collect_type_decls(fn, fn->body);
}

/* True if the file spells `name(` at `off`.  A spawn or block_on is
 * rewritten by replacing its range, which for one that a macro's
 * definition supplies is the whole invocation of that macro. */
static bool spelled_call(Tu *tu, unsigned off, const char *name) {
  size_t len = strlen(name);
  if (off + len > tu->src_len || memcmp(tu->src + off, name, len) != 0)
    return false;
  size_t p = off + len;
  while (p < tu->src_len && isspace((unsigned char)tu->src[p]))
    p++;
  return p < tu->src_len && tu->src[p] == '(';
}

void check_block_on(Tu *tu, Node *n) {
  Node *call = tree_strip(n->operand);
  CXCursor callee;
  if (!spelled_call(tu, tree_range(n).start, "ac_block_on")) {
    diag_error((Loc){tree_range(n).start},
               "'ac_block_on' inside the definition of "
               "a macro; write the ac_block_on where the "
               "macro is used");
    return;
  }
  if (!call || call->ck != CXCursor_CallExpr) {
    diag_error((Loc){tree_range(n).start},
               "ac_block_on() needs a call of an async "
               "function");
    return;
  }
  callee = tree_referenced(call);
  if (clang_getCursorKind(callee) != CXCursor_FunctionDecl ||
      !tu_is_async_decl(callee)) {
    diag_error((Loc){tree_range(n).start},
               "ac_block_on() needs a call of an async "
               "function");
    return;
  }
  if (!find_definition(tu, callee))
    diag_error((Loc){tree_range(n).start},
               "ac_block_on() of an async function defined in another file "
               "is not supported yet");
  if (call->has_await)
    diag_error((Loc){tree_range(n).start}, "'await' inside ac_block_on()");
}

/* The expression an async call's value flows into, skipping parentheses
 * and implicit conversions. */
static Node *consumer(Node *n) {
  Node *p = n->parent;
  while (p && p->kind == N_OTHER &&
         (p->ck == CXCursor_ParenExpr ||
          (p->ck == CXCursor_UnexposedExpr && p->nkids == 1)))
    p = p->parent;
  return p;
}

/* An async function's name may only be called, and the call only awaited
 * or run with ac_block_on: in the transformed program the function itself
 * no longer exists, only its state machine. */
static void check_ref(Tu *tu, Node *ref) {
  CXCursor target = tree_referenced(ref);
  if (clang_getCursorKind(target) != CXCursor_FunctionDecl ||
      !tu_is_async_decl(target))
    return;
  Node *call = consumer(ref);
  if (!call || call->ck != CXCursor_CallExpr ||
      tree_strip(call->kids[0]) != ref) {
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(target));
    diag_error((Loc){tree_range(ref).start},
               "async function '%s' used as a value; only calls of async "
               "functions can be awaited (function pointers are not "
               "supported yet)",
               name);
    return;
  }
  Node *user = consumer(call);
  bool marked = user && user->ck == CXCursor_BinaryOperator &&
                user->parent && user->parent->kind != N_OTHER;
  /* ac_spawn's sync view names the call several times (to box its value
   * by type and size): any of them under the spawn marker counts. */
  for (Node *p = call->parent; p && !marked; p = p->parent)
    marked = p->kind == N_SPAWN || p->kind == N_BRANCH;
  if (!marked) {
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(target));
    diag_error((Loc){tree_range(call).start},
               "call of async function '%s' is not awaited; use "
               "await(%s(...)), or ac_block_on() outside async functions",
               name, name);
  }
}

static void check_refs_in(Tu *tu, Node *n) {
  if (n->ck == CXCursor_DeclRefExpr)
    check_ref(tu, n);
  /* Leaves are handled here rather than by a call each: about half the
   * nodes are leaves. */
  for (int i = 0; i < n->nkids; i++) {
    Node *k = n->kids[i];
    if (k->nkids)
      check_refs_in(tu, k);
    else if (k->ck == CXCursor_DeclRefExpr)
      check_ref(tu, k);
  }
}

/* Where a declaration is, for a message: "file:line". */
static char *where(Tu *tu, CXCursor c) {
  CXFile file;
  unsigned line;
  clang_getExpansionLocation(clang_getCursorLocation(c), &file, &line, NULL,
                             NULL);
  char *name = arena_cxstr(tu->arena, clang_getFileName(file));
  return arena_printf(tu->arena, "%s:%u", name, line);
}

/* True, after a diagnostic, if a macro has the name of something asyncc
 * generates for fn: a file-scope name, or its first or last state. */
static bool generated_name_is_macro(Tu *tu, AsyncFn *fn) {
  size_t len = strlen(fn->name);
  char small[128];
  char *name =
      len + 16 <= sizeof small ? small : arena_alloc(tu->arena, len + 16);
  const char *states[] = {"_START", "_DONE"};
  for (const Suffix *x = find_generated_suffixes; x->s; x++) {
    memcpy(name, fn->name, len);
    strcpy(name + len, x->s);
    if (names_has(&tu->macro_names, name))
      goto found;
  }
  for (int i = 0; i < 2; i++) {
    memcpy(name, fn->upper, len);
    strcpy(name + len, states[i]);
    if (names_has(&tu->macro_names, name))
      goto found;
  }
  return false;
found:
  diag_error((Loc){fn->def_range.start},
             "async function '%s' needs the name '%s' (docs/abi.md), which "
             "is defined as a macro; rename one of them",
             fn->name, name);
  return true;
}

void check_generated_names(Tu *tu) {
  bool macro_reported = false;
  for (int k = 0; k < tu->fns.len; k++) {
    AsyncFn *fn = tu->fns.items[k];
    /* A declaration alone is defined elsewhere, or is a hand-written
     * future whose frame and functions are these very names. */
    if (!fn->is_definition)
      continue;
    if (tu->has_abi_macro && !macro_reported) {
      char *name =
          arena_cxstr(tu->arena, clang_getCursorSpelling(tu->abi_macro));
      diag_error((Loc){fn->def_range.start},
                 "every frame has a member named '%s' (docs/abi.md), which "
                 "%s defines as a macro; rename or #undef the macro",
                 name, where(tu, tu->abi_macro));
      macro_reported = true;
    }
    size_t len = strlen(fn->name);
    if (generated_name_is_macro(tu, fn))
      continue;
    for (int i = 0; i < tu->generated_like.len; i++) {
      NamedCursor *g = tu->generated_like.items[i];
      if (g->stem != len || memcmp(fn->name, g->name, len) != 0)
        continue;
      /* An async function's own name disappears from the output. */
      if (clang_getCursorKind(g->c) == CXCursor_FunctionDecl &&
          tu_is_async_decl(g->c))
        continue;
      diag_error((Loc){fn->def_range.start},
                 "async function '%s' needs the name '%s' (docs/abi.md), "
                 "which %s already declares; rename one of them",
                 fn->name, g->name, where(tu, g->c));
      break;
    }
  }
}

void check_async_refs(Tu *tu) {
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (!fn->is_definition)
      continue;
    if (!fn->scan) {
      check_refs_in(tu, fn->body);
      continue;
    }
    for (int k = 0; k < fn->scan->refs.len; k++)
      check_ref(tu, fn->scan->refs.items[k]);
  }
  for (int i = 0; i < tu->sync_fns.len; i++)
    check_refs_in(tu, tu->sync_fns.items[i]);
}

void check_warnings(AsyncFn *fn) {
  if (fn->is_definition && fn->awaits.len == 0)
    diag_warning((Loc){fn->def_range.start},
                 "async function '%s' never awaits; it runs to completion "
                 "on its first poll",
                 fn->name);
}

void check_spawn(Tu *tu, Node *n) {
  Loc at = {tree_range(n).start};
  if (!spelled_call(tu, tree_range(n).start, "ac_spawn") &&
      !spelled_call(tu, tree_range(n).start, "ac_spawn_void")) {
    diag_error(at, "'ac_spawn' inside the definition of a macro; write the "
                   "ac_spawn where the macro is used");
    return;
  }
  if (!n->operand) {
    diag_error(at, "ac_spawn() needs a call of an async function");
    return;
  }
  if (n->operand->has_await) {
    diag_error(at, "'await' inside ac_spawn(); await into a variable first");
    return;
  }
  if (!find_definition(tu, tree_referenced(n->operand)))
    diag_error(at, "ac_spawn() of an async function defined in another file "
                   "is not supported yet");
}
