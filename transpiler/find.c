/* find.c -- discovers the async functions of the main file, their
 * parameters, locals and await sites, and the ac_block_on and ac_spawn
 * calls elsewhere. */
#include "transpiler.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *upper_name(Arena *a, const char *s) {
  char *u = arena_strdup(a, s);
  for (char *p = u; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  return u;
}

/* `_Alignas(N)` as written, or `aligned(N)` as an attribute. */
static char *alignment_text(Tu *tu, Node *attr) {
  char *text = tree_span_text(attr);
  if (!text || !strchr(text, '('))
    return NULL;
  if (strncmp(text, "aligned", 7) == 0 || strncmp(text, "__aligned__", 11) == 0)
    return arena_printf(tu->arena, "__attribute__((%s))", text);
  return text;
}

/* The function named by a cleanup attribute, or NULL for another one. */
static char *cleanup_function(Tu *tu, Node *attr) {
  char *text = tree_span_text(attr);
  size_t skip = 0;
  if (text && strncmp(text, "cleanup(", 8) == 0)
    skip = 8;
  else if (text && strncmp(text, "__cleanup__(", 12) == 0)
    skip = 12;
  if (!skip)
    return NULL;
  const char *name = text + skip;
  while (*name == ' ')
    name++;
  size_t n = 0;
  while (is_ident_char(name[n]))
    n++;
  return n ? arena_strndup(tu->arena, name, n) : NULL;
}

static void read_attributes(AsyncFn *fn, Var *v) {
  Arena *a = fn->tu->arena;
  Node *decl = v->decl;
  for (int i = 0; i < decl->nkids; i++) {
    Node *k = decl->kids[i];
    if (k->ck == CXCursor_UnexposedAttr && !v->cleanup)
      v->cleanup = cleanup_function(fn->tu, k);
    if (k->ck != CXCursor_AlignedAttr)
      continue;
    char *text = alignment_text(fn->tu, k);
    if (text)
      v->align_spec = v->align_spec
                          ? arena_printf(a, "%s %s", v->align_spec, text)
                          : text;
    const char *num = strchr(text ? text : "", '(');
    while (num && *num && !(*num >= '0' && *num <= '9'))
      num++;
    long n = num && *num ? strtol(num, NULL, 0) : 0;
    if (n > v->align_value)
      v->align_value = n;
  }
}

static Var *new_var(AsyncFn *fn, Node *decl, VarKind kind) {
  Arena *a = fn->tu->arena;
  Var *v = arena_alloc(a, sizeof *v);
  v->kind = kind;
  v->decl = decl;
  v->index = fn->vars.len;
  v->name = arena_cxstr(a, clang_getCursorSpelling(decl->c));
  v->type = clang_getCursorType(decl->c);
  if (kind == VAR_PARAM)
    v->type = decl_adjusted(v->type);
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl->c);
  v->automatic = sc != CX_SC_Static && sc != CX_SC_Extern;
  read_attributes(fn, v);
  vec_push(a, &fn->vars, v);
  CXCursor *key = arena_alloc(a, sizeof *key);
  *key = decl->c;
  map_put(&fn->var_by_decl, map_hash_cursor(decl->c), key, v);
  return v;
}

/* The async function a call expression calls, if any. */
static bool async_callee(Tu *tu, Node *call, CXCursor *out) {
  if (!call || call->ck != CXCursor_CallExpr)
    return false;
  CXCursor callee = tree_referenced(call);
  if (clang_getCursorKind(callee) != CXCursor_FunctionDecl ||
      !tu_is_async_decl(tu, callee))
    return false;
  *out = callee;
  return true;
}

static char *spell_type(Arena *a, CXType t) {
  return arena_cxstr(a, clang_getTypeSpelling(t));
}

/* The await as written: the await invocation holding its operand, whose
 * argument is spelled in the file; else the node's own text. */
static char *await_text(Tu *tu, Node *n) {
  Expansion *x = tree_marker_invocation(n, "await");
  if (x)
    return tu_text(tu, x->r);
  return tu_text(tu, tree_range(n));
}

