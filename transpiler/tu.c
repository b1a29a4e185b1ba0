/* tu.c -- the libclang side: parsing, locations and source ranges.
 *
 * The transpiler edits text, so everything is expressed as byte offsets in
 * the main file.  A location inside a macro argument maps to where the
 * argument is spelled; one inside a macro body maps to the invocation.  The
 * preprocessing record gives every macro invocation's full range, which is
 * how ranges that end inside an invocation are widened to cover it. */
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
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    if (sev >= CXDiagnostic_Error) {
      diag_print_clang(d);
      failed = true;
    }
    clang_disposeDiagnostic(d);
  }
  return failed;
}

/* An await invocation.  Its range comes first: tu->await_calls and
 * tu->expansions hold it as a Range *. */
typedef struct {
  Range range;
  bool plain; /* expands by asyncc's definition (await_def_is_plain) */
} AwaitCall;

/* True if an await macro definition is asyncc's own, (marker(), (e)):
 * its argument appears once, neither pasted nor stringized, so the
 * tokens of an invocation's argument are the file's, in order (arg_span). */
static bool await_def_is_plain(Tu *tu, CXCursor def) {
  static const char *const expected[] = {
      "await", "(", NULL, ")", "(", "ac__mark_await", "(", ")", ",",
      "(", NULL, ")", ")"}; /* NULL: the parameter's name */
  enum { N = sizeof expected / sizeof *expected };
  if (clang_getCursorKind(def) != CXCursor_MacroDefinition)
    return false;
  if (def.data[0] == tu->await_def)
    return tu->await_def_plain;
  bool plain = clang_Cursor_isMacroFunctionLike(def);
  if (plain) {
    CXToken *toks;
    unsigned n;
    clang_tokenize(tu->tu, clang_getCursorExtent(def), &toks, &n);
    char *spelled[N];
    plain = n == N;
    for (unsigned i = 0; plain && i < n; i++) {
      CXString t = clang_getTokenSpelling(tu->tu, toks[i]);
      spelled[i] = arena_cxstr(tu->arena, t);
      const char *want = expected[i] ? expected[i] : spelled[2];
      plain = strcmp(spelled[i], want) == 0 &&
              (expected[i] ||
               clang_getTokenKind(toks[i]) == CXToken_Identifier);
    }
    clang_disposeTokens(tu->tu, toks, n);
  }
  tu->await_def = def.data[0];
  tu->await_def_plain = plain;
  return plain;
}

/* The main-file range of a preprocessing cursor's extent; false when it
 * lies elsewhere. */
static bool record_range(Tu *tu, CXCursor c, Range *r) {
  CXSourceRange ext = clang_getCursorExtent(c);
  long s = tu_offset(tu, clang_getRangeStart(ext));
  long e = tu_offset(tu, clang_getRangeEnd(ext));
  if (s < 0 || e < s)
    return false;
  *r = (Range){(unsigned)s, (unsigned)e};
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
    if (clang_File_isEqual(clang_getIncludedFile(c), tu->main_file))
      tu->main_reentered = true;
    if (record_range(tu, c, &where)) {
      Range *r = arena_alloc(tu->arena, sizeof *r);
      *r = where;
      vec_push(tu->arena, &tu->includes, r);
    }
    return CXChildVisit_Continue;
  }
  if (kind == CXCursor_MacroDefinition) {
    /* Generated code must not spell a macro's name (find.c,
     * name_is_used), and cannot avoid the frame's fixed members. */
    CXString s = clang_getCursorSpelling(c);
    const char *name = clang_getCString(s);
    names_add(tu->arena, &tu->macro_names, name, strlen(name));
    if (!tu->has_abi_macro &&
        (strcmp(name, "state") == 0 || strcmp(name, "result") == 0 ||
         strcmp(name, "sub") == 0)) {
      tu->has_abi_macro = true;
      tu->abi_macro = c;
    }
    clang_disposeString(s);
    return CXChildVisit_Continue;
  }
  if (kind != CXCursor_MacroExpansion || !record_range(tu, c, &where))
    return CXChildVisit_Continue;
  CXString spelled = clang_getCursorSpelling(c);
  bool is_await = strcmp(clang_getCString(spelled), "await") == 0;
  clang_disposeString(spelled);
  AwaitCall *call = is_await ? arena_alloc(tu->arena, sizeof *call) : NULL;
  Range *r = call ? &call->range : arena_alloc(tu->arena, sizeof *r);
  *r = where;
  vec_push(tu->arena, &tu->expansions, r);
  if (is_await) {
    call->plain = await_def_is_plain(tu, clang_getCursorReferenced(c));
    vec_push(tu->arena, &tu->await_calls, r);
  }
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
          strcmp(arg, file) == 0 ||
          strcmp(arg, opt->input) == 0 || strncmp(arg, "-M", 2) == 0)
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

