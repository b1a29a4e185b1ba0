/* check.c -- refuses what cannot be transformed correctly, with a
 * diagnostic at the offending construct.  Nothing is ever miscompiled: a
 * construct the lowering does not understand is refused here.  Checks
 * only check: they change nothing the other passes read. */
#include "transpiler.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static const char *const setjmp_names[] = {"setjmp", "_setjmp", "sigsetjmp",
                                           "__sigsetjmp", "savectx"};
static const char *const alloca_names[] = {"alloca", "__builtin_alloca"};
/* The functions behind errno, which return the calling thread's errno
 * address (glibc, the BSDs and macOS, Solaris, Windows). */
static const char *const errno_fns[] = {"__errno_location", "__error",
                                        "___errno", "_errno"};

#define COUNT(a) (sizeof a / sizeof *a)

static bool is_one_of(const char *name, const char *const *names,
                      size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(name, names[i]) == 0)
      return true;
  return false;
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
static const char *unevaluated_context(Node *n, Node **where) {
  for (Node *child = n, *p = n->parent; p; child = p, p = p->parent) {
    *where = p;
    if (p->ck == CXCursor_UnaryExpr)
      return "the operand of 'sizeof' or '_Alignof'";
    /* (When the choice cannot be told, lower.c says so.) */
    Node *chosen = p->ck == CXCursor_GenericSelectionExpr && child != p->kids[0]
                       ? tree_generic_choice(p)
                       : NULL;
    if (chosen && chosen != child)
      return "a '_Generic' selection, outside the association it selects";
    if (p->ck == CXCursor_GenericSelectionExpr && child == p->kids[0])
      return "the controlling expression of a '_Generic' selection";
    /* Below a declaration but not in its initialiser, or below a cast but
     * not in its operand (the last child): in a type, as with typeof. */
    bool in_type = false;
    if (p->ck == CXCursor_VarDecl) {
      Node *init = tree_var_init(p);
      in_type = init != child;
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

static bool same_begin(Node *a, Node *b) {
  return srcloc_same(tree_begin(a), tree_begin(b));
}

/* Expressions libclang shows as "unexposed" that the lowering knows:
 * implicit conversions, designated initialisers and GNU's a ?: b. */
static bool known_unexposed(Node *p) {
  if (p->nkids <= 1)
    return true;
  if (p->nkids == 4 && same_begin(p->kids[0], p->kids[1]))
    return true;
  return p->parent && p->parent->ck == CXCursor_InitListExpr;
}

/* An async function defined in a header: each file that includes it has
 * the definition, which asyncc does not rewrite (it rewrites only the
 * file it is given), so no file would have its state machine. */
static void check_defined_here(Tu *tu, unsigned at, CXCursor callee) {
  if (clang_Cursor_isNull(callee))
    return;
  CXCursor def = clang_getCursorDefinition(callee);
  if (clang_Cursor_isNull(def) || tu_in_main_file(tu, def))
    return;
  CXFile file;
  unsigned line;
  clang_getSpellingLocation(clang_getCursorLocation(def), &file, &line, NULL,
                            NULL);
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(def));
  char *path = arena_cxstr(tu->arena, clang_getFileName(file));
  diag_error(tu, at,
             "async function '%s' is defined in %s:%u, which asyncc does not "
             "rewrite; define it in one .c file and declare it in the header",
             name, path, line);
}

static void check_await_position(AsyncFn *fn, AwaitSite *aw) {
  Tu *tu = fn->tu;
  Node *n = aw->node;
  unsigned at = tree_pos(n);
  /* check_spawn refuses it, once: the sync view's spawn also names the
   * call in a typeof and a sizeof, which are no concern of the user's. */
  for (Node *p = n->parent; p && p != fn->body; p = p->parent)
    if (p->kind == N_SPAWN)
      return;
  Node *where = NULL;
  const char *ctx = unevaluated_context(n, &where);
  /* A macro that puts its argument there as well as where it is
   * evaluated: glibc's assert in GNU modes, which checks the argument's
   * type in a sizeof. */
  Expansion *x = ctx && tree_begin(where).kind == LOC_BODY
                     ? tu_expansion_outermost(tu, at)
                     : NULL;
  if (x && x->r.start < at) {
    diag_error(tu, at,
               "'await' in an argument of macro '%s', which also puts it in "
               "%s, where it is not evaluated; await into a variable first",
               x->name, ctx);
    return;
  }
  if (ctx && strcmp(ctx, "a type") == 0) {
    /* typeof's operand is not evaluated; an array bound is, but before
     * the declaration, which cannot be split around a suspension. */
    diag_error(tu, at, "'await' in a type (an array bound, or the operand "
                       "of 'typeof'); await into a variable first");
    return;
  }
  if (ctx) {
    diag_error(tu, at, "'await' in %s, which is not evaluated", ctx);
    return;
  }
  for (Node *p = n->parent; p && p != fn->body; p = p->parent) {
    if (p->kind != N_OTHER || is_marker_comma(p))
      continue;
    if (p->ck == CXCursor_UnexposedExpr && !known_unexposed(p)) {
      diag_error(tu, at, "'await' inside this kind of expression is not "
                         "supported");
      return;
    }
    if (p->ck == CXCursor_BlockExpr) {
      diag_error(tu, at, "'await' inside a block literal");
      return;
    }
  }
  if (aw->kind == AW_NONE && aw->callee_name)
    return; /* a combinator whose operands were already diagnosed */
  if (aw->kind == AW_NONE)
    diag_error(tu, at, "cannot await this expression: 'await' needs a call "
                       "of an async function");
}

/* Every `await(` spelled in the function must be an await we lower: one
 * that is not (in typeof, say) would be silently dropped. */
static void check_hidden_awaits(AsyncFn *fn) {
  Tu *tu = fn->tu;
  Range body = tree_range(fn->body);
  Map seen;
  map_init(&seen, tu->arena, map_eq_ptr);
  for (int k = 0; k < fn->awaits.len; k++) {
    AwaitSite *aw = fn->awaits.items[k];
    if (aw->kind == AW_BUDGET)
      continue;
    Expansion *x = tree_marker_invocation(aw->node, "await");
    if (x)
      map_put(&seen, hash_ptr(x), x, x);
  }
  for (int i = tu_expansion_from(tu, body.start); i < tu->expansions.len;
       i++) {
    Expansion *x = tu->expansions.items[i];
    if (x->r.start > body.end)
      break;
    if (x->r.end > body.end || strcmp(x->name, "await") != 0 ||
        map_get(&seen, hash_ptr(x), x))
      continue;
    diag_error(tu, x->r.start, "'await' in an operand that is not "
                               "evaluated (such as 'typeof')");
  }
}

static void check_calls(AsyncFn *fn, Node *n) {
  Tu *tu = fn->tu;
  if (fn->awaits.len && n->ck == CXCursor_CallExpr) {
    if (is_call_to(n, setjmp_names, COUNT(setjmp_names)))
      diag_error(tu, tree_pos(n), "setjmp in an async function that "
                                  "awaits: a longjmp could not restore the "
                                  "frame");
    if (is_call_to(n, alloca_names, COUNT(alloca_names)))
      diag_error(tu, tree_pos(n), "alloca in an async function that "
                                  "awaits: the memory would not survive a "
                                  "suspension");
  }
  if (n->kind == N_BLOCK_ON)
    diag_error(tu, tree_pos(n), "ac_block_on() inside an async function "
                                "would block its executor; use await");
  if (n->kind == N_JOIN) {
    Node *p = n->parent;
    while (p && p->kind == N_OTHER &&
           (p->ck == CXCursor_ParenExpr ||
            (p->ck == CXCursor_UnexposedExpr && p->nkids == 1)))
      p = p->parent;
    bool awaited = p && p->ck == CXCursor_BinaryOperator && p->parent &&
                   p->parent->kind == N_AWAIT;
    if (!awaited)
      diag_error(tu, tree_pos(n), "ac_join() must be awaited: "
                                  "await(ac_join(handle))");
  }
  for (int i = 0; i < n->nkids; i++)
    if (n->kids[i]->nkids || n->kids[i]->ck == CXCursor_CallExpr)
      check_calls(fn, n->kids[i]);
}

void check_function(AsyncFn *fn) {
  Tu *tu = fn->tu;
  unsigned at = fn->def_range.start;
  CXType t = clang_getCursorType(fn->decl);
  if (strcmp(fn->name, "main") == 0) {
    diag_error(tu, at, "'main' cannot be async: the program calls it as an "
                       "ordinary function; rename it (say 'main_async') and "
                       "call it from main with ac_block_on");
    return;
  }
  if (t.kind == CXType_FunctionProto && clang_isFunctionTypeVariadic(t)) {
    diag_error(tu, at, "async function '%s' is variadic; its arguments could "
                       "not be saved in a frame",
               fn->name);
    return;
  }
  if (t.kind == CXType_FunctionNoProto && fn->is_definition &&
      clang_Cursor_getNumArguments(fn->decl) > 0) {
    diag_error(tu, at, "async function '%s' has an old-style definition; use "
                       "a prototype",
               fn->name);
    return;
  }
  if (!fn->is_definition)
    return;
  /* The included text is in another file, which the output can only
   * include again as it is. */
  Range body = tree_range(fn->body);
  bool includes = false;
  for (int i = 0; i < tu->includes.len; i++) {
    Range *r = tu->includes.items[i];
    if (r->start > body.start && r->start < body.end) {
      diag_error(tu, r->start,
                 "#include inside async function '%s'; asyncc rewrites only "
                 "the file it is given, so the included code could not be "
                 "transformed",
                 fn->name);
      includes = true;
    }
  }
  if (includes)
    return;
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    check_await_position(fn, aw);
    if (aw->kind == AW_ASYNC_FN || (aw->kind == AW_STUB && !aw->callee_expr))
      check_defined_here(tu, tree_pos(aw->node), aw->callee);
  }
  check_hidden_awaits(fn);
  check_calls(fn, fn->body);
}

/* ---- Frames ------------------------------------------------------------- */

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
      if (aw->dynamic && aw->kind == AW_ASYNC_FN &&
          find_definition(tu, aw->callee) == fn)
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
    diag_error(fn->tu, tree_pos(v->decl),
               "'%s' asks for %ld-byte alignment, more than frames allocated "
               "at run time get (%zu), and the frame of '%s' is: %s",
               v->name, v->align_value, _Alignof(max_align_t), fn->name, why);
}

