/* diag.c -- clang-style diagnostics: file:line:col, the source line, a
 * caret.  Every refusal in the translation unit is reported before exit;
 * the count and the filter of repeats live in the Tu. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int diag_error_count(Tu *tu) { return tu->nerrors; }

static bool color(Tu *tu) { return tu->opt && tu->opt->color; }

static void print_line_of(Tu *tu, const char *src, size_t len,
                          unsigned off) {
  unsigned start = off, end = off;
  while (start > 0 && src[start - 1] != '\n')
    start--;
  while (end < len && src[end] != '\n')
    end++;
  fprintf(stderr, "%.*s\n", (int)(end - start), src + start);
  /* Keep tabs so the caret lines up under the same column. */
  for (unsigned i = start; i < off; i++)
    fputc(src[i] == '\t' ? '\t' : ' ', stderr);
  fprintf(stderr, "%s^%s\n", color(tu) ? "\033[1;32m" : "",
          color(tu) ? "\033[0m" : "");
}

/* "path:line:col: kind: " in clang's colours. */
static void print_head(Tu *tu, const char *path, unsigned line, unsigned col,
                       const char *kind, const char *kind_color) {
  if (color(tu))
    fprintf(stderr, "\033[1m");
  fprintf(stderr, "%s:%u:%u: ", path, line, col);
  if (color(tu))
    fprintf(stderr, "%s%s:\033[0m\033[1m ", kind_color, kind);
  else
    fprintf(stderr, "%s: ", kind);
}

static void print_tail(Tu *tu) {
  fprintf(stderr, "%s\n", color(tu) ? "\033[0m" : "");
}

static void report(Tu *tu, unsigned at, const char *kind, const char *col,
                   const char *fmt, va_list ap) {
  print_head(tu, tu->path, tu_line(tu, at), tu_col(tu, at), kind, col);
  vfprintf(stderr, fmt, ap);
  print_tail(tu);
  print_line_of(tu, tu->src, tu->src_len, at);
}

/* A construct reached twice (a macro argument expanded twice, say) is
 * reported once. */
static bool seen_before(Tu *tu, unsigned at, const char *fmt) {
  char key[64];
  snprintf(key, sizeof key, "%u:%p", at, (const void *)fmt);
  unsigned h = hash_str(key);
  if (map_get(&tu->reported, h, key))
    return true;
  char *copy = arena_strdup(tu->arena, key);
  map_put(&tu->reported, h, copy, copy);
  return false;
}

void diag_error(Tu *tu, unsigned at, const char *fmt, ...) {
  tu->nerrors++;
  if (seen_before(tu, at, fmt))
    return;
  va_list ap;
  va_start(ap, fmt);
  report(tu, at, "error", "\033[1;31m", fmt, ap);
  va_end(ap);
}

void diag_warning(Tu *tu, unsigned at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(tu, at, "warning", "\033[1;35m", fmt, ap);
  va_end(ap);
}

void diag_note(Tu *tu, unsigned at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(tu, at, "note", "\033[1;30m", fmt, ap);
  va_end(ap);
}

/* The head and source line of a location in any file libclang read. */
static void report_at(Tu *tu, CXSourceLocation loc, bool spelling,
                      const char *kind, const char *kind_color,
                      const char *msg) {
  CXFile file;
  unsigned line, col, off;
  if (spelling)
    clang_getSpellingLocation(loc, &file, &line, &col, &off);
  else
    clang_getFileLocation(loc, &file, &line, &col, &off);
  if (!file) {
    fprintf(stderr, "%s: %s\n", kind, msg);
    return;
  }
  char *path = arena_cxstr(tu->arena, clang_getFileName(file));
  if (clang_File_isEqual(file, tu->main_file))
    path = (char *)tu->path;
  print_head(tu, path, line, col, kind, kind_color);
  fputs(msg, stderr);
  print_tail(tu);
  size_t len;
  const char *text = clang_getFileContents(tu->tu, file, &len);
  if (text && off <= len)
    print_line_of(tu, text, len, off);
}

void diag_note_at(Tu *tu, CXSourceLocation at, const char *fmt, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  report_at(tu, at, false, "note", "\033[1;30m", b.s ? b.s : "");
  buf_free(&b);
}

void diag_print_clang(Tu *tu, CXDiagnostic d) {
  enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
  const char *kind = sev >= CXDiagnostic_Error ? "error" : "warning";
  const char *kind_color = sev >= CXDiagnostic_Error ? "\033[1;31m"
                                                     : "\033[1;35m";
  Buf msg = {0};
  buf_puts(&msg, arena_cxstr(tu->arena, clang_getDiagnosticSpelling(d)));
  char *option = arena_cxstr(tu->arena, clang_getDiagnosticOption(d, NULL));
  if (option[0])
    buf_printf(&msg, " [%s]", option);
  CXSourceLocation loc = clang_getDiagnosticLocation(d);
  /* Inside a macro (await() with no operand, say), the use is what the
   * user wrote: report there, and show the macro as a note, as clang
   * does. */
  SrcLoc where = tu_loc(tu, loc);
  if (where.kind == LOC_BODY || where.kind == LOC_ARG) {
    report_at(tu, loc, false, kind, kind_color, msg.s);
    Expansion *x = tu_expansion_at(tu, where.inv);
    char *note = arena_printf(tu->arena, "expanded from macro '%s'",
                              x ? x->name : "?");
    report_at(tu, loc, true, "note", "\033[1;30m", note);
  } else {
    report_at(tu, loc, false, kind, kind_color, msg.s);
  }
  buf_free(&msg);
}

_Noreturn void internal_error_at(const char *file, int line, const char *msg) {
  fprintf(stderr, "asyncc: internal error at %s:%d: %s\n", file, line, msg);
  abort();
}
