/* safety.c -- warnings about addresses that outlive what they point to.
 *
 * A local of an async function lives in its frame (or, when no await
 * splits its life, in the poll function's stack frame), and the frame is
 * freed when the function finishes.  The sync view's compiler warns when
 * a function returns the address of its local; in the output that
 * address is &fr->x and the compiler cannot see the problem, so asyncc
 * says it.  It also says so where the address goes to a task that may
 * outlive the function, or into a variable that does. */
#include "transpiler.h"

#include <string.h>

/* Strips parentheses, implicit conversions and casts. */
static Node *strip(Node *n) {
  for (;;) {
    n = tree_strip(n);
    if (!n || n->ck != CXCursor_CStyleCastExpr || n->nkids == 0)
      return n;
    n = n->kids[n->nkids - 1];
  }
}

static bool is_array(Node *n) {
  return decl_is_array(clang_getCanonicalType(clang_getCursorType(n->c)));
}

static bool is_pointer(Node *n) {
  return clang_getCanonicalType(clang_getCursorType(n->c)).kind ==
         CXType_Pointer;
}

/* The local an lvalue is (part of): x, x.m, x[i] for an array x. */
static Var *local_object(AsyncFn *fn, Node *n) {
  n = strip(n);
  while (n && n->nkids > 0 &&
         ((n->ck == CXCursor_MemberRefExpr && !is_pointer(strip(n->kids[0]))) ||
          (n->ck == CXCursor_ArraySubscriptExpr && is_array(strip(n->kids[0])))))
    n = strip(n->kids[0]);
  if (!n || n->ck != CXCursor_DeclRefExpr)
    return NULL;
  Var *v = find_var_of_ref(fn, n);
  return v && v->automatic ? v : NULL;
}

/* The local whose storage the value of e points into: &x (or a part of
 * x), an array x, or such a pointer plus or minus an integer. */
static Var *addressed_local(AsyncFn *fn, Node *e) {
  e = strip(e);
  if (!e)
    return NULL;
  if (e->ck == CXCursor_UnaryOperator && e->nkids == 1 &&
      clang_getCursorUnaryOperatorKind(e->c) == CXUnaryOperator_AddrOf)
    return local_object(fn, e->kids[0]);
  if (is_array(e))
    return local_object(fn, e);
  if (e->ck == CXCursor_BinaryOperator && e->nkids == 2) {
    enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(e->c);
    if (k == CXBinaryOperator_Add || k == CXBinaryOperator_Sub) {
      Var *v = addressed_local(fn, e->kids[0]);
      return v ? v : k == CXBinaryOperator_Add ? addressed_local(fn, e->kids[1])
                                                : NULL;
    }
  }
  if (e->ck == CXCursor_ConditionalOperator && e->nkids == 3) {
    Var *v = addressed_local(fn, e->kids[1]);
    return v ? v : addressed_local(fn, e->kids[2]);
  }
  return NULL;
}

/* A variable that outlives any call of the function: a file-scope or
 * static one. */
static const char *lasting_variable(Tu *tu, Node *n) {
  n = strip(n);
  if (!n || n->ck != CXCursor_DeclRefExpr)
    return NULL;
  CXCursor d = clang_getCursorReferenced(n->c);
  if (clang_getCursorKind(d) != CXCursor_VarDecl)
    return NULL;
  bool file_scope = clang_getCursorKind(clang_getCursorSemanticParent(d)) ==
                    CXCursor_TranslationUnit;
  if (!file_scope && clang_Cursor_getStorageClass(d) != CX_SC_Static)
    return NULL;
  return arena_cxstr(tu->arena, clang_getCursorSpelling(d));
}

/* The variable an lvalue is part of: h, h[i], h.m; a null cursor if none. */
static CXCursor base_variable(Node *n) {
  n = strip(n);
  while (n && n->nkids > 0 && (n->ck == CXCursor_MemberRefExpr ||
                               n->ck == CXCursor_ArraySubscriptExpr))
    n = strip(n->kids[0]);
  if (!n || n->ck != CXCursor_DeclRefExpr)
    return clang_getNullCursor();
  return clang_getCursorReferenced(n->c);
}

/* Where an ac_spawn's handle goes: the variable it is stored in (`h =`,
 * `AC_TASK(T) h =`, `hs[i] =`), or, when it is added to a scope at once,
 * that scope (*scoped).  A null cursor otherwise. */
