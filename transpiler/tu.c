/* tu.c -- the libclang side: parsing, the preprocessing record, and where
 * locations are.
 *
 * The output is the input's text with the async functions rewritten, so
 * locations are wanted as byte offsets of the main file.  A location is
 * one of three things there (tu_loc): a token spelled directly in the
 * file; a macro argument's token, spelled in the file inside an
 * invocation; or a token of a macro's body, which the file shows only as
 * the invocation.  libclang's public calls tell them apart: a location
 * from the main file is a direct one; for a macro location, the file
 * location of an argument token is where it is spelled, and that of a
 * body token is the invocation's start. */
#define _POSIX_C_SOURCE 200809L /* readlink */
#include "transpiler.h"

#include <clang-c/CXCompilationDatabase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ASYNCC_INCLUDE_DIR
#define ASYNCC_INCLUDE_DIR ""
#endif

static const char *error_name(enum CXErrorCode e) {
  switch (e) {
  case CXError_Success: return "success";
  case CXError_Failure: return "libclang failed to parse the file";
  case CXError_Crashed: return "libclang crashed while parsing";
  case CXError_InvalidArguments: return "invalid arguments to libclang";
  case CXError_ASTReadError: return "libclang could not read the AST";
  }
  return "unknown libclang error";
}

static bool report_clang_errors(Tu *tu) {
  bool failed = false;
  unsigned n = clang_getNumDiagnostics(tu->tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(tu->tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
      diag_print_clang(tu, d);
      failed = true;
    }
    clang_disposeDiagnostic(d);
  }
  return failed;
}

/* The main-file range of a preprocessing cursor's extent; false when it
 * lies elsewhere. */
static bool record_range(Tu *tu, CXCursor c, Range *r) {
  (void)tu;
  CXSourceRange ext = clang_getCursorExtent(c);
  CXSourceLocation s = clang_getRangeStart(ext), e = clang_getRangeEnd(ext);
  if (!clang_Location_isFromMainFile(s))
    return false;
  unsigned so, eo;
  clang_getFileLocation(s, NULL, NULL, NULL, &so);
  clang_getFileLocation(e, NULL, NULL, NULL, &eo);
  if (eo < so)
    return false;
  *r = (Range){so, eo};
  return true;
}

/* Reads the preprocessing record: the main file's #includes and macro
 * invocations, and the names of all macros defined. */
static enum CXChildVisitResult collect_record(CXCursor c, CXCursor parent,
                                              CXClientData data) {
  (void)parent;
  Tu *tu = data;
  enum CXCursorKind kind = clang_getCursorKind(c);
  Range where;
  if (kind == CXCursor_InclusionDirective) {
    if (record_range(tu, c, &where)) {
      Range *r = arena_alloc(tu->arena, sizeof *r);
      *r = where;
      vec_push(tu->arena, &tu->includes, r);
    }
    return CXChildVisit_Continue;
  }
  if (kind == CXCursor_MacroDefinition) {
    /* Generated code must not spell a macro's name (name.c), and cannot
     * avoid the frame's fixed members. */
    char *name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
    names_add(&tu->macro_names, name, strlen(name));
    CXCursor *def = arena_alloc(tu->arena, sizeof *def);
    *def = c;
    map_put(&tu->macro_by_name, hash_str(name), name, def);
    if (!tu->has_abi_macro &&
        (strcmp(name, "state") == 0 || strcmp(name, "result") == 0 ||
         strcmp(name, "sub") == 0)) {
      tu->has_abi_macro = true;
      tu->abi_macro = c;
    }
    return CXChildVisit_Continue;
  }
  if (kind != CXCursor_MacroExpansion || !record_range(tu, c, &where))
    return CXChildVisit_Continue;
  Expansion *x = arena_alloc(tu->arena, sizeof *x);
  x->r = where;
  x->name = arena_cxstr(tu->arena, clang_getCursorSpelling(c));
  x->def = clang_getCursorReferenced(c);
  if (clang_getCursorKind(x->def) != CXCursor_MacroDefinition)
    x->def = clang_getNullCursor();
  vec_push(tu->arena, &tu->expansions, x);
  return CXChildVisit_Continue;
}

