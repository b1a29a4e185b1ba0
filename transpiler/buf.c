/* buf.c -- growable text buffers for the generated code. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(Buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
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

void buf_putn(Buf *b, const char *s, size_t n) {
  reserve(b, n);
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s) { buf_putn(b, s, strlen(s)); }

/* Formatting is direct for the conversions the generator uses: %s, %c, %%
 * and %d %u %x with no length, l, ll or z, a width of '*' for %s, and a
 * precision of '.*' for %s.  The C library's printf costs hundreds of
 * instructions of set-up per call and runs twice to size the output, and
 * the generator formats every line it writes.  On any other conversion
 * the text is formatted anew by vsnprintf, which gives the same text. */
static void put_pad(Buf *b, int n) {
  for (; n > 0; n--)
    buf_putn(b, " ", 1);
}

static void put_string(Buf *b, const char *s, int width, int precision) {
  if (!s)
    s = precision < 0 || precision >= 6 ? "(null)" : "";
  size_t n = precision < 0 ? strlen(s)
                             : strnlen(s, (size_t)precision);
  if (width > 0)
    put_pad(b, width - (int)n);
  buf_putn(b, s, n);
  if (width < 0)
    put_pad(b, -width - (int)n);
}

static void put_unsigned(Buf *b, unsigned long long v, unsigned base,
                         bool negative) {
  char digits[24];
  int i = sizeof digits;
  do {
    digits[--i] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (negative)
    digits[--i] = '-';
  buf_putn(b, digits + i, sizeof digits - (size_t)i);
}

/* One integer conversion at p (after the '%'); returns the character
 * after it. */
static const char *put_integer(Buf *b, const char *p, va_list *ap) {
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
    put_unsigned(b, m, 10, v < 0);
  } else {
    unsigned long long v = size == 0   ? va_arg(*ap, unsigned)
                           : size == 1 ? va_arg(*ap, unsigned long)
                           : size == 2 ? va_arg(*ap, unsigned long long)
                                       : va_arg(*ap, size_t);
    put_unsigned(b, v, *p == 'x' ? 16 : 10, false);
  }
  return p + 1;
}

/* True if p (after a '%') starts a conversion format_direct handles. */
static bool is_direct(const char *p) {
  bool width = *p == '*';
  p += width;
  bool precision = p[0] == '.' && p[1] == '*';
  p += precision ? 2 : 0;
  if (*p == 's' || *p == 'c')
    return true;
  if (width || precision)
    return false;
  if (*p == 'z' || *p == 'l')
    p += p[0] == 'l' && p[1] == 'l' ? 2 : 1;
  return *p == 'd' || *p == 'u' || *p == 'x';
}

/* Appends the formatted text; false, having appended a part of it, at a
 * conversion it does not handle. */
static bool format_direct(Buf *b, const char *fmt, va_list *ap) {
  const char *p = fmt;
  for (;;) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      buf_putn(b, p, strlen(p));
      return true;
    }
    buf_putn(b, p, (size_t)(pct - p));
    p = pct + 1;
    if (*p == '%') {
      buf_putn(b, "%", 1);
      p++;
      continue;
    }
    if (!is_direct(p))
      return false;
    int width = 0, precision = -1;
    if (*p == '*') {
      width = va_arg(*ap, int);
      p++;
    }
    if (p[0] == '.' && p[1] == '*') {
      precision = va_arg(*ap, int);
      p += 2;
    }
    if (*p == 's') {
      put_string(b, va_arg(*ap, const char *), width, precision);
      p++;
    } else if (*p == 'c') {
      char ch = (char)va_arg(*ap, int);
      buf_putn(b, &ch, 1);
      p++;
    } else {
      p = put_integer(b, p, ap);
    }
  }
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
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  reserve(b, (size_t)n);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void buf_free(Buf *b) {
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

void buf_put_line_of(Buf *b, const char *s, const char *escape) {
  static const char blanks[] = " \t\r\n";
  bool space = false;
  for (const char *p = s; *p;) {
    size_t nblank = strspn(p, blanks);
    if (nblank) {
      space = true;
      p += nblank;
      continue;
    }
    if (space && b->len)
      buf_putn(b, " ", 1);
    space = false;
    size_t n = strcspn(p, blanks);
    put_escaped(b, p, n, escape);
    p += n;
  }
}