static void index_source(Tu *tu);
static void calibrate(Tu *tu);

/* Flags under which a warning stops the build as an error. */
static bool warnings_are_errors(const char *arg) {
  return strncmp(arg, "-Werror", 7) == 0 ||
         strcmp(arg, "-pedantic-errors") == 0;
}

Tu *tu_open(Arena *a, const Options *opt) {
  Tu *tu = arena_alloc(a, sizeof *tu);
  tu->arena = a;
  tu->path = opt->input;
  diag_init(tu, opt->color);
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
   * analyses (a tenth of the parse), unless flags turn warnings into
   * errors, which -w would silence. */
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
  if (report_clang_errors(tu)) {
    tu_close(tu);
    return NULL;
  }
  calibrate(tu);
  clang_visitChildren(clang_getTranslationUnitCursor(tu->tu),
                      collect_record, tu);
  /* The walk saw every #include, the headers' too. */
  tu->main_once = !tu->main_reentered;
  index_source(tu);
  /* clang skips a null character with a warning, but the output is
   * handled as C strings and would end there. */
  const char *nul = memchr(tu->src, '\0', tu->src_len);
  if (nul) {
    diag_error((Loc){(unsigned)(nul - tu->src)},
               "null character in the file; asyncc cannot copy it to "
               "the output");
    tu_close(tu);
    return NULL;
  }
  return tu;
}

/* The answers of tu_is_async_decl by declaration: the same functions are
 * asked about at every call, and each answer costs a visit of the
 * declaration's children.  A cursor's data[0] is its declaration, so two
 * cursors with the same data[0] get the same answer.  Open addressing;
 * emptied when the translation unit is closed, whose declarations the
 * keys point to. */
static struct {
  const void **keys;
  bool *async;
  unsigned cap, len;
} async_decls;

static void forget_async_decls(void) {
  free(async_decls.keys);
  free(async_decls.async);
  async_decls.keys = NULL;
  async_decls.async = NULL;
  async_decls.cap = async_decls.len = 0;
}

/* The slot of key in the table, or the empty one where it would go. */
static unsigned async_decl_slot(const void *key) {
  unsigned mask = async_decls.cap - 1;
  unsigned i = (unsigned)(((size_t)key >> 4) * 2654435761u) & mask;
  while (async_decls.keys[i] && async_decls.keys[i] != key)
    i = (i + 1) & mask;
  return i;
}

static void remember_async_decl(const void *key, bool async) {
  if (2 * (async_decls.len + 1) > async_decls.cap) {
    const void **keys = async_decls.keys;
    bool *values = async_decls.async;
    unsigned cap = async_decls.cap;
    async_decls.cap = cap ? cap * 2 : 256;
    async_decls.keys = calloc(async_decls.cap, sizeof *keys);
    async_decls.async = calloc(async_decls.cap, sizeof *values);
    if (!async_decls.keys || !async_decls.async) {
      fprintf(stderr, "asyncc: out of memory\n");
      exit(1);
    }
    for (unsigned i = 0; i < cap; i++)
      if (keys[i]) {
        unsigned k = async_decl_slot(keys[i]);
        async_decls.keys[k] = keys[i];
        async_decls.async[k] = values[i];
      }
    free(keys);
    free(values);
  }
  unsigned i = async_decl_slot(key);
  async_decls.keys[i] = key;
  async_decls.async[i] = async;
  async_decls.len++;
}