/* Flags of the compiler command that compiles `input`, without the
 * compiler, the input, the output and -c; run in the command's directory. */
static bool compile_db_args(Arena *a, const Options *opt, Vec *out) {
  CXCompilationDatabase_Error err;
  CXCompilationDatabase db =
      clang_CompilationDatabase_fromDirectory(opt->build_dir, &err);
  if (err != CXCompilationDatabase_NoError) {
    fprintf(stderr, "asyncc: error: cannot read %s/compile_commands.json\n",
            opt->build_dir);
    return false;
  }
  CXCompileCommands cmds =
      clang_CompilationDatabase_getCompileCommands(db, opt->input);
  bool found = clang_CompileCommands_getSize(cmds) > 0;
  if (found) {
    CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
    vec_push(a, out, arena_strdup(a, "-working-directory"));
    vec_push(a, out, arena_cxstr(a, clang_CompileCommand_getDirectory(cmd)));
    unsigned n = clang_CompileCommand_getNumArgs(cmd);
    char *file = arena_cxstr(a, clang_CompileCommand_getFilename(cmd));
    for (unsigned i = 1; i < n; i++) {
      char *arg = arena_cxstr(a, clang_CompileCommand_getArg(cmd, i));
      if (strcmp(arg, "-o") == 0 || strcmp(arg, "-MF") == 0 ||
          strcmp(arg, "-MT") == 0 || strcmp(arg, "-MQ") == 0) {
        i++;
        continue;
      }
      if (strcmp(arg, "-c") == 0 || strcmp(arg, "--") == 0 ||
          strcmp(arg, file) == 0 || strcmp(arg, opt->input) == 0 ||
          strncmp(arg, "-M", 2) == 0)
        continue;
      vec_push(a, out, arg);
    }
  } else {
    fprintf(stderr, "asyncc: error: %s has no compile command for '%s'\n",
            opt->build_dir, opt->input);
  }
  clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(db);
  return found;
}

/* The directory that holds asyncc.h: <prefix>/include when the tool runs
 * as <prefix>/bin/asyncc from an install, wherever that was moved, else the
 * source tree's include/ compiled in by the build.  Returns "" if neither. */
static const char *include_dir(Arena *a) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return ASYNCC_INCLUDE_DIR;
  exe[n] = '\0';
  /* The link is canonical, so cutting "/bin/asyncc" leaves the prefix. */
  for (int i = 0; i < 2; i++) {
    char *slash = strrchr(exe, '/');
    if (!slash)
      return ASYNCC_INCLUDE_DIR;
    *slash = '\0';
  }
  char *dir = arena_printf(a, "%s/include", exe);
  if (access(arena_printf(a, "%s/asyncc.h", dir), R_OK) == 0)
    return dir;
  return ASYNCC_INCLUDE_DIR;
}

/* Flags under which a warning stops the build as an error. */
static bool warnings_are_errors(const char *arg) {
  return strncmp(arg, "-Werror", 7) == 0 ||
         strcmp(arg, "-pedantic-errors") == 0;
}

static int by_start(const void *a, const void *b) {
  const Expansion *x = *(Expansion *const *)a, *y = *(Expansion *const *)b;
  if (x->r.start != y->r.start)
    return x->r.start < y->r.start ? -1 : 1;
  return x->r.end > y->r.end ? -1 : x->r.end < y->r.end;
}

/* Line starts, for tu_line. */
static void index_lines(Tu *tu) {
  unsigned n = 1;
  for (size_t i = 0; i < tu->src_len; i++)
    n += tu->src[i] == '\n';
  tu->line_starts = arena_alloc(tu->arena, sizeof(unsigned) * n);
  tu->nlines = 1;
  for (size_t i = 0; i < tu->src_len; i++)
    if (tu->src[i] == '\n')
      tu->line_starts[tu->nlines++] = (unsigned)i + 1;
}

/* The invocations sorted by start, with the running maximum of their
 * ends, for the lookups below. */
