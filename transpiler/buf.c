/* buf.c -- growable text buffers for the generated code. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most buffers live briefly: arena_printf formats each name into one and
 * copies it out, and a malloc and a free for each cost more than the
 * formatting.  So the storage of a small buffer that is freed is kept, one
 * block at a time, for the next buffer to start in.  The transpiler runs
 * on one thread; the block is freed at exit. */
enum { SPARE_MAX = 4096 };
static char *spare;
static size_t spare_cap;

static void free_spare(void) {
  free(spare);
  spare = NULL;
}

void buf_reserve(Buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  if (!b->s && spare && spare_cap >= extra + 1) {
    b->s = spare;
    b->cap = spare_cap;
    spare = NULL;
    return;
  }
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1)
    cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    fprintf(stderr, "asyncc: out of memory\n");
    exit(1);
  }
  b->s = s;
  b->cap = cap;
}

/* buf_reserve with its test inline, for the formatter's hot paths. */
static inline void reserve(Buf *b, size_t extra) {
  if (b->len + extra + 1 > b->cap)
    buf_reserve(b, extra);
}

/* Formatting is direct for the conversions the generator uses: %s, %c, %%
 * and %d %u %x with no length, l, ll or z, and for %s a width of '*' and
 * a precision of '.*'.  The C library's printf costs hundreds of
 * instructions of set-up per call and runs twice to size the output, and
 * the generator formats every line it writes.  On any other conversion
 * (a width for %c too) the text is formatted anew by vsnprintf, which
 * gives the same text.
 *
 * The output position is a cursor passed and returned by value, so that
 * it stays in registers: every byte stored through a char pointer may
 * alias a Buf's fields, which the compiler would otherwise reload after
 * each one.  The Buf's length is brought up to date only when the storage
 * may move, and at the end. */
typedef struct {
  char *w;   /* where the next byte goes */
  char *end; /* one past the last byte before the terminator's */
} Cursor;

static Cursor cursor_grow(Buf *b, Cursor c, size_t n) {
  b->len = (size_t)(c.w - b->s);
  reserve(b, n);
  return (Cursor){b->s + b->len, b->s + b->cap - 1};
}

/* Makes room for n more bytes at the cursor. */
static inline Cursor cursor_room(Buf *b, Cursor c, size_t n) {
  return (size_t)(c.end - c.w) >= n ? c : cursor_grow(b, c, n);
}

static Cursor cursor_put(Buf *b, Cursor c, const char *s, size_t n) {
  c = cursor_room(b, c, n);
  memcpy(c.w, s, n);
  c.w += n;
  return c;
}

static Cursor cursor_pad(Buf *b, Cursor c, int n) {
  if (n <= 0)
    return c;
  c = cursor_room(b, c, (size_t)n);
  memset(c.w, ' ', (size_t)n);
  c.w += n;
  return c;
}

static Cursor put_string(Buf *b, Cursor c, const char *s, int width,
                         int precision) {
  if (!s)
    s = precision < 0 || precision >= 6 ? "(null)" : "";
  size_t n = precision < 0 ? strlen(s) : strnlen(s, (size_t)precision);
  if (width > 0)
    c = cursor_pad(b, c, width - (int)n);
  c = cursor_put(b, c, s, n);
  if (width < 0)
    c = cursor_pad(b, c, -width - (int)n);
  return c;
}