/* Where a variable's diagnostics point: its name. */
static unsigned var_pos(AsyncFn *fn, Var *v) {
  long name = tu_offset(fn->tu, clang_getCursorLocation(v->decl->c));
  return name >= 0 ? (unsigned)name : tree_pos(v->decl);
}

/* The first await of the function that v lives across. */
static AwaitSite *await_across(AsyncFn *fn, Var *v) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (vec_has(&aw->live, v))
      return aw;
  }
  return NULL;
}

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

static void check_var_type(AsyncFn *fn, Var *v) {
  CXType t = v->type;
  if (clang_getCanonicalType(t).kind == CXType_VariableArray) {
    AwaitSite *aw = await_across(fn, v);
    unsigned at = var_pos(fn, v);
    diag_error(fn->tu, aw ? tree_pos(aw->node) : at,
               "variable-length array '%s' would live across this await; "
               "frames have a fixed size",
               v->name);
    diag_note(fn->tu, at, "'%s' is declared here", v->name);
    return;
  }
  CXType base = t;
  while (peel(&base))
    ;
  /* Through typedefs and typeof to the type itself. */
  CXCursor d = clang_getTypeDeclaration(clang_getCanonicalType(base));
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound ||
      !clang_Cursor_isAnonymous(d) || hoist_tag(fn->tu, d))
    return;
  /* An unnamed type at file scope (or in a header) has no name the frame
   * can use, and asyncc does not rewrite it. */
  Range body = tree_range(fn->body);
  long off = tu_offset(fn->tu, clang_getCursorLocation(d));
  if (off < (long)body.start || off >= (long)body.end)
    diag_error(fn->tu, var_pos(fn, v),
               "'%s' has an unnamed struct, union or enum type and lives "
               "across an await; give the type a name",
               v->name);
}

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
    if (call && is_call_to(call, errno_fns, COUNT(errno_fns)))
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
  if (is_call_to(n, errno_fns, COUNT(errno_fns)))
    return "errno";
  if (n->ck != CXCursor_DeclRefExpr && n->ck != CXCursor_MemberRefExpr &&
      n->ck != CXCursor_ArraySubscriptExpr && n->ck != CXCursor_UnaryOperator)
    return NULL;
  if (decl_is_array(clang_getCursorType(n->c)))
    return thread_storage(a, n);
  return NULL;
}

