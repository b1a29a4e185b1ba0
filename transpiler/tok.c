/* tok.c -- the one tokenizer: clang_tokenize, for the main file's text
 * and for macro definitions.  Every pass that needs tokens asks here.
 *
 * clang_tokenize lexes raw text, so comments, directives and the text of
 * skipped #if branches come out as tokens too: the printer finds the
 * comments between statements this way. */
#include "transpiler.h"

#include <stdio.h>
#include <string.h>

static TokKind kind_of(CXTokenKind k) {
  switch (k) {
  case CXToken_Punctuation: return TOK_PUNCT;
  case CXToken_Keyword: return TOK_KEYWORD;
  case CXToken_Identifier: return TOK_IDENT;
  case CXToken_Literal: return TOK_LITERAL;
  case CXToken_Comment: return TOK_COMMENT;
  }
  return TOK_PUNCT;
}

/* Tokens of a libclang range, with offsets in `file`; spellings too when
 * asked (definitions in headers have no text of ours to point into). */
static Toks lex_in(Tu *tu, CXTranslationUnit unit, CXSourceRange range,
                   bool spell) {
  CXToken *cx;
  unsigned n;
  clang_tokenize(unit, range, &cx, &n);
  Toks ts = {arena_alloc(tu->arena, sizeof(Tok) * (n + 1)), 0};
  for (unsigned i = 0; i < n; i++) {
    CXSourceRange ext = clang_getTokenExtent(unit, cx[i]);
    unsigned s, e;
    clang_getFileLocation(clang_getRangeStart(ext), NULL, NULL, NULL, &s);
    clang_getFileLocation(clang_getRangeEnd(ext), NULL, NULL, NULL, &e);
    Tok *t = &ts.t[ts.n++];
    t->kind = kind_of(clang_getTokenKind(cx[i]));
    t->off = s;
    t->len = e > s ? e - s : 0;
    t->text = spell ? arena_cxstr(tu->arena, clang_getTokenSpelling(unit,
                                                                    cx[i]))
                    : NULL;
  }
  clang_disposeTokens(unit, cx, n);
  return ts;
}

static Toks lex(Tu *tu, CXSourceRange range, bool spell) {
  return lex_in(tu, tu->tu, range, spell);
}

Toks tok_text(Tu *tu, const char *name, const char *text, size_t len) {
  /* A translation unit of its own, of that one file: nothing included,
   * no function bodies parsed, since only its tokens are wanted. */
  struct CXUnsavedFile file = {name, text, (unsigned long)len};
  const char *const args[] = {"-x", "c", "-nostdinc", "-w"};
  CXTranslationUnit unit = clang_parseTranslationUnit(
      tu->index, name, args, 4, &file, 1,
      CXTranslationUnit_SingleFileParse | CXTranslationUnit_SkipFunctionBodies);
  if (!unit)
    return (Toks){NULL, 0};
  CXFile f = clang_getFile(unit, name);
  Toks ts = {NULL, 0};
  if (f)
    ts = lex_in(tu, unit,
                clang_getRange(clang_getLocationForOffset(unit, f, 0),
                               clang_getLocationForOffset(unit, f,
                                                          (unsigned)len)),
                false);
  clang_disposeTranslationUnit(unit);
  return ts;
}

Toks tok_range(Tu *tu, Range r) {
  if (r.end <= r.start)
    return (Toks){NULL, 0};
  CXSourceLocation s =
      clang_getLocationForOffset(tu->tu, tu->main_file, r.start);
  /* libclang lexes on while its position is before the end: the tokens
   * that start in the range, and maybe one after, dropped below. */
  CXSourceLocation e =
      clang_getLocationForOffset(tu->tu, tu->main_file, r.end);
  Toks ts = lex(tu, clang_getRange(s, e), false);
  /* A token that runs past the end belongs to the text after it. */
  while (ts.n > 0 && ts.t[ts.n - 1].off >= r.end)
    ts.n--;
  return ts;
}