static void index_expansions(Tu *tu) {
  if (tu->expansions.len)
    qsort(tu->expansions.items, (size_t)tu->expansions.len, sizeof(void *),
          by_start);
  tu->max_end = arena_alloc(
      tu->arena, sizeof(unsigned) * (size_t)(tu->expansions.len + 1));
  unsigned max = 0;
  for (int i = 0; i < tu->expansions.len; i++) {
    unsigned e = ((Expansion *)tu->expansions.items[i])->r.end;
    max = e > max ? e : max;
    tu->max_end[i] = max;
  }
}

static void init_maps(Tu *tu) {
  Arena *a = tu->arena;
  map_init(&tu->macro_names, a, map_eq_str);
  map_init(&tu->macro_defs, a, map_eq_cursor);
  map_init(&tu->macro_by_name, a, map_eq_str);
  map_init(&tu->async_decls, a, map_eq_cursor);
  map_init(&tu->fn_by_decl, a, map_eq_cursor);
  map_init(&tu->complete_structs, a, map_eq_str);
  map_init(&tu->file_scope_names, a, map_eq_str);
  map_init(&tu->anon_tags, a, map_eq_cursor);
  map_init(&tu->hoisted_names, a, map_eq_str);
  map_init(&tu->type_spellings, a, map_eq_cursor);
  map_init(&tu->reported, a, map_eq_str);
}

Tu *tu_open(Arena *a, const Options *opt) {
  Tu *tu = arena_alloc(a, sizeof *tu);
  tu->arena = a;
  tu->opt = opt;
  tu->path = opt->input;
  init_maps(tu);
  Vec db = {0};
  if (opt->build_dir && !compile_db_args(a, opt, &db))
    return NULL;
  int nargs = 0;
  const char **args = arena_alloc(
      a, sizeof(char *) * (size_t)(opt->nclang_args + db.len + 4));
  const char *inc = include_dir(a);
  if (inc[0])
    args[nargs++] = arena_printf(a, "-I%s", inc);
  bool wants_warnings = false;
  for (int i = 0; i < db.len; i++) {
    args[nargs++] = db.items[i];
    wants_warnings |= warnings_are_errors(db.items[i]);
  }
  for (int i = 0; i < opt->nclang_args; i++) {
    args[nargs++] = opt->clang_args[i];
    wants_warnings |= warnings_are_errors(opt->clang_args[i]);
  }
  /* asyncc prints only the input's errors; cc reports the warnings when
   * it compiles the output.  Not computing them saves clang's warning
   * analyses, unless flags turn warnings into errors, which -w would
   * silence. */
  if (!wants_warnings)
    args[nargs++] = "-w";
  tu->index = clang_createIndex(0, 0);
  unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord |
                   CXTranslationUnit_KeepGoing;
  enum CXErrorCode err = clang_parseTranslationUnit2(
      tu->index, opt->input, args, nargs, NULL, 0, flags, &tu->tu);
  if (err != CXError_Success) {
    fprintf(stderr, "asyncc: error: %s: %s\n", opt->input, error_name(err));
    clang_disposeIndex(tu->index);
    return NULL;
  }
  tu->main_file = clang_getFile(tu->tu, opt->input);
  tu->src = clang_getFileContents(tu->tu, tu->main_file, &tu->src_len);
  if (!tu->src) {
    fprintf(stderr, "asyncc: error: cannot read '%s'\n", opt->input);
    tu_close(tu);
    return NULL;
  }
  index_lines(tu);
  clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), collect_record,
                      tu);
  index_expansions(tu);
  if (report_clang_errors(tu)) {
    tu_close(tu);
    return NULL;
  }
  /* clang skips a null character with a warning, but the output is
   * handled as C strings and would end there. */
  const char *nul = memchr(tu->src, '\0', tu->src_len);
  if (nul) {
    diag_error(tu, (unsigned)(nul - tu->src),
               "null character in the file; asyncc cannot copy it to "
               "the output");
    tu_close(tu);
    return NULL;
  }
  return tu;
}

void tu_close(Tu *tu) {
  clang_disposeTranslationUnit(tu->tu);
  clang_disposeIndex(tu->index);
}