static void report_thread_address(AsyncFn *fn, Var *v, Node *value,
                                  const char *storage) {
  diag_error(fn->tu, tree_pos(value),
             "'%s' holds the address of thread-local '%s' across an await; "
             "the task may resume on another thread",
             v->name, storage);
  diag_note(fn->tu, var_pos(fn, v), "'%s' is declared here", v->name);
}

/* Assignments `v = <thread address>`, and the initialiser, in the body. */
static void check_thread_assigns(AsyncFn *fn, Var *v, Node *n) {
  if (n->ck == CXCursor_BinaryOperator && n->nkids == 2 &&
      clang_getCursorBinaryOperatorKind(n->c) == CXBinaryOperator_Assign) {
    Node *lhs = strip_casts(n->kids[0]);
    const char *storage;
    if (lhs && lhs->ck == CXCursor_DeclRefExpr &&
        find_var_of_ref(fn, lhs) == v &&
        (storage = thread_address(fn->tu->arena, n->kids[1])) != NULL)
      report_thread_address(fn, v, n->kids[1], storage);
  }
  for (int i = 0; i < n->nkids; i++)
    if (n->kids[i]->nkids)
      check_thread_assigns(fn, v, n->kids[i]);
}

/* A variable saved in the frame must not keep a thread's storage address:
 * in the threaded runtime the task may resume on another thread, where the
 * address is another thread's errno or _Thread_local (DESIGN section 4). */