static void add_await(AsyncFn *fn, Node *n) {
  Tu *tu = fn->tu;
  Arena *a = tu->arena;
  AwaitSite *aw = arena_alloc(a, sizeof *aw);
  aw->node = n;
  n->await = aw;
  aw->line = tu_line(tu, tree_pos(n));
  aw->text = await_text(tu, n);
  aw->id = fn->awaits.len + 1;
  aw->fn = fn;
  Node *call = tree_strip(n->operand);
  if (call && (call->kind == N_ALL || call->kind == N_RACE)) {
    aw->kind = AW_COMBINE;
    aw->call = call;
    aw->fut = combine_build(tu, call);
    if (!aw->fut)
      aw->kind = AW_NONE;
    aw->callee_name = arena_strdup(a, call->kind == N_ALL ? "ac_all"
                                                          : "ac_race");
    if (call->kind == N_RACE)
      aw->result_type = arena_strdup(a, "int");
    aw->rtype = clang_getCursorType(call->c);
  } else if (call && call->kind == N_JOIN && call->operand) {
    aw->kind = AW_JOIN;
    aw->call = call;
    aw->callee_name = arena_strdup(a, "ac_join");
    aw->rtype = clang_getCursorType(call->c);
    if (!call->void_join &&
        clang_getCanonicalType(aw->rtype).kind != CXType_Void)
      aw->result_type = spell_type(a, aw->rtype);
  } else if (async_callee(tu, call, &aw->callee)) {
    aw->kind = AW_ASYNC_FN; /* or AW_STUB: resolve_callees */
    aw->call = call;
    aw->callee_name = arena_cxstr(a, clang_getCursorSpelling(aw->callee));
    aw->rtype = clang_getCursorType(call->c);
    if (clang_getCanonicalType(aw->rtype).kind != CXType_Void)
      aw->result_type = spell_type(a, aw->rtype);
  } else if (tree_pointer_callee(call)) {
    aw->kind = AW_STUB;
    aw->call = call;
    aw->callee_expr = tree_pointer_callee(call);
    aw->callee_name = arena_strdup(a, "(pointer)");
    aw->rtype = clang_getCursorType(call->c);
    if (clang_getCanonicalType(aw->rtype).kind != CXType_Void)
      aw->result_type = spell_type(a, aw->rtype);
  }
  vec_push(a, &fn->awaits, aw);
}

/* Identifiers the body spells that generated names must not equal. */
static void note_name(AsyncFn *fn, Node *n) {
  switch (n->ck) {
  case CXCursor_DeclRefExpr:
  case CXCursor_TypeRef:
  case CXCursor_LabelStmt:
  case CXCursor_LabelRef:
  case CXCursor_VarDecl:
  case CXCursor_ParmDecl:
  case CXCursor_TypedefDecl:
  case CXCursor_EnumConstantDecl: {
    CXString s = clang_getCursorSpelling(n->c);
    const char *name = clang_getCString(s);
    /* A type reference spells "struct s": its name is the last word. */
    const char *space = strrchr(name, ' ');
    name = space ? space + 1 : name;
    names_add(&fn->used_names, name, strlen(name));
    clang_disposeString(s);
    return;
  }
  default:
    return;
  }
}

/* __func__ and its GNU spellings are string literals in the tree, spelled
 * by an identifier (here or in a macro, such as assert's): note which. */
static void note_predefined(AsyncFn *fn, Node *n) {
  if (n->ck != CXCursor_StringLiteral)
    return;
  CXFile file;
  unsigned off;
  clang_getSpellingLocation(clang_getCursorLocation(n->c), &file, NULL, NULL,
                            &off);
  size_t len = 0;
  const char *text =
      file ? clang_getFileContents(fn->tu->tu, file, &len) : NULL;
  if (!text || off >= len || !is_ident_char(text[off]))
    return;
  static const struct {
    const char *name;
    unsigned flag;
  } names[] = {{"__func__", PREDEF_FUNC},
               {"__FUNCTION__", PREDEF_FUNC},
               {"__PRETTY_FUNCTION__", PREDEF_PRETTY}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t k = strlen(names[i].name);
    if (off + k <= len && memcmp(text + off, names[i].name, k) == 0 &&
        (off + k == len || !is_ident_char(text[off + k])))
      fn->predefined |= names[i].flag | PREDEF_FUNC;
  }
}

