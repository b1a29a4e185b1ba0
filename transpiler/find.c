/* find.c -- discovers the async functions of the main file, their
 * parameters, locals and await sites, and the ac_block_on calls elsewhere. */
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

static char *type_spelling(Arena *a, CXType t) {
  return decl_type_spelling(a, t);
}

/* The text of an alignment specifier from its attribute cursor, which
 * covers only the keyword: `_Alignas(N)` or `aligned(N)` with its
 * parenthesised operand. */
static char *alignment_text(Tu *tu, Node *attr) {
  unsigned p = tree_range(attr).start;
  while (p < tu->src_len && tu->src[p] != '(')
    p++;
  int depth = 0;
  unsigned e = p;
  for (; e < tu->src_len; e++) {
    depth += tu->src[e] == '(';
    if (tu->src[e] == ')' && --depth == 0)
      break;
  }
  if (e >= tu->src_len)
    return NULL;
  char *text = tu_text(tu, (Range){tree_range(attr).start, e + 1});
  if (strncmp(text, "aligned", 7) == 0)
    return arena_printf(tu->arena, "__attribute__((%s))", text);
  return text;
}

static Var *new_var(AsyncFn *fn, Node *decl, bool is_param) {
  Arena *a = fn->tu->arena;
  Var *v = arena_alloc(a, sizeof *v);
  v->decl = decl;
  v->name = arena_cxstr(a, clang_getCursorSpelling(decl->c));
  v->type = type_spelling(a, clang_getCursorType(decl->c));
  v->is_param = is_param;
  for (int i = 0; i < decl->nkids; i++)
    if (decl->kids[i]->ck == CXCursor_AlignedAttr) {
      char *text = alignment_text(fn->tu, decl->kids[i]);
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
  return v;
}

/* Skips a string or character literal opened by the quote at s[p], as
 * clang's lexer does: to the closing quote, or to the end of the line if
 * it is unterminated. */
static size_t skip_literal(const char *s, size_t p, size_t end) {
  char quote = s[p++];
  while (p < end && s[p] != quote && s[p] != '\n' && s[p] != '\r') {
    if (s[p] == '\\' && p + 1 < end)
      p++;
    p++;
  }
  return p < end && s[p] == quote ? p + 1 : p;
}

enum { CHAR_IDENT = 1, CHAR_OTHER = 2 };

/* CHAR_IDENT for the characters of identifiers (is_ident_char), CHAR_OTHER
 * for the others that start something used_names_from_text must look at;
 * 0 for blanks and operators. */
static const unsigned char *char_classes(void) {
  static unsigned char cls[256];
  static bool ready;
  if (!ready) {
    for (int c = 0; c < 256; c++) {
      if (is_ident_char((char)c))
        cls[c] = CHAR_IDENT;
      else if (c >= 0x80 || strchr("\\?/\"'.", c))
        cls[c] = CHAR_OTHER;
    }
    ready = true;
  }
  return cls;
}

/* The identifiers (and keywords, which no generated name equals) spelled
 * in the function, read from the file's text: cheaper than asking libclang
 * for every token.  Returns false, having added nothing, on text whose
 * lexing would need more than this (line splices, trigraphs, universal
 * character names, bytes outside ASCII, u8 character literals). */
static bool used_names_from_text(AsyncFn *fn) {
  Tu *tu = fn->tu;
  const char *s = tu->src;
  size_t p = fn->def_range.start, end = fn->def_range.end;
  NameSet names = {0};
  const unsigned char *cls = char_classes();
  while (p < end) {
    char c = s[p];
    if (!cls[(unsigned char)c]) {
      p++; /* a blank or an operator, which the chain below would skip */
      continue;
    }
    if ((unsigned char)c >= 0x80 || c == '\\' ||
        (c == '?' && p + 1 < end && s[p + 1] == '?'))
      return false;
    if (c == '/' && p + 1 < end && s[p + 1] == '/') {
      while (p < end && s[p] != '\n') {
        if (s[p] == '\\')
          return false; /* a splice would continue the comment */
        p++;
      }
    } else if (c == '/' && p + 1 < end && s[p + 1] == '*') {
      const char *close = strstr(s + p + 2, "*/");
      p = close ? (size_t)(close - s) + 2 : end;
    } else if (c == '"' || c == '\'') {
      p = skip_literal(s, p, end);
    } else if ((c >= '0' && c <= '9') ||
               (c == '.' && p + 1 < end && s[p + 1] >= '0' &&
                s[p + 1] <= '9')) {
      /* A preprocessing number: 1e+5 and 0x1p-3 are one token each. */
      p++;
      while (p < end && (is_ident_char(s[p]) || s[p] == '.' ||
                         ((s[p] == '+' || s[p] == '-') &&
                          strchr("eEpP", s[p - 1]))))
        p++;
      if (p < end && ((unsigned char)s[p] >= 0x80 || s[p] == '\\'))
        return false;
    } else if (is_ident_char(c)) {
      size_t start = p;
      while (p < end && (cls[(unsigned char)s[p]] & CHAR_IDENT))
        p++;
      if (p < end && ((unsigned char)s[p] >= 0x80 || s[p] == '\\'))
        return false;
      size_t n = p - start;
      bool prefix = (n == 1 && strchr("LuU", s[start])) ||
                    (n == 2 && s[start] == 'u' && s[start + 1] == '8');
      if (prefix && p < end && (s[p] == '"' || s[p] == '\'')) {
        if (n == 2 && s[p] == '\'')
          return false;
        p = skip_literal(s, p, end);
        continue;
      }
      names_add(tu->arena, &names, s + start, n);
    } else {
      p++;
    }
  }
  fn->used_names = names;
  return true;
}

static void collect_used_names(AsyncFn *fn) {
  if (used_names_from_text(fn))
    return;
  Tu *tu = fn->tu;
  CXToken *toks;
  unsigned n;
  /* The file range, not the cursor's extent, which starts inside the
   * `async` macro (libclang tokenizes nothing from there). */
  CXSourceRange r = clang_getRange(
      clang_getLocationForOffset(tu->tu, tu->main_file, fn->def_range.start),
      clang_getLocationForOffset(tu->tu, tu->main_file, fn->def_range.end));
  clang_tokenize(tu->tu, r, &toks, &n);
  for (unsigned i = 0; i < n; i++) {
    if (clang_getTokenKind(toks[i]) != CXToken_Identifier)
      continue;
    CXString name = clang_getTokenSpelling(tu->tu, toks[i]);
    const char *t = clang_getCString(name);
    names_add(tu->arena, &fn->used_names, t ? t : "", t ? strlen(t) : 0);
    clang_disposeString(name);
  }
  clang_disposeTokens(tu->tu, toks, n);
}

bool name_is_used(AsyncFn *fn, const char *name) {
  return names_has(&fn->used_names, name) ||
         names_has(&fn->tu->macro_names, name);
}

/* The async function a call expression calls, if any. */
static bool async_callee(Node *call, CXCursor *out) {
  if (!call || call->ck != CXCursor_CallExpr)
    return false;
  CXCursor callee = tree_referenced(call);
  if (clang_getCursorKind(callee) != CXCursor_FunctionDecl ||
      !tu_is_async_decl(callee))
    return false;
  *out = callee;
  return true;
}

static void add_await(AsyncFn *fn, Node *n) {
  Arena *a = fn->tu->arena;
  AwaitSite *aw = arena_alloc(a, sizeof *aw);
  aw->node = n;
  n->await = aw;
  aw->line = tu_line(fn->tu, tree_range(n).start);
  aw->text = tu_text(fn->tu, tree_range(n));
  aw->id = fn->awaits.len + 1;
  aw->fn = fn;
  Node *call = tree_strip(n->operand);
  if (call && (call->kind == N_ALL || call->kind == N_RACE)) {
    aw->kind = AW_COMBINE;
    aw->call = call;
    aw->fut = combine_build(fn->tu, call);
    if (!aw->fut)
      aw->kind = AW_NONE;
    aw->callee_name = arena_strdup(a, call->kind == N_ALL ? "ac_all"
                                                          : "ac_race");
    if (call->kind == N_RACE)
      aw->result_type = arena_strdup(a, "int");
  } else if (call && call->kind == N_JOIN && call->operand) {
    aw->kind = AW_JOIN;
    aw->call = call;
    aw->callee_name = arena_strdup(a, "ac_join");
    CXType rt = clang_getCursorType(call->c);
    if (!call->void_join && clang_getCanonicalType(rt).kind != CXType_Void)
      aw->result_type = type_spelling(a, rt);
  } else if (async_callee(call, &aw->callee)) {
    aw->kind = AW_ASYNC_FN;
    aw->call = call;
    aw->callee_name = arena_cxstr(a, clang_getCursorSpelling(aw->callee));
    CXType rt = clang_getCursorType(call->c);
    if (clang_getCanonicalType(rt).kind != CXType_Void)
      aw->result_type = type_spelling(a, rt);
  }
  vec_push(a, &fn->awaits, aw);
}

/* Collects locals and awaits in source order, and the returns of GNU
 * statement expressions.  A local of a statement expression is left out:
 * no await may lie in one (check.c), so the local ends before any await
 * and stays as it is written.  A block literal's returns are its own. */
static void scan_body(AsyncFn *fn, Node *n, bool in_stmt_expr,
                      bool in_block) {
  Arena *a = fn->tu->arena;
  if (n->ck == CXCursor_VarDecl && !in_stmt_expr)
    vec_push(a, &fn->locals, new_var(fn, n, false));
  if (n->ck == CXCursor_ReturnStmt && in_stmt_expr && !in_block)
    vec_push(a, &fn->stmt_expr_returns, n);
  if (n->kind == N_SPAWN)
    vec_push(a, &fn->tu->spawns, n);
  in_stmt_expr |= n->ck == CXCursor_StmtExpr;
  in_block |= n->ck == CXCursor_BlockExpr;
  for (int i = 0; i < n->nkids; i++) {
    /* An await's operand is scanned first: its awaits complete first. */
    scan_body(fn, n->kids[i], in_stmt_expr, in_block);
  }
  if (n->kind == N_AWAIT)
    add_await(fn, n);
}

static AsyncFn *new_fn(Tu *tu, CXCursor c) {
  Arena *a = tu->arena;
  AsyncFn *fn = arena_alloc(a, sizeof *fn);
  fn->tu = tu;
  fn->decl = c;
  fn->canon = clang_getCanonicalCursor(c);
  fn->canon_hash = clang_hashCursor(fn->canon);
  fn->name = arena_cxstr(a, clang_getCursorSpelling(c));
  fn->upper = upper_name(a, fn->name);
  CXType rt = clang_getCursorResultType(c);
  if (clang_getCanonicalType(rt).kind != CXType_Void)
    fn->ret_type = type_spelling(a, rt);
  fn->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
  fn->is_definition = clang_isCursorDefinition(c);
  fn->def_range = tu_range(tu, c);
  fn->line = tu_line(tu, fn->def_range.start);
  return fn;
}

static void load_definition(AsyncFn *fn) {
  Tu *tu = fn->tu;
  Node *root = tree_build(tu, fn->decl);
  /* Only the function's own parameters: a returned function pointer's
   * parameters are children of the declaration too. */
  int nparams = clang_Cursor_getNumArguments(fn->decl);
  for (int p = 0; p < nparams; p++) {
    CXCursor parm = clang_Cursor_getArgument(fn->decl, (unsigned)p);
    for (int i = 0; i < root->nkids; i++)
      if (clang_equalCursors(root->kids[i]->c, parm))
        vec_push(tu->arena, &fn->params, new_var(fn, root->kids[i], true));
  }
  for (int i = 0; i < root->nkids; i++)
    if (root->kids[i]->ck == CXCursor_CompoundStmt)
      fn->body = root->kids[i];
  if (!fn->body)
    internal_error("async function definition without a body");
  scan_body(fn, fn->body, false, false);
  collect_used_names(fn);
}

/* Awaits outside async functions are refused; ac_block_on calls there are
 * remembered for rewriting. */
static void scan_sync(Tu *tu, Node *n) {
  if (n->kind == N_AWAIT) {
    diag_error((Loc){tree_range(n).start},
               "'await' outside an async function; mark the enclosing "
               "function 'async' or use ac_block_on()");
  }
  if (n->kind == N_BLOCK_ON)
    vec_push(tu->arena, &tu->block_ons, n);
  if (n->kind == N_SPAWN)
    vec_push(tu->arena, &tu->spawns, n);
  if (n->kind == N_JOIN)
    diag_error((Loc){tree_range(n).start},
               "ac_join() outside an async function; "
               "join from an async function with await");
  for (int i = 0; i < n->nkids; i++)
    scan_sync(tu, n->kids[i]);
}

/* Adds fn to tu->fns and to the table that finds it by its canonical
 * declaration's hash (chained, the size a power of two kept above twice
 * the count), which spares find_fn_by_cursor a look at every function. */
static void add_fn(Tu *tu, AsyncFn *fn) {
  fn->index = tu->fns.len;
  vec_push(tu->arena, &tu->fns, fn);
  if ((unsigned)tu->fns.len * 2 > tu->fn_table_cap) {
    unsigned cap = tu->fn_table_cap ? tu->fn_table_cap * 2 : 64;
    tu->fn_table = arena_alloc(tu->arena, sizeof *tu->fn_table * cap);
    tu->fn_table_cap = cap;
    for (int i = 0; i < tu->fns.len; i++) {
      AsyncFn *f = tu->fns.items[i];
      f->same_slot = tu->fn_table[f->canon_hash & (cap - 1)];
      tu->fn_table[f->canon_hash & (cap - 1)] = f;
    }
    return;
  }
  AsyncFn **slot = &tu->fn_table[fn->canon_hash & (tu->fn_table_cap - 1)];
  fn->same_slot = *slot;
  *slot = fn;
}

/* docs/abi.md: the frame, state enum, functions and helpers of f. */
#define SUFFIX(s) {s, sizeof s - 1}
const Suffix find_generated_suffixes[] = {
    SUFFIX("_frame"),  SUFFIX("_state"),    SUFFIX("_init"),
    SUFFIX("_poll"),   SUFFIX("_drop"),     SUFFIX("_frame_size"),
    SUFFIX("_result"), SUFFIX("_block_on"), SUFFIX("_spawn"),
    SUFFIX("_info"),   SUFFIX("_states"),   {NULL, 0}};
#undef SUFFIX

size_t find_generated_suffix(const char *name) {
  /* Called for every file-scope name: most have no '_' after their
   * first character, or end in none of the suffixes' last letters. */
  const char *us = strchr(name, '_');
  if (!us || us == name)
    return 0;
  size_t len = strlen(name);
  if (!strchr("etlpnos", name[len - 1]))
    return 0;
  for (const Suffix *x = find_generated_suffixes; x->s; x++)
    if (len > x->n && memcmp(name + len - x->n, x->s, x->n) == 0)
      return len - x->n;
  return 0;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
                                         CXClientData data) {
  (void)parent;
  Tu *tu = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_StructDecl && clang_isCursorDefinition(c)) {
    NamedType *t = arena_alloc(tu->arena, sizeof *t);
    t->name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
    t->type = clang_getCursorType(c);
    vec_push(tu->arena, &tu->complete_structs, t);
  }
  char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
  if (name[0])
    vec_push(tu->arena, &tu->file_scope_names, name);
  size_t stem = name[0] ? find_generated_suffix(name) : 0;
  if (stem) {
    NamedCursor *g = arena_alloc(tu->arena, sizeof *g);
    *g = (NamedCursor){name, c, stem};
    vec_push(tu->arena, &tu->generated_like, g);
  }
  if (!tu_in_main_file(tu, c))
    return CXChildVisit_Continue;
  if (k == CXCursor_FunctionDecl && tu_is_async_decl(c)) {
    AsyncFn *fn = new_fn(tu, c);
    add_fn(tu, fn);
    if (fn->is_definition)
      load_definition(fn);
  } else if (k == CXCursor_FunctionDecl || k == CXCursor_VarDecl) {
    Node *root = tree_build(tu, c);
    scan_sync(tu, root);
    if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(c))
      vec_push(tu->arena, &tu->sync_fns, root);
  }
  return CXChildVisit_Continue;
}