static void check_thread_local(AsyncFn *fn, Var *v) {
  if (v->kind != VAR_LOCAL)
    return;
  Node *init = tree_var_init(v->decl);
  const char *storage;
  if (init && (storage = thread_address(fn->tu->arena, init)) != NULL)
    report_thread_address(fn, v, init, storage);
  check_thread_assigns(fn, v, fn->body);
}

void check_frame(AsyncFn *fn) {
  for (int i = fn->nparams; i < fn->vars.len; i++) {
    Var *v = fn->vars.items[i];
    if (!v->saved || v->kind == VAR_TEMP)
      continue;
    check_var_type(fn, v);
    check_alignment(fn, v);
    if (is_pointer(v->decl) || clang_getCanonicalType(v->type).kind ==
                                   CXType_Pointer)
      check_thread_local(fn, v);
  }
}

/* ---- Callees defined further down ------------------------------------- */

/* Where t's base type (under pointers and arrays) is declared in the main
 * file, or -1. */
static long type_decl_offset(Tu *tu, CXType t) {
  while (peel(&t))
    ;
  CXCursor d = clang_getTypeDeclaration(t);
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound)
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
  for (int i = 0; i < callee->vars.len; i++) {
    Var *v = callee->vars.items[i];
    if (!v->saved)
      continue;
    CXType *t = arena_alloc(a, sizeof *t);
    *t = v->type;
    vec_push(a, &types, t);
  }
  for (int i = 0; i < types.len; i++) {
    CXType t = *(CXType *)types.items[i];
    long off = type_decl_offset(fn->tu, t);
    if (off > (long)fn->def_range.start && off < (long)callee->def_range.start) {
      diag_error(fn->tu, tree_pos(aw->node),
                 "'%s' is defined further down and its frame uses '%s', "
                 "declared after '%s'; move the type (or '%s') above '%s'",
                 callee->name, arena_cxstr(a, clang_getTypeSpelling(t)),
                 fn->name, callee->name, fn->name);
      return;
    }
  }
}