/* Collects locals and awaits in evaluation order (an await's operand is
 * scanned first: its awaits complete first), the spawns, and the names
 * the body uses.  A block literal's locals are its own. */
static void scan_body(AsyncFn *fn, Node *n, bool in_stmt_expr) {
  Arena *a = fn->tu->arena;
  note_name(fn, n);
  note_predefined(fn, n);
  if (n->ck == CXCursor_VarDecl)
    new_var(fn, n, VAR_LOCAL)->in_stmt_expr = in_stmt_expr;
  if (n->kind == N_SPAWN) {
    vec_push(a, &fn->tu->spawns, n);
    vec_push(a, &fn->spawns, n);
  }
  if (n->ck == CXCursor_BlockExpr)
    return;
  in_stmt_expr |= n->ck == CXCursor_StmtExpr;
  for (int i = 0; i < n->nkids; i++)
    if (!tree_is_repeat(n, i))
      scan_body(fn, n->kids[i], in_stmt_expr);
  if (n->kind == N_AWAIT)
    add_await(fn, n);
}

static AsyncFn *new_fn(Tu *tu, CXCursor c) {
  Arena *a = tu->arena;
  AsyncFn *fn = arena_alloc(a, sizeof *fn);
  fn->tu = tu;
  fn->decl = c;
  fn->canon = clang_getCanonicalCursor(c);
  fn->name = arena_cxstr(a, clang_getCursorSpelling(c));
  fn->upper = upper_name(a, fn->name);
  CXType rt = clang_getCursorResultType(c);
  if (clang_getCanonicalType(rt).kind != CXType_Void)
    fn->ret_type = spell_type(a, rt);
  fn->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
  fn->has_stub = !fn->is_static;
  fn->is_definition = clang_isCursorDefinition(c);
  map_init(&fn->var_by_decl, a, map_eq_cursor);
  map_init(&fn->used_names, a, map_eq_str);
  fn->root = tree_build(tu, c);
  fn->def_range = tree_range(fn->root);
  fn->line = tu_line(tu, fn->def_range.start);
  return fn;
}

static void load_definition(AsyncFn *fn) {
  Node *root = fn->root;
  /* Only the function's own parameters: a returned function pointer's
   * parameters are children of the declaration too. */
  int nparams = clang_Cursor_getNumArguments(fn->decl);
  for (int p = 0; p < nparams; p++) {
    CXCursor parm = clang_Cursor_getArgument(fn->decl, (unsigned)p);
    for (int i = 0; i < root->nkids; i++)
      if (clang_equalCursors(root->kids[i]->c, parm)) {
        new_var(fn, root->kids[i], VAR_PARAM);
        note_name(fn, root->kids[i]);
      }
  }
  fn->nparams = fn->vars.len;
  for (int i = 0; i < root->nkids; i++)
    if (root->kids[i]->ck == CXCursor_CompoundStmt)
      fn->body = root->kids[i];
  if (!fn->body)
    internal_error("async function definition without a body");
  scan_body(fn, fn->body, false);
}

/* Awaits outside async functions are refused; ac_block_on calls there are
 * remembered for rewriting. */
static void scan_sync(Tu *tu, Node *n) {
  if (n->kind == N_AWAIT)
    diag_error(tu, tree_pos(n),
               "'await' outside an async function; mark the enclosing "
               "function 'async' or use ac_block_on()");
  if (n->kind == N_BLOCK_ON)
    vec_push(tu->arena, &tu->block_ons, n);
  if (n->kind == N_SPAWN)
    vec_push(tu->arena, &tu->spawns, n);
  if (n->kind == N_JOIN)
    diag_error(tu, tree_pos(n),
               "ac_join() outside an async function; "
               "join from an async function with await");
  for (int i = 0; i < n->nkids; i++)
    if (n->kids[i]->has_marker && !tree_is_repeat(n, i))
      scan_sync(tu, n->kids[i]);
}

static void add_fn(Tu *tu, AsyncFn *fn) {
  fn->index = tu->fns.len;
  vec_push(tu->arena, &tu->fns, fn);
  /* The last definition, else the first declaration, answers lookups. */
  unsigned h = map_hash_cursor(fn->canon);
  AsyncFn *known = map_get(&tu->fn_by_decl, h, &fn->canon);
  if (!known || (fn->is_definition && !known->is_definition))
    map_put(&tu->fn_by_decl, h, &fn->canon, fn);
}