SrcLoc tu_loc(Tu *tu, CXSourceLocation loc) {
  SrcLoc r = {LOC_NONE, 0, 0, 0};
  unsigned fo;
  if (clang_Location_isFromMainFile(loc)) {
    clang_getFileLocation(loc, NULL, NULL, NULL, &fo);
    return (SrcLoc){LOC_FILE, fo, fo, fo};
  }
  CXFile ef, ff, sf;
  unsigned eo, so;
  /* Most macro locations are tokens of an argument written in the file:
   * then the file location is in some invocation, and no invocation starts
   * there (as the first token of a nested invocation's body would). */
  clang_getFileLocation(loc, &ff, NULL, NULL, &fo);
  if (ff && clang_File_isEqual(ff, tu->main_file) &&
      !tu_expansion_at(tu, fo)) {
    Expansion *outer = tu_expansion_outermost(tu, fo);
    if (outer && outer->r.start < fo)
      return (SrcLoc){LOC_ARG, fo, outer->r.start, fo};
  }
  clang_getExpansionLocation(loc, &ef, NULL, NULL, &eo);
  if (!ef || !clang_File_isEqual(ef, tu->main_file))
    return r;
  clang_getSpellingLocation(loc, &sf, NULL, NULL, &so);
  r.inv = eo;
  r.sp = so;
  if (fo == eo || !ff || !clang_File_isEqual(ff, tu->main_file)) {
    r.kind = LOC_BODY;
    r.off = eo;
    return r;
  }
  /* The file location of an argument's token is where it is spelled; a
   * body token of an invocation that is itself an argument has the inner
   * invocation's start there, and is spelled elsewhere. */
  r.off = fo;
  r.kind = sf && clang_File_isEqual(sf, tu->main_file) && so == fo ? LOC_ARG
                                                                   : LOC_BODY;
  return r;
}

long tu_offset(Tu *tu, CXSourceLocation loc) {
  SrcLoc l = tu_loc(tu, loc);
  return l.kind == LOC_NONE ? -1 : (long)l.off;
}

bool tu_in_main_file(Tu *tu, CXCursor c) {
  (void)tu;
  CXSourceLocation loc = clang_getCursorLocation(c);
  if (clang_Location_isFromMainFile(loc))
    return true;
  CXFile f;
  clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
  return f && clang_File_isEqual(f, tu->main_file);
}