int tok_find(const Toks *ts, unsigned off) {
  int lo = 0, hi = ts->n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (ts->t[mid].off < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

bool tok_is(Tu *tu, const Tok *t, const char *p) {
  size_t n = strlen(p);
  if (t->text)
    return strcmp(t->text, p) == 0;
  return t->kind == TOK_PUNCT && t->len == n &&
         memcmp(tu->src + t->off, p, n) == 0;
}

static bool spelled(const Tok *t, const char *s) {
  return t->text && strcmp(t->text, s) == 0;
}

/* Reads the parameter list after the name: `(a, b, ...)`; returns the
 * index of the token after its ')', or -1. */
static int read_params(Tu *tu, MacroDef *md, const Toks *ts) {
  Vec params = {0};
  int i = 2; /* NAME ( */
  for (; i < ts->n && !spelled(&ts->t[i], ")"); i++) {
    const Tok *t = &ts->t[i];
    if (spelled(t, ","))
      continue;
    if (spelled(t, "...")) {
      md->variadic = true;
      vec_push(tu->arena, &params, (void *)"__VA_ARGS__");
    } else if (i + 1 < ts->n && spelled(&ts->t[i + 1], "...")) {
      md->variadic = true; /* GNU's named variadic parameter: args... */
      vec_push(tu->arena, &params, (void *)t->text);
      i++;
    } else {
      vec_push(tu->arena, &params, (void *)t->text);
    }
  }
  if (i >= ts->n)
    return -1;
  md->params = (const char **)params.items;
  md->nparams = params.len;
  return i + 1;
}

/* The function-like macro whose argument list holds body token i, and
 * which of its parameters that argument is; NULL if none. */
static MacroDef *passed_to(Tu *tu, const MacroDef *md, int i, int *param) {
  int depth = 0, commas = 0;
  for (int j = i - 1; j >= 0; j--) {
    const Tok *t = &md->body.t[j];
    if (spelled(t, ")")) {
      depth++;
    } else if (spelled(t, ",") && depth == 0) {
      commas++;
    } else if (spelled(t, "(") && depth-- == 0) {
      MacroDef *inner =
          j > 0 && md->body.t[j - 1].kind == TOK_IDENT
              ? tok_macro_named(tu, md->body.t[j - 1].text)
              : NULL;
      if (inner && inner->function_like) {
        *param = commas < inner->nparams ? commas
                 : inner->variadic       ? inner->nparams - 1
                                         : -1;
        return inner;
      }
      depth = 0; /* a parenthesis of the body's own: look further out */
      commas = 0;
    }
  }
  return NULL;
}

/* How often the expansion holds each argument, and whether # or ##
 * touch it, here or in a macro the body passes it to: an argument used
 * once and never stringized or pasted expands to its own text, so a
 * rewrite inside it can be made in the invocation. */
static void count_uses(Tu *tu, MacroDef *md) {
  int *uses = arena_alloc(tu->arena, sizeof(int) * (size_t)(md->nparams + 1));
  bool *stringized =
      arena_alloc(tu->arena, sizeof(bool) * (size_t)(md->nparams + 1));
  for (int i = 0; i < md->body.n; i++) {
    const Tok *t = &md->body.t[i];
    if (t->kind != TOK_IDENT && t->kind != TOK_KEYWORD)
      continue;
    for (int p = 0; p < md->nparams; p++) {
      if (strcmp(t->text, md->params[p]) != 0)
        continue;
      bool hash = i > 0 && (spelled(&md->body.t[i - 1], "#") ||
                            spelled(&md->body.t[i - 1], "##"));
      bool paste = i + 1 < md->body.n && spelled(&md->body.t[i + 1], "##");
      int q;
      MacroDef *inner = hash || paste ? NULL : passed_to(tu, md, i, &q);
      if (hash || paste) {
        uses[p]++;
        stringized[p] = true;
      } else if (!inner) {
        uses[p]++;
      } else if (!inner->uses || q < 0) {
        /* A macro being read (they nest): assume the worst. */
        uses[p] += 2;
        stringized[p] = true;
      } else {
        uses[p] += inner->uses[q];
        stringized[p] |= inner->stringized[q];
      }
    }
  }
  md->uses = uses;
  md->stringized = stringized;
}

MacroDef *tok_macro(Tu *tu, CXCursor def) {
  if (clang_Cursor_isNull(def))
    return NULL;
  unsigned h = map_hash_cursor(def);
  MacroDef *md = map_get(&tu->macro_defs, h, &def);
  if (md)
    return md;
  md = arena_alloc(tu->arena, sizeof *md);
  md->name = arena_cxstr(tu->arena, clang_getCursorSpelling(def));
  md->builtin = clang_Cursor_isMacroBuiltin(def);
  md->function_like = clang_Cursor_isMacroFunctionLike(def);
  CXSourceRange ext = clang_getCursorExtent(def);
  clang_getFileLocation(clang_getRangeStart(ext), &md->file, NULL, NULL,
                        NULL);
  Toks ts = md->builtin ? (Toks){NULL, 0} : lex(tu, ext, true);
  int body = 1;
  if (md->function_like && ts.n >= 3)
    body = read_params(tu, md, &ts);
  if (body < 0 || body > ts.n)
    body = ts.n;
  md->body = (Toks){ts.t + body, ts.n - body};
  CXCursor *key = arena_alloc(tu->arena, sizeof *key);
  *key = def;
  map_put(&tu->macro_defs, h, key, md);
  count_uses(tu, md);
  return md;
}

MacroDef *tok_macro_named(Tu *tu, const char *name) {
  const CXCursor *def = map_get(&tu->macro_by_name, hash_str(name), name);
  return def ? tok_macro(tu, *def) : NULL;
}

Toks tok_spelled(Tu *tu, CXSourceLocation loc, unsigned max_bytes) {
  CXFile file;
  unsigned off;
  clang_getSpellingLocation(loc, &file, NULL, NULL, &off);
  if (!file)
    return (Toks){NULL, 0};
  size_t len;
  if (!clang_getFileContents(tu->tu, file, &len) || off >= len)
    return (Toks){NULL, 0};
  unsigned end = off + max_bytes < len ? off + max_bytes : (unsigned)len - 1;
  CXSourceLocation s = clang_getLocationForOffset(tu->tu, file, off);
  CXSourceLocation e = clang_getLocationForOffset(tu->tu, file, end);
  return lex(tu, clang_getRange(s, e), true);
}