/* docs/abi.md: the frame, state enum, functions and helpers of f. */
#define SUFFIX(s) {s, sizeof s - 1}
const Suffix find_generated_suffixes[] = {
    SUFFIX("_frame"),    SUFFIX("_state"), SUFFIX("_init"),
    SUFFIX("_poll"),     SUFFIX("_drop"),  SUFFIX("_type"),
    SUFFIX("_block_on"), SUFFIX("_spawn"), SUFFIX("_info"),
    SUFFIX("_states"),   {NULL, 0}};
#undef SUFFIX

size_t find_generated_suffix(const char *name) {
  const char *us = strchr(name, '_');
  if (!us || us == name)
    return 0;
  size_t len = strlen(name);
  for (const Suffix *x = find_generated_suffixes; x->s; x++)
    if (len > x->n && memcmp(name + len - x->n, x->s, x->n) == 0)
      return len - x->n;
  return 0;
}

/* An enumerator is declared at file scope with its enum. */
static enum CXChildVisitResult add_enumerator(CXCursor c, CXCursor parent,
                                              CXClientData data) {
  (void)parent;
  Tu *tu = data;
  if (clang_getCursorKind(c) == CXCursor_EnumConstantDecl) {
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
    names_add(&tu->file_scope_names, name, strlen(name));
  }
  return CXChildVisit_Continue;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
                                         CXClientData data) {
  (void)parent;
  Tu *tu = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_MacroDefinition || k == CXCursor_MacroExpansion ||
      k == CXCursor_InclusionDirective)
    return CXChildVisit_Continue;
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
  if (k == CXCursor_StructDecl && clang_isCursorDefinition(c) && name[0]) {
    CXType *t = arena_alloc(tu->arena, sizeof *t);
    *t = clang_getCursorType(c);
    map_put(&tu->complete_structs, hash_str(name), name, t);
  }
  if (name[0])
    names_add(&tu->file_scope_names, name, strlen(name));
  if (k == CXCursor_EnumDecl)
    clang_visitChildren(c, add_enumerator, tu);
  size_t stem = name[0] ? find_generated_suffix(name) : 0;
  if (stem) {
    NamedCursor *g = arena_alloc(tu->arena, sizeof *g);
    *g = (NamedCursor){name, c, stem};
    vec_push(tu->arena, &tu->generated_like, g);
  }
  if (!tu_in_main_file(tu, c))
    return CXChildVisit_Continue;
  if (k == CXCursor_FunctionDecl && tu_is_async_decl(tu, c)) {
    AsyncFn *fn = new_fn(tu, c);
    add_fn(tu, fn);
    if (fn->is_definition)
      load_definition(fn);
  } else if (k == CXCursor_FunctionDecl || k == CXCursor_VarDecl) {
    Node *root = tree_build(tu, c);
    if (root->has_marker)
      scan_sync(tu, root);
    /* Function bodies and file-scope initialisers may name async
     * functions (check_async_refs). */
    if ((k == CXCursor_FunctionDecl && clang_isCursorDefinition(c)) ||
        k == CXCursor_VarDecl)
      vec_push(tu->arena, &tu->sync_fns, root);
  }
  return CXChildVisit_Continue;
}

AsyncFn *find_fn_by_cursor(Tu *tu, CXCursor decl) {
  CXCursor canon = clang_getCanonicalCursor(decl);
  return map_get(&tu->fn_by_decl, map_hash_cursor(canon), &canon);
}

AsyncFn *find_definition(Tu *tu, CXCursor decl) {
  AsyncFn *fn = find_fn_by_cursor(tu, decl);
  return fn && fn->is_definition ? fn : NULL;
}

const CXType *find_struct(Tu *tu, const char *name) {
  return map_get(&tu->complete_structs, hash_str(name), name);
}

Var *find_var(AsyncFn *fn, CXCursor decl) {
  return map_get(&fn->var_by_decl, map_hash_cursor(decl), &decl);
}