AsyncFn *find_fn_by_cursor(Tu *tu, CXCursor decl) {
  if (!tu->fn_table_cap)
    return NULL;
  CXCursor canon = clang_getCanonicalCursor(decl);
  unsigned hash = clang_hashCursor(canon);
  /* The last definition among the declarations of the function, else the
   * first declaration, as they come in tu->fns. */
  AsyncFn *found = NULL;
  for (AsyncFn *fn = tu->fn_table[hash & (tu->fn_table_cap - 1)]; fn;
       fn = fn->same_slot) {
    if (fn->canon_hash != hash || !clang_equalCursors(fn->canon, canon))
      continue;
    if (!found || (fn->is_definition
                       ? !found->is_definition || fn->index > found->index
                       : !found->is_definition && fn->index < found->index))
      found = fn;
  }
  return found;
}

/* The definition of an async function in this file, or NULL. */
AsyncFn *find_definition(Tu *tu, CXCursor decl) {
  AsyncFn *fn = find_fn_by_cursor(tu, decl);
  return fn && fn->is_definition ? fn : NULL;
}

const NamedType *find_struct(Tu *tu, const char *name) {
  for (int i = 0; i < tu->complete_structs.len; i++) {
    NamedType *t = tu->complete_structs.items[i];
    if (strcmp(t->name, name) == 0)
      return t;
  }
  return NULL;
}