void check_forward_callees(AsyncFn *fn) {
  bool any_later = false;
  for (int i = 0; i < fn->callees.len && !any_later; i++)
    any_later = ((AsyncFn *)fn->callees.items[i])->def_range.start >
                fn->def_range.start;
  if (!any_later)
    return;
  for (int i = 0; i < fn->awaits.len; i++)
    check_forward_callee(fn, fn->awaits.items[i]);
}

/* ---- ac_block_on and ac_spawn ----------------------------------------- */

/* The helper that stands in for ac_block_on or ac_spawn takes the callee's
 * parameters: it needs them listed, when it goes through a stub. */
static void check_helper_callee(Tu *tu, unsigned at, Node *call,
                                const char *what) {
  CXCursor callee = tree_referenced(call);
  if (find_definition(tu, callee))
    return;
  Node *via = tree_pointer_callee(call);
  CXType t = via ? *lower_via_type(tu, via) : clang_getCursorType(callee);
  if (clang_getCanonicalType(t).kind != CXType_FunctionNoProto &&
      !clang_isFunctionTypeVariadic(t))
    return;
  diag_error(tu, at,
             "%s() of a function declared without its parameters (or with "
             "'...'); declare them",
             what);
}

/* An async call, by name or through a pointer, for ac_block_on or
 * ac_spawn; NULL after a diagnostic. */
static Node *helper_call_of(Tu *tu, unsigned at, Node *call,
                            const char *what) {
  if (!call || call->ck != CXCursor_CallExpr) {
    diag_error(tu, at, "%s() needs a call of an async function", what);
    return NULL;
  }
  CXCursor callee = tree_referenced(call);
  if (clang_getCursorKind(callee) == CXCursor_FunctionDecl
          ? !tu_is_async_decl(tu, callee)
          : !tree_pointer_callee(call)) {
    diag_error(tu, at, "%s() needs a call of an async function", what);
    return NULL;
  }
  if (clang_getCursorKind(callee) == CXCursor_FunctionDecl)
    check_defined_here(tu, at, callee);
  check_helper_callee(tu, at, call, what);
  return call;
}

void check_block_on(Tu *tu, Node *n) {
  unsigned at = tree_pos(n);
  Node *call = helper_call_of(tu, at, tree_strip(n->operand), "ac_block_on");
  if (call && call->has_await)
    diag_error(tu, at, "'await' inside ac_block_on()");
}

void check_spawn(Tu *tu, Node *n) {
  unsigned at = tree_pos(n);
  if (n->operand && n->operand->has_await) {
    diag_error(tu, at, "'await' inside ac_spawn(); await into a variable "
                       "first");
    return;
  }
  helper_call_of(tu, at, n->operand, "ac_spawn");
}

/* ---- Uses of async functions ------------------------------------------ */

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
      !tu_is_async_decl(tu, target))
    return;
  Node *call = consumer(ref);
  if (!call || call->ck != CXCursor_CallExpr ||
      tree_strip(call->kids[0]) != ref) {
    /* Its address: that of its stub, which a static function then needs
     * (other functions have one anyway). */
    AsyncFn *fn = find_definition(tu, target);
    if (fn)
      fn->has_stub = true;
    return;
  }
  Node *user = consumer(call);
  bool marked = user && user->ck == CXCursor_BinaryOperator &&
                user->parent && user->parent->kind != N_OTHER;
  for (Node *p = call->parent; p && !marked; p = p->parent)
    marked = p->kind == N_SPAWN || p->kind == N_BRANCH;
  if (!marked) {
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(target));
    diag_error(tu, tree_pos(call),
               "call of async function '%s' is not awaited; use "
               "await(%s(...)), or ac_block_on() outside async functions",
               name, name);
  }
}

static void check_refs_in(Tu *tu, Node *n) {
  if (n->ck == CXCursor_DeclRefExpr)
    check_ref(tu, n);
  for (int i = 0; i < n->nkids; i++)
    check_refs_in(tu, n->kids[i]);
}