Var *find_var_of_ref(AsyncFn *fn, Node *ref) {
  CXCursor decl = tree_referenced(ref);
  enum CXCursorKind k = clang_getCursorKind(decl);
  if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
    return NULL;
  return find_var(fn, decl);
}

bool name_is_used(AsyncFn *fn, const char *name) {
  return names_has(&fn->used_names, name) ||
         names_has(&fn->tu->macro_names, name);
}

/* The functions defined in this file that an await runs. */
static void await_callees(Tu *tu, AwaitSite *aw, Vec *out) {
  if (aw->kind == AW_ASYNC_FN) {
    AsyncFn *callee = find_definition(tu, aw->callee);
    if (callee)
      vec_push(tu->arena, out, callee);
  } else if (aw->kind == AW_COMBINE) {
    Vec calls = {0};
    combine_calls(aw, &calls);
    for (int i = 0; i < calls.len; i++) {
      AsyncFn *callee =
          find_definition(tu, tree_referenced(calls.items[i]));
      if (callee)
        vec_push(tu->arena, out, callee);
    }
  }
}

/* True if `from` awaits `target`, directly or through other functions.
 * Each search marks the functions it has visited with its own number. */
static bool reaches(AsyncFn *from, AsyncFn *target, int search) {
  if (from->visited == search)
    return false;
  from->visited = search;
  for (int i = 0; i < from->callees.len; i++) {
    AsyncFn *callee = from->callees.items[i];
    if (callee == target || reaches(callee, target, search))
      return true;
  }
  return false;
}

static bool on_cycle(AsyncFn *callee, AsyncFn *fn, int *searches) {
  return callee == fn || reaches(callee, fn, ++*searches);
}

/* Marks awaits of functions on a call cycle (recursion) as dynamic: their
 * frames cannot be embedded in each other. */
static void mark_dynamic(Tu *tu, AsyncFn *fn, int *searches) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind == AW_COMBINE) {
      Vec callees = {0};
      await_callees(tu, aw, &callees);
      for (int k = 0; k < callees.len; k++) {
        AsyncFn *callee = callees.items[k];
        /* A frame cannot hold itself: the call goes through the stub. */
        if (on_cycle(callee, fn, searches)) {
          combine_through_stub(tu, aw->fut, callee);
          callee->has_stub = true;
        }
      }
    }
    if (aw->kind != AW_ASYNC_FN)
      continue;
    AsyncFn *callee = find_definition(tu, aw->callee);
    if (callee) {
      aw->dynamic = on_cycle(callee, fn, searches);
      fn->is_recursive |= aw->dynamic;
    }
  }
}

/* State constants are prefixed with the upper-cased name; two functions
 * whose names differ only in case keep their own spelling instead. */
static void unique_prefixes(Tu *tu) {
  Map by_upper;
  map_init(&by_upper, tu->arena, map_eq_str);
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    AsyncFn *other = map_get(&by_upper, hash_str(fn->upper), fn->upper);
    if (other && strcmp(other->name, fn->name) != 0) {
      fn->upper = fn->name;
      other->upper = other->name;
    }
    map_put(&by_upper, hash_str(fn->upper), fn->upper, fn);
  }
}

/* Once every function of the file is known: a callee of another file is
 * reached through its stub, unless its frame is declared here (a future
 * written by hand). */
static void resolve_callees(Tu *tu, AsyncFn *fn) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind == AW_COMBINE)
      combine_resolve(tu, aw->fut);
    if (aw->kind == AW_ASYNC_FN && !find_definition(tu, aw->callee) &&
        !find_struct(tu, arena_printf(tu->arena, "%s_frame",
                                      aw->callee_name)))
      aw->kind = AW_STUB;
  }
}

void find_async(Tu *tu) {
  clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), visit_top, tu);
  unique_prefixes(tu);
  for (int i = 0; i < tu->fns.len; i++)
    resolve_callees(tu, tu->fns.items[i]);
  /* The call graph between this file's async functions, once. */
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    for (int k = 0; k < fn->awaits.len; k++)
      await_callees(tu, fn->awaits.items[k], &fn->callees);
  }
  int searches = 0;
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      mark_dynamic(tu, fn, &searches);
  }
}
