/* buf.c -- growable text buffers for the generated code. */
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

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
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

void buf_put_line_of(Buf *b, const char *s, const char *escape) {
  bool space = false;
  for (const char *p = s; *p; p++) {
    if (strchr(" \t\r\n", *p)) {
      space = true;
      continue;
    }
    if (space && b->len)
      buf_puts(b, " ");
    space = false;
    if (escape && strchr(escape, *p))
      buf_puts(b, "\\");
    buf_putn(b, p, 1);
  }
}