/* libclang's cursors for one declaration hold the same pointer to it in
 * data[0], which clang_equalCursors compares with the rest: a cheap test
 * first spares a library call for every variable that differs. */
static bool is_var_decl(Var *v, CXCursor decl) {
  return v->decl->c.data[0] == decl.data[0] &&
         clang_equalCursors(v->decl->c, decl);
}

Var *find_var(AsyncFn *fn, CXCursor decl) {
  for (int i = 0; i < fn->params.len; i++) {
    Var *v = fn->params.items[i];
    if (is_var_decl(v, decl))
      return v;
  }
  for (int i = 0; i < fn->locals.len; i++) {
    Var *v = fn->locals.items[i];
    if (is_var_decl(v, decl))
      return v;
  }
  return NULL;
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
      Node *call = calls.items[i];
      AsyncFn *callee =
          find_definition(tu, tree_referenced(call));
      if (callee)
        vec_push(tu->arena, out, callee);
    }
  }
}

/* True if `from` awaits `target`, directly or through other functions.
 * Each search marks the functions it has visited with its own number. */
static bool reaches(Tu *tu, AsyncFn *from, AsyncFn *target, int search) {
  if (from->visited == search)
    return false;
  from->visited = search;
  for (int i = 0; i < from->callees.len; i++) {
    AsyncFn *callee = from->callees.items[i];
    if (callee == target || reaches(tu, callee, target, search))
      return true;
  }
  return false;
}