void tu_close(Tu *tu) {
  forget_async_decls();
  decl_forget_anonymous();
  clang_disposeTranslationUnit(tu->tu);
  clang_disposeIndex(tu->index);
}

/* The offset of a location spelled directly in the main file, without a
 * library call: libclang's CXSourceLocation carries clang's encoding of
 * the location, in which the characters of one file are consecutive
 * numbers and no other file's or macro's location falls among them.
 * calibrate() checks that on the file before it is relied on. */
static bool raw_offset(Tu *tu, CXSourceLocation loc, unsigned *off) {
  if (!tu->raw_ok || loc.ptr_data[0] != tu->raw_sm)
    return false;
  unsigned d = loc.int_data - tu->raw_base;
  if (d > tu->src_len)
    return false;
  *off = d;
  return true;
}

/* Enables raw_offset when the main file's first and last locations are
 * as far apart as the file is long, below the numbers clang gives macro
 * expansions, and libclang agrees on where they are. */
static void calibrate(Tu *tu) {
  unsigned len = (unsigned)tu->src_len;
  if ((size_t)len != tu->src_len)
    return;
  /* The translation unit's extent runs from the main file's first
   * location to its last, read from the source manager; asking
   * clang_getLocationForOffset instead would first make clang index the
   * locations of every macro argument in the file.  The checks below hold
   * whichever way the two were found. */
  CXSourceRange whole =
      clang_getCursorExtent(clang_getTranslationUnitCursor(tu->tu));
  CXSourceLocation first = clang_getRangeStart(whole);
  CXSourceLocation last = clang_getRangeEnd(whole);
  if (!first.ptr_data[0] || first.ptr_data[0] != last.ptr_data[0] ||
      last.int_data - first.int_data != len ||
      first.int_data >= 0x80000000u - len)
    return;
  CXFile file;
  unsigned off;
  clang_getFileLocation(last, &file, NULL, NULL, &off);
  if (!file || !clang_File_isEqual(file, tu->main_file) || off != len)
    return;
  tu->raw_sm = first.ptr_data[0];
  tu->raw_base = first.int_data;
  tu->raw_ok = true;
}

/* ---- Macro arguments --------------------------------------------------
 * clang gives the tokens of a macro argument locations of their own: a run
 * of consecutive tokens spelled in the file gets a range of numbers in
 * which locations run parallel to the file's offsets.  Cursors inside
 * await(...) have such locations, and asking libclang where each one is
 * spelled is the dear part of their ranges.  Once a cursor's two ends show
 * that they lie in one such run (learn_span), the locations between them
 * are mapped to offsets here.  Known spans are kept sorted and disjoint. */
struct ArgSpan {
  unsigned lo, hi; /* locations lo..hi, both included */
  unsigned off;    /* offset of lo in the main file */
};

#define MACRO_ID_BIT 0x80000000u /* clang's mark of a macro location */

/* The offset of a location in a known span, and the span's index; -1 if
 * no span holds it. */
static int span_offset(Tu *tu, CXSourceLocation loc, unsigned *off) {
  if (!tu->narg_spans || loc.ptr_data[0] != tu->raw_sm)
    return -1;
  unsigned id = loc.int_data;
  int lo = 0, hi = tu->narg_spans - 1, found = -1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (tu->arg_spans[mid].lo <= id) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0 || id > tu->arg_spans[found].hi)
    return -1;
  *off = tu->arg_spans[found].off + (id - tu->arg_spans[found].lo);
  return found;
}

/* Line and column are left NULL throughout: libclang computes them only
 * when asked, and each costs a search of the file's line table. */