static Cursor put_unsigned(Buf *b, Cursor c, unsigned long long v,
                           unsigned base, bool negative) {
  char digits[24];
  int i = sizeof digits;
  do {
    digits[--i] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (negative)
    digits[--i] = '-';
  return cursor_put(b, c, digits + i, sizeof digits - (size_t)i);
}

/* True if p (after a '%') starts a conversion format_direct handles. */
static bool is_direct(const char *p) {
  bool width = *p == '*';
  p += width;
  bool precision = p[0] == '.' && p[1] == '*';
  p += precision ? 2 : 0;
  if (*p == 's')
    return true;
  if (width || precision)
    return false;
  if (*p == 'c')
    return true;
  if (*p == 'z' || *p == 'l')
    p += p[0] == 'l' && p[1] == 'l' ? 2 : 1;
  return *p == 'd' || *p == 'u' || *p == 'x';
}

/* Where one conversion, at p (after the '%'), leaves its text and its
 * format: the cursor, and the character after the conversion. */
typedef struct {
  Cursor c;
  const char *p;
} Converted;

/* One integer conversion at p (after the '%'). */
static Converted put_integer(Buf *b, Cursor c, const char *p, va_list *ap) {
  int size = 0; /* 0: int, 1: long, 2: long long, 3: size_t */
  if (*p == 'z') {
    size = 3;
    p++;
  } else if (p[0] == 'l' && p[1] == 'l') {
    size = 2;
    p += 2;
  } else if (*p == 'l') {
    size = 1;
    p++;
  }
  if (*p == 'd') {
    long long v = size == 0   ? va_arg(*ap, int)
                  : size == 1 ? va_arg(*ap, long)
                  : size == 2 ? va_arg(*ap, long long)
                              : (long long)va_arg(*ap, size_t);
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    c = put_unsigned(b, c, m, 10, v < 0);
  } else {
    unsigned long long v = size == 0   ? va_arg(*ap, unsigned)
                           : size == 1 ? va_arg(*ap, unsigned long)
                           : size == 2 ? va_arg(*ap, unsigned long long)
                                       : va_arg(*ap, size_t);
    c = put_unsigned(b, c, v, *p == 'x' ? 16 : 10, false);
  }
  return (Converted){c, p + 1};
}

/* Any conversion but a plain %s, at p (after the '%'), which is_direct
 * accepts. */
static Converted put_other(Buf *b, Cursor c, const char *p, va_list *ap) {
  if (*p == 'c') {
    c = cursor_room(b, c, 1);
    *c.w++ = (char)va_arg(*ap, int);
    return (Converted){c, p + 1};
  }
  if (*p != '*' && *p != '.')
    return put_integer(b, c, p, ap);
  int width = 0, precision = -1;
  if (*p == '*') {
    width = va_arg(*ap, int);
    p++;
  }
  if (*p == '.') {
    precision = va_arg(*ap, int);
    p += 2;
  }
  c = put_string(b, c, va_arg(*ap, const char *), width, precision);
  return (Converted){c, p + 1};
}

/* The characters that end a run of literal text in a format. */
static const bool ends_literal[256] = {['\0'] = true, ['%'] = true};

/* Copies the literal text at p up to the next '%' or the end.  Most runs
 * are a few characters long, shorter than a library call's set-up, so
 * they go byte by byte into room made for SHORT_RUN of them; past that
 * the rest goes to strchr and memcpy. */
enum { SHORT_RUN = 12 };

static Cursor copy_literal(Buf *b, Cursor c, const char **pp) {
  const char *p = *pp;
  c = cursor_room(b, c, SHORT_RUN);
  for (int i = 0; i < SHORT_RUN; i++) {
    if (ends_literal[(unsigned char)*p]) {
      *pp = p;
      return c;
    }
    *c.w++ = *p++;
  }
  const char *pct = strchr(p, '%');
  size_t n = pct ? (size_t)(pct - p) : strlen(p);
  c = cursor_put(b, c, p, n);
  *pp = p + n;
  return c;
}

/* Appends the formatted text; false, having appended a part of it, at a
 * conversion it does not handle. */
static bool format_direct(Buf *b, const char *fmt, va_list *ap) {
  reserve(b, SHORT_RUN);
  Cursor c = {b->s + b->len, b->s + b->cap - 1};
  const char *p = fmt;
  bool done = true;
  for (;;) {
    c = copy_literal(b, c, &p);
    if (!*p)
      break;
    if (p[1] == 's') { /* the usual case */
      c = put_string(b, c, va_arg(*ap, const char *), 0, -1);
      p += 2;
    } else if (p[1] == '%') {
      c = cursor_room(b, c, 1);
      *c.w++ = '%';
      p += 2;
    } else if (is_direct(p + 1)) {
      Converted r = put_other(b, c, p + 1, ap);
      c = r.c;
      p = r.p;
    } else {
      done = false;
      break;
    }
  }
  *c.w = '\0';
  b->len = (size_t)(c.w - b->s);
  return done;
}

/* Formats with the C library, for conversions format_direct leaves. */
static void format_libc(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  reserve(b, (size_t)n);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  size_t start = b->len;
  va_list ap2;
  va_copy(ap2, ap);
  bool done = format_direct(b, fmt, &ap2);
  va_end(ap2);
  if (done)
    return;
  b->len = start;
  format_libc(b, fmt, ap);
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

/* Keeps a freed buffer's storage as the spare block, if it is small and
 * there is none. */
static bool keep_spare(char *s, size_t cap) {
  static bool registered;
  if (spare || cap > SPARE_MAX)
    return false;
  if (!registered && atexit(free_spare) != 0)
    return false;
  registered = true;
  spare = s;
  spare_cap = cap;
  return true;
}

void buf_free(Buf *b) {
  if (b->s && !keep_spare(b->s, b->cap))
    free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

char *buf_take(Arena *a, Buf *b) {
  char *s = arena_strndup(a, b->s ? b->s : "", b->len);
  buf_free(b);
  return s;
}

/* Appends the n characters at s, a backslash before each one in `escape`
 * (may be NULL); the runs between them are copied whole. */
static void put_escaped(Buf *b, const char *s, size_t n, const char *escape) {
  bool special[256] = {false};
  for (const char *e = escape ? escape : ""; *e; e++)
    special[(unsigned char)*e] = true;
  size_t run = 0;
  for (size_t i = 0; escape && i < n; i++) {
    if (!special[(unsigned char)s[i]])
      continue;
    buf_putn(b, s + run, i - run);
    buf_putn(b, "\\", 1);
    run = i;
  }
  buf_putn(b, s + run, n - run);
}

void buf_put_escaped(Buf *b, const char *s, const char *escape) {
  size_t plain = strcspn(s, escape);
  if (!s[plain])
    buf_putn(b, s, plain); /* the usual case: nothing to escape */
  else
    put_escaped(b, s, strlen(s), escape);
}

/* One pass over s, with each character's kind from a table: the text is
 * an await's, a few words long, and a call per word costs more than the
 * characters.  Blanks are told first, so that they are never escaped. */
void buf_put_line_of(Buf *b, const char *s, const char *escape) {
  enum { PLAIN, BLANK, ESCAPE };
  unsigned char kind[256] = {PLAIN};
  for (const char *e = escape ? escape : ""; *e; e++)
    kind[(unsigned char)*e] = ESCAPE;
  kind[' '] = kind['\t'] = kind['\r'] = kind['\n'] = BLANK;
  reserve(b, 2 * strlen(s)); /* each character gives two at most */
  char *w = b->s + b->len;
  bool space = false;
  for (const char *p = s; *p; p++) {
    unsigned char k = kind[(unsigned char)*p];
    if (k == BLANK) {
      space = true;
      continue;
    }
    /* A run of blanks is one space, unless nothing precedes it. */
    if (space && w != b->s)
      *w++ = ' ';
    space = false;
    if (k == ESCAPE)
      *w++ = '\\';
    *w++ = *p;
  }
  *w = '\0';
  b->len = (size_t)(w - b->s);
}

/* The column after the last newline of the buffer. */
static size_t column(const Buf *b) {
  size_t i = b->len;
  while (i > 0 && b->s[i - 1] != '\n')
    i--;
  return b->len - i;
}

/* Appends the items after `head`, packed as buf_wrap says, from column
 * `col`; returns the number of lines taken. */
static int pack(Buf *b, size_t col, const char *head,
                const char *const *items, int n, const char *tail) {
  int lines = 1;
  buf_puts(b, head);
  size_t at = col + strlen(head), align = at;
  for (int i = 0; i < n; i++) {
    size_t need = strlen(items[i]) + (i + 1 < n ? 1 : strlen(tail));
    if (i > 0) {
      buf_puts(b, ",");
      at++;
      if (at + 1 + need > WRAP_COLUMNS) {
        buf_printf(b, "\n%*s", (int)align, "");
        at = align;
        lines++;
      } else {
        buf_puts(b, " ");
        at++;
      }
    }
    buf_puts(b, items[i]);
    at += strlen(items[i]);
  }
  buf_puts(b, tail);
  return lines;
}

void buf_wrap(Buf *b, const char *head, const char *const *items, int n,
              const char *tail) {
  size_t col = column(b);
  /* Most fit on one line. */
  size_t width = col + strlen(head) + strlen(tail);
  for (int i = 0; i < n; i++)
    width += strlen(items[i]) + (i ? 2 : 0);
  if (width <= WRAP_COLUMNS) {
    pack(b, col, head, items, n, tail);
    return;
  }
  const char *open = strrchr(head, '(');
  if (!open) {
    pack(b, col, head, items, n, tail);
    return;
  }
  /* A declaration: packed after its '('; or broken after its return
   * type; or, when neither fits, broken after the '(' with the parameters
   * packed on lines indented by four. */
  const char *name = open;
  while (name > head && name[-1] != ' ' && name[-1] != '*')
    name--;
  size_t lead = strspn(head, " "); /* a statement's indentation */
  size_t first = n > 0 ? strlen(items[0]) + (n > 1 ? 1 : strlen(tail)) : 0;
  bool fits = col + strlen(head) + first <= WRAP_COLUMNS;
  bool can_break = name > head + lead && name[-1] == ' ';
  bool fits_broken = can_break && strlen(name) + first <= WRAP_COLUMNS;
  Buf one = {0}, two = {0};
  int kept = pack(&one, col, head, items, n, tail);
  int broken = fits_broken ? 1 + pack(&two, 0, name, items, n, tail) : 0;
  /* clang-format breaks after the return type only when that puts the
   * whole parameter list on one line, or when it must. */
  if (fits && !(fits_broken && broken == 2 && kept > 2)) {
    buf_puts(b, one.s);
  } else if (fits_broken) {
    buf_putn(b, head, (size_t)(name - 1 - head));
    buf_puts(b, "\n");
    buf_puts(b, two.s);
  } else {
    buf_puts(b, head);
    buf_printf(b, "\n%*s", (int)(col + lead), "");
    pack(b, col + lead, "    ", items, n, tail);
  }
  buf_free(&one);
  buf_free(&two);
}

void buf_wrap_decl(Buf *b, const char *decl) {
  if (column(b) + strlen(decl) <= WRAP_COLUMNS) {
    buf_puts(b, decl);
    return;
  }
  /* The parameter list is the last parenthesised group: find its '('. */
  size_t len = strlen(decl), close = len;
  while (close > 0 && decl[close - 1] != ')')
    close--;
  if (close == 0) {
    buf_puts(b, decl);
    return;
  }
  close--;
  size_t open = close;
  for (int depth = 0; open > 0; open--) {
    depth += decl[open] == ')';
    depth -= decl[open] == '(';
    if (depth == 0)
      break;
  }
  /* Its parameters, split at the commas outside brackets. */
  const char *items[64];
  char *params = strndup(decl + open + 1, close - open - 1);
  int n = 0, depth = 0;
  char *start = params;
  for (char *q = params;; q++) {
    if (*q == '"' || *q == '\'') { /* a literal: its commas are its own */
      char quote = *q;
      while (q[1] && q[1] != quote)
        q += q[1] == '\\' && q[2] ? 2 : 1;
      if (q[1])
        q++;
      continue;
    }
    if (*q == '(' || *q == '[')
      depth++;
    else if (*q == ')' || *q == ']')
      depth--;
    if (*q == '\0' || (*q == ',' && depth == 0)) {
      bool end = *q == '\0';
      *q = '\0';
      while (*start == ' ')
        start++;
      if (n == 64) { /* more than anyone writes: left on one line */
        free(params);
        buf_puts(b, decl);
        return;
      }
      items[n++] = start;
      start = q + 1;
      if (end)
        break;
    }
  }
  char *head = strndup(decl, open + 1);
  buf_wrap(b, head, items, n, decl + close);
  free(head);
  free(params);
}