unsigned tu_line(Tu *tu, unsigned off) {
  unsigned lo = 0, hi = tu->nlines - 1;
  while (lo < hi) {
    unsigned mid = lo + (hi - lo + 1) / 2;
    if (tu->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo + 1;
}

unsigned tu_col(Tu *tu, unsigned off) {
  return off - tu->line_starts[tu_line(tu, off) - 1] + 1;
}

char *tu_text(Tu *tu, Range r) {
  return arena_strndup(tu->arena, tu->src + r.start, r.end - r.start);
}

void tu_rename(Tu *tu, Range r, const char *text) {
  Rename *x = arena_alloc(tu->arena, sizeof *x);
  *x = (Rename){r, text};
  vec_push(tu->arena, &tu->renames, x);
  /* Kept in order of start: insertion, renames being few. */
  for (int i = tu->renames.len - 1;
       i > 0 && ((Rename *)tu->renames.items[i - 1])->r.start > r.start; i--) {
    void *t = tu->renames.items[i];
    tu->renames.items[i] = tu->renames.items[i - 1];
    tu->renames.items[i - 1] = t;
  }
}

void tu_put_text(Tu *tu, Buf *out, Range r) {
  unsigned at = r.start;
  /* The first rename that may lie in r, by binary search. */
  int lo = 0, hi = tu->renames.len;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (((Rename *)tu->renames.items[mid])->r.start < r.start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (int i = lo; i < tu->renames.len; i++) {
    Rename *x = tu->renames.items[i];
    if (x->r.start >= r.end)
      break;
    if (x->r.end > r.end)
      continue;
    buf_putn(out, tu->src + at, x->r.start - at);
    buf_puts(out, x->text);
    at = x->r.end;
  }
  buf_putn(out, tu->src + at, r.end - at);
}

char *tu_text_out(Tu *tu, Range r) {
  if (!tu->renames.len)
    return tu_text(tu, r);
  Buf b = {0};
  tu_put_text(tu, &b, r);
  return b.s ? buf_take(tu->arena, &b) : arena_strdup(tu->arena, "");
}

static Expansion *expansion(Tu *tu, int i) { return tu->expansions.items[i]; }

int tu_expansion_from(Tu *tu, unsigned off) {
  int lo = 0, hi = tu->expansions.len;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (expansion(tu, mid)->r.start < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

Expansion *tu_expansion_at(Tu *tu, unsigned off) {
  int i = tu_expansion_from(tu, off);
  if (i < tu->expansions.len && expansion(tu, i)->r.start == off)
    return expansion(tu, i);
  return NULL;
}

/* Invocations nest, so only those before `off` that reach past it (by
 * the running maximum of their ends) can hold it. */
Expansion *tu_expansion_around(Tu *tu, unsigned off, const char *name) {
  for (int i = tu_expansion_from(tu, off + 1) - 1;
       i >= 0 && tu->max_end[i] > off; i--) {
    Expansion *x = expansion(tu, i);
    if (x->r.start <= off && off < x->r.end &&
        (!name || strcmp(x->name, name) == 0))
      return x;
  }
  return NULL;
}

bool tu_in_expansion(Tu *tu, unsigned off) {
  for (int i = tu_expansion_from(tu, off) - 1;
       i >= 0 && tu->max_end[i] > off; i--)
    if (expansion(tu, i)->r.end > off)
      return true;
  return false;
}

bool tu_expansion_ends_at(Tu *tu, unsigned off) {
  for (int i = tu_expansion_from(tu, off) - 1;
       i >= 0 && tu->max_end[i] >= off; i--)
    if (expansion(tu, i)->r.end == off)
      return true;
  return false;
}

unsigned tu_skip_blanks(Tu *tu, unsigned off) {
  while (off < tu->src_len && strchr(" \t\r\n\f\v", tu->src[off]))
    off++;
  return off;
}

unsigned tu_skip_semicolon(Tu *tu, unsigned off) {
  unsigned p = tu_skip_blanks(tu, off);
  return p < tu->src_len && tu->src[p] == ';' ? p + 1 : off;
}

static enum CXChildVisitResult find_annotation(CXCursor c, CXCursor parent,
                                               CXClientData data) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_AnnotateAttr) {
    CXString s = clang_getCursorSpelling(c);
    if (strcmp(clang_getCString(s), "asyncc.async") == 0)
      *(bool *)data = true;
    clang_disposeString(s);
  }
  return CXChildVisit_Continue;
}

/* The answer for each declaration is kept: the same functions are asked
 * about at every call, and each answer costs a visit of the children. */
bool tu_is_async_decl(Tu *tu, CXCursor decl) {
  if (!clang_isDeclaration(clang_getCursorKind(decl)))
    return false;
  unsigned h = map_hash_cursor(decl);
  void *known = map_get(&tu->async_decls, h, &decl);
  if (known)
    return known == (void *)&tu->async_decls;
  bool found = false;
  clang_visitChildren(decl, find_annotation, &found);
  CXCursor *key = arena_alloc(tu->arena, sizeof *key);
  *key = decl;
  map_put(&tu->async_decls, h, key, found ? (void *)&tu->async_decls
                                          : (void *)&tu->macro_names);
  return found;
}

typedef struct {
  Arena *a;
  Vec files;
} Deps;

static void add_inclusion(CXFile file, CXSourceLocation *stack, unsigned n,
                          CXClientData data) {
  (void)stack;
  (void)n;
  Deps *d = data;
  vec_push(d->a, &d->files, arena_cxstr(d->a, clang_getFileName(file)));
}

/* Make escapes spaces in file names with a backslash. */
static void put_make_name(FILE *f, const char *name) {
  for (const char *p = name; *p; p++) {
    if (*p == ' ')
      fputc('\\', f);
    fputc(*p, f);
  }
}

int tu_write_depfile(Tu *tu, const char *target, const char *path) {
  Deps d = {tu->arena, {0}};
  clang_getInclusions(tu->tu, add_inclusion, &d);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    return -1;
  }
  put_make_name(f, target);
  fputc(':', f);
  for (int i = 0; i < d.files.len; i++) {
    fputs(" \\\n  ", f);
    put_make_name(f, d.files.items[i]);
  }
  fputc('\n', f);
  if (fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

Expansion *tu_expansion_outermost(Tu *tu, unsigned off) {
  Expansion *found = NULL;
  for (int i = tu_expansion_from(tu, off + 1) - 1;
       i >= 0 && tu->max_end[i] > off; i--) {
    Expansion *x = expansion(tu, i);
    if (x->r.start <= off && off < x->r.end)
      found = x;
  }
  return found;
}

/* Splits an invocation's text into its arguments at the commas outside
 * parentheses, from its tokens. */
/* The one argument of a macro with one parameter, when only blanks come
 * between its name and the '(': the text up to the ')' that ends the
 * invocation.  (Tokenizing each await(...) is most of a pass's cost.) */
static bool read_one_arg(Tu *tu, Expansion *x) {
  MacroDef *md = tu_expansion_macro(tu, x);
  if (!md || !md->function_like || md->nparams != 1 || md->variadic)
    return false;
  const char *s = tu->src;
  unsigned p = x->r.start + (unsigned)strlen(x->name);
  while (p < x->r.end && strchr(" \t\r\n", s[p]))
    p++;
  if (p >= x->r.end || s[p] != '(' || s[x->r.end - 1] != ')')
    return false;
  x->args = arena_alloc(tu->arena, sizeof(Range) * 2);
  x->args[0] = (Range){p + 1, x->r.end - 1};
  x->nargs = 1;
  return true;
}

static void read_args(Tu *tu, Expansion *x) {
  if (read_one_arg(tu, x))
    return;
  Toks ts = tok_range(tu, x->r);
  Vec args = {0};
  int depth = 0;
  unsigned from = 0;
  for (int i = 0; i < ts.n; i++) {
    Tok *t = &ts.t[i];
    if (t->kind != TOK_PUNCT)
      continue;
    /* Only parentheses group: `F({a, b})` passes two arguments. */
    if (tok_is(tu, t, "(")) {
      if (depth++ == 0)
        from = t->off + t->len;
    } else if (tok_is(tu, t, ")")) {
      if (--depth == 0) {
        Range *r = arena_alloc(tu->arena, sizeof *r);
        *r = (Range){from, t->off};
        vec_push(tu->arena, &args, r);
      }
    } else if (depth == 1 && tok_is(tu, t, ",")) {
      Range *r = arena_alloc(tu->arena, sizeof *r);
      *r = (Range){from, t->off};
      vec_push(tu->arena, &args, r);
      from = t->off + t->len;
    }
  }
  x->args = arena_alloc(tu->arena, sizeof(Range) * (size_t)(args.len + 1));
  for (int i = 0; i < args.len; i++)
    x->args[i] = *(Range *)args.items[i];
  x->nargs = args.len;
}

MacroDef *tu_expansion_macro(Tu *tu, Expansion *x) {
  if (!x->md && !clang_Cursor_isNull(x->def))
    x->md = tok_macro(tu, x->def);
  return x->md;
}

int tu_expansion_nargs(Tu *tu, Expansion *x) {
  if (!x->args)
    read_args(tu, x);
  return x->nargs;
}

int tu_expansion_arg(Tu *tu, Expansion *x, unsigned off) {
  if (!x->args)
    read_args(tu, x);
  for (int i = 0; i < x->nargs; i++)
    if (x->args[i].start <= off && off < x->args[i].end)
      return i;
  return -1;
}

bool tu_arg_kept(Tu *tu, unsigned off, bool any_count) {
  for (int i = tu_expansion_from(tu, off + 1) - 1;
       i >= 0 && tu->max_end[i] > off; i--) {
    Expansion *x = expansion(tu, i);
    if (!(x->r.start < off && off < x->r.end))
      continue;
    MacroDef *md = tu_expansion_macro(tu, x);
    int k = tu_expansion_arg(tu, x, off);
    if (!md || k < 0)
      return false;
    /* Arguments past the last parameter are the variadic one's. */
    if (k >= md->nparams)
      k = md->variadic ? md->nparams - 1 : -1;
    if (k < 0 || md->stringized[k] || md->uses[k] == 0 ||
        (!any_count && md->uses[k] != 1))
      return false;
  }
  return true;
}