void check_async_refs(Tu *tu) {
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      check_refs_in(tu, fn->body);
  }
  for (int i = 0; i < tu->sync_fns.len; i++)
    check_refs_in(tu, tu->sync_fns.items[i]);
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
  const char *states[] = {"_START", "_DONE"};
  const char *name = NULL;
  for (const Suffix *x = find_generated_suffixes; x->s && !name; x++) {
    char *n = arena_cat(tu->arena, fn->name, x->s, NULL);
    if (names_has(&tu->macro_names, n))
      name = n;
  }
  for (int i = 0; i < 2 && !name; i++) {
    char *n = arena_cat(tu->arena, fn->upper, states[i], NULL);
    if (names_has(&tu->macro_names, n))
      name = n;
  }
  if (!name)
    return false;
  diag_error(tu, fn->def_range.start,
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
      diag_error(tu, fn->def_range.start,
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
      if (clang_getCursorKind(g->c) == CXCursor_FunctionDecl &&
          tu_is_async_decl(tu, g->c))
        continue;
      diag_error(tu, fn->def_range.start,
                 "async function '%s' needs the name '%s' (docs/abi.md), "
                 "which %s already declares; rename one of them",
                 fn->name, g->name, where(tu, g->c));
      break;
    }
  }
}

/* The variables the assignments under n write (`a = f(x)` writes a). */
static void assigned_refs(Tu *tu, Node *n, Vec *out) {
  bool assigns =
      n->ck == CXCursor_CompoundAssignOperator ||
      (n->ck == CXCursor_BinaryOperator &&
       clang_getCursorBinaryOperatorKind(n->c) == CXBinaryOperator_Assign);
  if (assigns && n->nkids == 2) {
    Node *lhs = tree_strip(n->kids[0]);
    if (lhs && lhs->ck == CXCursor_DeclRefExpr)
      vec_push(tu->arena, out, lhs);
  }
  for (int i = 0; i < n->nkids; i++)
    assigned_refs(tu, n->kids[i], out);
}

/* True if `ref` reads a variable that one of `written` writes. */
static bool reads_written(Node *ref, Vec *written) {
  if (ref->ck != CXCursor_DeclRefExpr)
    return false;
  CXCursor d = tree_referenced(ref);
  for (int i = 0; i < written->len; i++)
    if (clang_equalCursors(d, tree_referenced(written->items[i])))
      return true;
  return false;
}

/* Reads, in the arguments of the async calls under n, of what an earlier
 * operand writes: warned once each. */
static void check_operand_reads(Tu *tu, Node *n, Vec *written, bool in_args,
                                const char *what) {
  if (in_args && reads_written(n, written)) {
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(n->c));
    diag_warning(tu, tree_pos(n),
                 "'%s' is read here when %s starts, before the operand that "
                 "assigns it completes (the sync view runs the operands one "
                 "after another); assign it before the %s",
                 name, what, what);
    return;
  }
  bool call = n->ck == CXCursor_CallExpr;
  for (int i = 0; i < n->nkids; i++)
    check_operand_reads(tu, n->kids[i], written, in_args || (call && i > 0),
                        what);
}

/* The operands of ac_all and ac_race start together: every call's
 * arguments are evaluated before any operand runs, where the sync view
 * runs one operand after another. */
static void check_combinator_reads(Tu *tu, Node *n) {
  if ((n->kind == N_ALL || n->kind == N_RACE) && n->nbranches > 1) {
    const char *what = n->kind == N_ALL ? "ac_all" : "ac_race";
    Vec written = {0};
    for (int i = 0; i < n->nbranches; i++) {
      Node *b = n->branches[i]->operand;
      if (!b)
        continue;
      if (written.len)
        check_operand_reads(tu, b, &written, false, what);
      assigned_refs(tu, b, &written);
    }
  }
  for (int i = 0; i < n->nkids; i++)
    check_combinator_reads(tu, n->kids[i]);
}

void check_warnings(AsyncFn *fn) {
  if (fn->is_definition && fn->awaits.len == 0)
    diag_warning(fn->tu, fn->def_range.start,
                 "async function '%s' never awaits; it runs to completion "
                 "on its first poll",
                 fn->name);
  if (fn->is_definition && fn->body)
    check_combinator_reads(fn->tu, fn->body);
}