long tu_offset(Tu *tu, CXSourceLocation loc) {
  unsigned off;
  if (raw_offset(tu, loc, &off) || span_offset(tu, loc, &off) >= 0)
    return off;
  /* clang numbers the locations of each entry of a file into the source
   * manager as one contiguous run, and the main file's run is
   * [raw_base, raw_base + src_len]; a location outside it and without the
   * macro bit is spelled in another entry.  Unless the main file is
   * #included again, that entry is another file's (a header, <built-in>,
   * clang's scratch buffer), which the library call below would tell
   * after a search of the source manager. */
  if (tu->raw_ok && tu->main_once && loc.ptr_data[0] == tu->raw_sm &&
      !(loc.int_data & MACRO_ID_BIT))
    return -1;
  CXFile file;
  clang_getFileLocation(loc, &file, NULL, NULL, &off);
  if (!file || !clang_File_isEqual(file, tu->main_file))
    return -1;
  return off;
}

bool tu_in_main_file(Tu *tu, CXCursor c) {
  return tu_offset(tu, clang_getCursorLocation(c)) >= 0;
}

/* The index of the last expansion starting before `off`, or -1.  The
 * expansions are sorted by start (index_source). */
static int last_expansion_before(Tu *tu, unsigned off) {
  int lo = 0, hi = tu->expansions.len - 1, found = -1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (((Range *)tu->expansions.items[mid])->start < off) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

bool tu_in_expansion(Tu *tu, unsigned off) {
  int i = last_expansion_before(tu, off);
  return i >= 0 && tu->max_end[i] > off;
}

const Range *tu_expansion_at(Tu *tu, unsigned off) {
  int i = last_expansion_before(tu, off) + 1;
  if (i < tu->expansions.len) {
    Range *r = tu->expansions.items[i];
    if (r->start == off)
      return r;
  }
  return NULL;
}

int tu_range_from(const Vec *ranges, unsigned off) {
  int lo = 0, hi = ranges->len;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (((Range *)ranges->items[mid])->start < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

int tu_await_call_from(Tu *tu, unsigned off) {
  return tu_range_from(&tu->await_calls, off);
}

const Range *tu_await_call_at(Tu *tu, unsigned off) {
  int i = tu_await_call_from(tu, off);
  if (i < tu->await_calls.len) {
    Range *r = tu->await_calls.items[i];
    if (r->start == off)
      return r;
  }
  return NULL;
}

/* Adds the span lo..hi starting at offset off, merged with the known spans
 * it overlaps (which lie in the same run of locations, so they agree on
 * the offsets); returns its index, or -1 if they disagree. */
static int add_span(Tu *tu, unsigned lo, unsigned hi, unsigned off) {
  struct ArgSpan *v = tu->arg_spans;
  int n = tu->narg_spans;
  /* The first span that ends at or after lo: the ends are sorted too. */
  int first = 0, past = n;
  while (first < past) {
    int mid = first + (past - first) / 2;
    if (v[mid].hi < lo)
      first = mid + 1;
    else
      past = mid;
  }
  int last = first;
  for (; last < n && v[last].lo <= hi; last++) {
    unsigned a = v[last].lo > lo ? v[last].lo : lo;
    if (v[last].off + (a - v[last].lo) != off + (a - lo))
      return -1;
  }
  /* v[first..last) overlap the new span: they are replaced by the union. */
  struct ArgSpan merged = {lo, hi, off};
  if (first < last && v[first].lo < lo) {
    merged.lo = v[first].lo;
    merged.off = v[first].off;
  }
  if (first < last && v[last - 1].hi > hi)
    merged.hi = v[last - 1].hi;
  int removed = last - first;
  if (removed == 0 && n == tu->arg_spans_cap) {
    int cap = n ? 2 * n : 64;
    struct ArgSpan *w = arena_alloc(tu->arena, sizeof *w * (size_t)cap);
    if (n)
      memcpy(w, v, sizeof *w * (size_t)n);
    tu->arg_spans = v = w;
    tu->arg_spans_cap = cap;
  }
  int tail = n - last;
  int delta = 1 - removed;
  if (tail)
    memmove(&v[last + delta], &v[last], sizeof *v * (size_t)tail);
  v[first] = merged;
  tu->narg_spans = n + delta;
  return first;
}

static bool is_plain_await(Tu *tu, const Range *x) {
  return tu_await_call_at(tu, x->start) == x && ((const AwaitCall *)x)->plain;
}

/* Learns the span of a cursor's ends, at locations start and end that
 * libclang put at offsets s and e, if they lie in one run of a plain
 * await's argument; returns the span's index, or -1.  The argument then
 * holds s..e, no other invocation holds s, and none starts in s..e: the
 * locations spelled in s..e are those of the argument's tokens, which
 * clang numbers in runs that skip the blanks between runs.  So if the ends
 * are as far apart in numbers as in offsets, no blank was skipped between
 * them: they lie in one run, where numbers and offsets go together. */
static int learn_span(Tu *tu, CXSourceLocation start, CXSourceLocation end,
                      unsigned s, unsigned e) {
  unsigned lo = start.int_data, hi = end.int_data;
  if (!tu->raw_ok || start.ptr_data[0] != tu->raw_sm ||
      end.ptr_data[0] != tu->raw_sm || !(lo & MACRO_ID_BIT) ||
      !(hi & MACRO_ID_BIT) || e <= s || hi <= lo || hi - lo != e - s)
    return -1;
  int i = last_expansion_before(tu, s);
  if (i + 1 < tu->expansions.len &&
      ((Range *)tu->expansions.items[i + 1])->start <= e)
    return -1;
  const Range *around = NULL;
  for (; i >= 0 && tu->max_end[i] > s; i--) {
    const Range *x = tu->expansions.items[i];
    if (x->end > s) {
      if (around)
        return -1;
      around = x;
    }
  }
  if (!around || around->end < e || !is_plain_await(tu, around))
    return -1;
  return add_span(tu, lo, hi, s);
}

/* Where the first token of an await invocation's argument starts and the
 * last one ends, read from the text.  Everything that is not a blank or a
 * comment counts as a token, so the reading can only widen the argument.
 * False on text it may misread the other way: line splices, trigraphs,
 * prefixed literals, comments and literals not closed before the ')'. */
static bool await_arg_text(Tu *tu, const Range *call, unsigned *first,
                           unsigned *last) {
  const char *s = tu->src;
  unsigned close = call->end - 1;
  if (call->end < call->start + 7 || call->end > tu->src_len ||
      s[close] != ')' || strncmp(s + call->start, "await", 5) != 0)
    return false;
  unsigned p = call->start + 5;
  bool open = false;
  *first = *last = 0;
  while (p < close) {
    char c = s[p];
    if (c == '\\' || (c == '?' && s[p + 1] == '?'))
      return false;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      p++;
    } else if (c == '/' && s[p + 1] == '/') {
      while (p < close && s[p] != '\n')
        if (s[p++] == '\\')
          return false;
    } else if (c == '/' && s[p + 1] == '*') {
      unsigned q = p + 2;
      while (q + 1 < close && !(s[q] == '*' && s[q + 1] == '/'))
        q++;
      if (q + 1 >= close)
        return false;
      p = q + 2;
    } else if (!open) {
      if (c != '(')
        return false; /* not the invocation's own parenthesis */
      open = true;
      p++;
    } else if (c == '"' || c == '\'') {
      if (is_ident_char(s[p - 1]))
        return false;
      unsigned q = p + 1;
      for (; q < close && s[q] != c && s[q] != '\n'; q++)
        if (s[q] == '\\' && (s[++q] == '\n' || s[q] == '\r'))
          return false;
      if (q >= close || s[q] != c)
        return false;
      *first = *first ? *first : p;
      p = *last = q + 1;
    } else {
      *first = *first ? *first : p;
      p = *last = p + 1;
    }
  }
  return *first && *last > *first;
}

void tu_learn_await_span(Tu *tu, const Range *call, CXCursor operand) {
  if (!tu->raw_ok || !is_plain_await(tu, call) ||
      tu_in_expansion(tu, call->start))
    return;
  int i = last_expansion_before(tu, call->start + 1) + 1;
  if (i < tu->expansions.len &&
      ((Range *)tu->expansions.items[i])->start < call->end)
    return; /* an invocation inside the argument */
  unsigned s, e;
  if (!await_arg_text(tu, call, &s, &e))
    return;
  CXSourceRange ext = clang_getCursorExtent(operand);
  CXSourceLocation start = clang_getRangeStart(ext);
  CXSourceLocation end = clang_getRangeEnd(ext);
  unsigned lo = start.int_data, hi = end.int_data;
  if (start.ptr_data[0] != tu->raw_sm || end.ptr_data[0] != tu->raw_sm ||
      !(lo & MACRO_ID_BIT) || !(hi & MACRO_ID_BIT) || hi <= lo ||
      hi - lo != e - s)
    return;
  add_span(tu, lo, hi, s);
}

/* True if `loc` is a token of a macro's body rather than a token spelled
 * in the file (directly or as a macro argument). */
static bool in_macro_body(Tu *tu, CXSourceLocation loc) {
  CXFile f1, f2;
  unsigned off1, off2;
  if (raw_offset(tu, loc, &off1))
    return false; /* spelled where it is */
  clang_getSpellingLocation(loc, &f1, NULL, NULL, &off1);
  clang_getFileLocation(loc, &f2, NULL, NULL, &off2);
  return off1 != off2 || !f1 || !f2 || !clang_File_isEqual(f1, f2);
}

Range tu_range(Tu *tu, CXCursor c) {
  bool end_spelled;
  return tu_range_spelled(tu, c, &end_spelled);
}

Range tu_range_spelled(Tu *tu, CXCursor c, bool *end_spelled) {
  *end_spelled = false;
  CXSourceRange ext = clang_getCursorExtent(c);
  Range r = {0, 0};
  CXSourceLocation start = clang_getRangeStart(ext);
  CXSourceLocation end = clang_getRangeEnd(ext);
  unsigned off;
  int start_span = -1, end_span = -1;
  long s;
  if (raw_offset(tu, start, &off))
    s = off;
  else if ((start_span = span_offset(tu, start, &off)) >= 0)
    s = off;
  else
    s = tu_offset(tu, start);
  if (s < 0)
    return r;
  bool spelled = raw_offset(tu, end, &off);
  long e;
  if (spelled)
    e = off;
  else if ((end_span = span_offset(tu, end, &off)) >= 0)
    e = off;
  else
    e = tu_offset(tu, end);
  if (!spelled && (start_span < 0 || start_span != end_span) && e > s)
    start_span = end_span =
        learn_span(tu, start, end, (unsigned)s, (unsigned)e);
  /* Between two ends in one span, the tokens are the file's, in order. */
  *end_spelled = spelled || (end_span >= 0 && end_span == start_span);
  /* A token of a macro's body maps to the start of the invocation that
   * expanded it; a range ending there really ends with that invocation,
   * even one that starts later, in the invocation's argument (`x + 1`
   * from `F(x)` defined as `x + 1`).  Asking libclang where the token is
   * spelled is the dear part, so only an end that is not plainly in the
   * file (directly or in a span, which holds argument tokens), where some
   * invocation starts, is asked about. */
  const Range *inv = spelled || end_span >= 0 || e < 0
                         ? NULL
                         : tu_expansion_at(tu, (unsigned)e);
  if (inv && in_macro_body(tu, end))
    e = inv->end;
  if (e < s)
    e = s;
  r.start = (unsigned)s;
  r.end = (unsigned)e;
  /* A cursor that starts inside a macro invocation (in an argument, as in
   * `AC_TASK(int) h = ...`) and ends at or after its end covers the whole
   * invocation.  Invocations nest, so only those before r.start that
   * reach past it (by the running maximum of their ends) can contain it. */
  unsigned first = r.start;
  for (int i = last_expansion_before(tu, first);
       i >= 0 && tu->max_end[i] > first; i--) {
    Range *x = tu->expansions.items[i];
    if (first < x->end && r.end >= x->end)
      r.start = x->start;
  }
  /* Likewise a cursor that starts before an invocation and ends inside
   * it, in an argument (`2 + ID(a)`), covers all of it. */
  unsigned last = r.end;
  for (int i = last_expansion_before(tu, last);
       i >= 0 && tu->max_end[i] > last; i--) {
    Range *x = tu->expansions.items[i];
    if (x->start >= r.start && last < x->end && x->end > r.end)
      r.end = x->end;
  }
  return r;
}

bool tu_name_range(Tu *tu, CXCursor c, Range *r) {
  unsigned off;
  CXSourceLocation loc = clang_getCursorLocation(c);
  if (!raw_offset(tu, loc, &off) && span_offset(tu, loc, &off) < 0)
    return false;
  const char *s = tu->src;
  unsigned end = off;
  while (end < tu->src_len && is_ident_char(s[end]))
    end++;
  /* A universal character name, a byte outside ASCII or a line splice
   * would make the name longer than the scan: libclang measures it. */
  if (end == off ||
      (end < tu->src_len && (s[end] == '\\' || (unsigned char)s[end] >= 0x80)))
    return false;
  r->start = off;
  r->end = end;
  return true;
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

static int by_start(const void *a, const void *b) {
  const Range *x = *(Range *const *)a, *y = *(Range *const *)b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end > y->end ? -1 : x->end < y->end;
}

/* Line starts and sorted macro invocations, for fast lookups. */
static void index_source(Tu *tu) {
  unsigned n = 1;
  for (size_t i = 0; i < tu->src_len; i++)
    n += tu->src[i] == '\n';
  tu->line_starts = arena_alloc(tu->arena, sizeof(unsigned) * n);
  tu->nlines = 1;
  for (size_t i = 0; i < tu->src_len; i++)
    if (tu->src[i] == '\n')
      tu->line_starts[tu->nlines++] = (unsigned)i + 1;
  if (tu->expansions.len)
    qsort(tu->expansions.items, (size_t)tu->expansions.len, sizeof(void *),
          by_start);
  if (tu->await_calls.len)
    qsort(tu->await_calls.items, (size_t)tu->await_calls.len,
          sizeof(void *), by_start);
  tu->max_end =
      arena_alloc(tu->arena, sizeof(unsigned) * (size_t)(tu->expansions.len + 1));
  unsigned max = 0;
  for (int i = 0; i < tu->expansions.len; i++) {
    unsigned e = ((Range *)tu->expansions.items[i])->end;
    max = e > max ? e : max;
    tu->max_end[i] = max;
  }
}

/* Skips blanks and comments from `off`. */
static unsigned skip_blank(Tu *tu, unsigned off) {
  const char *s = tu->src;
  size_t n = tu->src_len;
  for (;;) {
    while (off < n && strchr(" \t\r\n\f\v", s[off]))
      off++;
    if (off + 1 < n && s[off] == '/' && s[off + 1] == '/') {
      while (off < n && s[off] != '\n')
        off++;
    } else if (off + 1 < n && s[off] == '/' && s[off + 1] == '*') {
      char *e = strstr(s + off + 2, "*/");
      off = e ? (unsigned)(e - s) + 2 : (unsigned)n;
    } else {
      return off;
    }
  }
}

unsigned tu_skip_semicolon(Tu *tu, unsigned off) {
  unsigned p = skip_blank(tu, off);
  return p < tu->src_len && tu->src[p] == ';' ? p + 1 : off;
}

char *tu_text(Tu *tu, Range r) {
  return arena_strndup(tu->arena, tu->src + r.start, r.end - r.start);
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

static bool visit_is_async_decl(CXCursor fn) {
  bool found = false;
  clang_visitChildren(fn, find_annotation, &found);
  return found;
}

bool tu_is_async_decl(CXCursor fn) {
  const void *key = fn.data[0];
  if (!key || !clang_isDeclaration(fn.kind))
    return visit_is_async_decl(fn);
  if (async_decls.cap) {
    unsigned i = async_decl_slot(key);
    if (async_decls.keys[i])
      return async_decls.async[i];
  }
  bool async = visit_is_async_decl(fn);
  remember_async_decl(key, async);
  return async;
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