static bool on_cycle(Tu *tu, AsyncFn *callee, AsyncFn *fn) {
  static int searches;
  return callee == fn || reaches(tu, callee, fn, ++searches);
}

/* Marks awaits of functions on a call cycle (recursion) as dynamic: their
 * frames cannot be embedded in each other. */
static void mark_dynamic(Tu *tu, AsyncFn *fn) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind == AW_COMBINE) {
      Vec callees = {0};
      await_callees(tu, aw, &callees);
      for (int k = 0; k < callees.len; k++) {
        AsyncFn *callee = callees.items[k];
        if (on_cycle(tu, callee, fn))
          diag_error((Loc){tree_range(aw->node).start},
                     "recursive call of '%s' inside a combinator is not "
                     "supported yet; await it directly",
                     callee->name);
      }
    }
    if (aw->kind != AW_ASYNC_FN)
      continue;
    AsyncFn *callee = find_definition(tu, aw->callee);
    if (callee) {
      aw->dynamic = on_cycle(tu, callee, fn);
      fn->is_recursive |= aw->dynamic;
    } else {
      char *frame = arena_printf(tu->arena, "%s_frame", aw->callee_name);
      aw->dynamic = !find_struct(tu, frame);
    }
  }
}

static unsigned string_hash(const char *s) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* State constants are prefixed with the upper-cased name; two functions
 * whose names differ only in case keep their own spelling instead.  The
 * prefixes' hashes spare most string compares; a changed prefix gets its
 * hash again, as later compares see the change. */
static void unique_prefixes(Tu *tu) {
  unsigned *hash =
      arena_alloc(tu->arena, sizeof *hash * (size_t)(tu->fns.len + 1));
  for (int i = 0; i < tu->fns.len; i++)
    hash[i] = string_hash(((AsyncFn *)tu->fns.items[i])->upper);
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *a = tu->fns.items[i];
    for (int k = 0; k < tu->fns.len; k++) {
      AsyncFn *b = tu->fns.items[k];
      if (hash[i] == hash[k] && strcmp(a->upper, b->upper) == 0 &&
          strcmp(a->name, b->name) != 0) {
        a->upper = a->name;
        hash[i] = string_hash(a->upper);
      }
    }
  }
}

void find_async(Tu *tu) {
  clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), visit_top, tu);
  unique_prefixes(tu);
  /* The call graph between this file's async functions, once. */
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    for (int k = 0; k < fn->awaits.len; k++)
      await_callees(tu, fn->awaits.items[k], &fn->callees);
  }
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    if (fn->is_definition)
      mark_dynamic(tu, fn);
  }
}