static CXCursor handle_of(Node *spawn, bool *scoped) {
  Node *n = spawn;
  *scoped = false;
  while (n->parent && (n->parent->ck == CXCursor_ParenExpr ||
                       n->parent->ck == CXCursor_UnexposedExpr ||
                       n->parent->ck == CXCursor_CStyleCastExpr))
    n = n->parent;
  Node *p = n->parent;
  if (p && p->ck == CXCursor_VarDecl)
    return p->c;
  if (p && p->ck == CXCursor_BinaryOperator && p->nkids == 2 &&
      p->kids[1] == n &&
      clang_getCursorBinaryOperatorKind(p->c) == CXBinaryOperator_Assign)
    return base_variable(p->kids[0]);
  if (p && p->ck == CXCursor_CallExpr &&
      tree_is_call_to(p->c, "ac_scope_add"))
    *scoped = true;
  return clang_getNullCursor();
}

/* True if the function joins, aborts or hands to a scope a task whose
 * handle is kept in `h`: it then does not outlive the function's locals
 * unless the function returns first, which asyncc does not follow. */
static bool handle_kept(Node *n, CXCursor h) {
  if (n->kind == N_JOIN && n->operand &&
      clang_equalCursors(base_variable(n->operand), h))
    return true;
  if (n->ck == CXCursor_CallExpr &&
      (tree_is_call_to(n->c, "ac_scope_add") ||
       tree_is_call_to(n->c, "ac_task_abort")))
    for (int i = 0; i < n->nkids; i++)
      if (clang_equalCursors(base_variable(n->kids[i]), h))
        return true;
  for (int i = 0; i < n->nkids; i++)
    if (handle_kept(n->kids[i], h))
      return true;
  return false;
}

static void check_spawn_args(AsyncFn *fn, Node *spawn) {
  Node *call = spawn->operand ? strip(spawn->operand) : NULL;
  if (!call || call->ck != CXCursor_CallExpr)
    return;
  bool scoped;
  CXCursor h = handle_of(spawn, &scoped);
  if (scoped || (!clang_Cursor_isNull(h) && handle_kept(fn->body, h)))
    return;
  int n = clang_Cursor_getNumArguments(call->c);
  for (int i = 0; i < n; i++) {
    Node *arg = tree_call_arg(call, i);
    Var *v = addressed_local(fn, arg);
    if (!v)
      continue;
    diag_warning(fn->tu, tree_pos(arg),
                 "the address of local '%s' goes to a task that may outlive "
                 "'%s': '%s' lives in the frame of '%s'",
                 v->name, fn->name, v->name, fn->name);
    diag_note(fn->tu, tree_pos(spawn),
              "join the task (or add it to a scope that is joined) before "
              "'%s' finishes, or pass a copy",
              fn->name);
  }
}

static void walk(AsyncFn *fn, Node *n) {
  Tu *tu = fn->tu;
  if (n->ck == CXCursor_ReturnStmt && n->nkids == 1) {
    Var *v = addressed_local(fn, n->kids[0]);
    if (v)
      diag_warning(tu, tree_pos(n->kids[0]),
                   "async function '%s' returns the address of its local "
                   "'%s', which lives in its frame: the frame is freed when "
                   "'%s' finishes",
                   fn->name, v->name, fn->name);
  }
  if (n->ck == CXCursor_BinaryOperator && n->nkids == 2 &&
      clang_getCursorBinaryOperatorKind(n->c) == CXBinaryOperator_Assign) {
    const char *lasting = lasting_variable(tu, n->kids[0]);
    Var *v = lasting ? addressed_local(fn, n->kids[1]) : NULL;
    if (v)
      diag_warning(tu, tree_pos(n->kids[1]),
                   "the address of local '%s' is stored in '%s', which "
                   "outlives the frame of '%s' that '%s' lives in",
                   v->name, lasting, fn->name, v->name);
  }
  if (n->kind == N_SPAWN)
    check_spawn_args(fn, n);
  for (int i = 0; i < n->nkids; i++)
    if (!tree_is_repeat(n, i))
      walk(fn, n->kids[i]);
}

void check_lifetimes(AsyncFn *fn) {
  if (fn->is_definition && fn->body)
    walk(fn, fn->body);
}
