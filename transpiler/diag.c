/* diag.c -- clang-style diagnostics: file:line:col, the source line, a
 * caret.  Every refusal in the translation unit is reported before exit. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Tu *diag_tu;
static bool use_color;
static int nerrors;

static struct {
  unsigned off;
  const char *fmt;
} seen[64];
static int nseen;

/* Starts a new input: its own error count and duplicate filter. */
void diag_init(Tu *tu, bool color) {
  diag_tu = tu;
  use_color = color;
  nerrors = 0;
  nseen = 0;
}

int diag_error_count(void) { return nerrors; }

static void print_line_of(const char *src, size_t len, unsigned off) {
  unsigned start = off, end = off;
  while (start > 0 && src[start - 1] != '\n')
    start--;
  while (end < len && src[end] != '\n')
    end++;
  fprintf(stderr, "%.*s\n", (int)(end - start), src + start);
  /* Keep tabs so the caret lines up under the same column. */
  for (unsigned i = start; i < off; i++)
    fputc(src[i] == '\t' ? '\t' : ' ', stderr);
  fprintf(stderr, "%s^%s\n", use_color ? "\033[1;32m" : "",
          use_color ? "\033[0m" : "");
}

static void print_source_line(unsigned off) {
  print_line_of(diag_tu->src, diag_tu->src_len, off);
}

static void report(Loc at, const char *kind, const char *color,
                   const char *fmt, va_list ap) {
  if (use_color)
    fprintf(stderr, "\033[1m");
  fprintf(stderr, "%s:%u:%u: ", diag_tu->path, tu_line(diag_tu, at.off),
          tu_col(diag_tu, at.off));
  if (use_color)
    fprintf(stderr, "%s%s:\033[0m\033[1m ", color, kind);
  else
    fprintf(stderr, "%s: ", kind);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "%s\n", use_color ? "\033[0m" : "");
  print_source_line(at.off);
}

/* A construct reached twice (a macro argument expanded twice, say) is
 * reported once. */
static bool seen_before(Loc at, const char *fmt) {
  for (int i = 0; i < nseen; i++)
    if (seen[i].off == at.off && seen[i].fmt == fmt)
      return true;
  if (nseen < 64) {
    seen[nseen].off = at.off;
    seen[nseen].fmt = fmt;
    nseen++;
  }
  return false;
}

void diag_error(Loc at, const char *fmt, ...) {
  nerrors++;
  if (seen_before(at, fmt))
    return;
  va_list ap;
  va_start(ap, fmt);
  report(at, "error", "\033[1;31m", fmt, ap);
  va_end(ap);
}

void diag_warning(Loc at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(at, "warning", "\033[1;35m", fmt, ap);
  va_end(ap);
}

void diag_note(Loc at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(at, "note", "\033[1;30m", fmt, ap);
  va_end(ap);
}

void diag_print_clang(CXDiagnostic d) {
  unsigned opts = CXDiagnostic_DisplaySourceLocation |
                  CXDiagnostic_DisplayColumn | CXDiagnostic_DisplayOption;
  CXString s = clang_formatDiagnostic(d, opts);
  fprintf(stderr, "%s\n", clang_getCString(s));
  clang_disposeString(s);
  /* libclang's formatter omits the source line and caret; add them when the
   * location is in a file we can read. */
  CXSourceLocation loc = clang_getDiagnosticLocation(d);
  CXFile file;
  unsigned line, col, off;
  clang_getFileLocation(loc, &file, &line, &col, &off);
  if (!file || !diag_tu)
    return;
  if (clang_File_isEqual(file, diag_tu->main_file)) {
    print_source_line(off);
    return;
  }
  size_t len;
  const char *text = clang_getFileContents(diag_tu->tu, file, &len);
  if (text && off <= len)
    print_line_of(text, len, off);
}

_Noreturn void internal_error_at(const char *file, int line, const char *msg) {
  fprintf(stderr, "asyncc: internal error at %s:%d: %s\n", file, line, msg);
  abort();
}
