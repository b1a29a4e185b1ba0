/* buf-format.c -- the generator's formatter (transpiler/buf.c) gives the
 * C library's text for every conversion it formats itself, and for those
 * it leaves to vsnprintf. */
#include "transpiler.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define EXPECT_SAME(...)                                                     \
  do {                                                                       \
    char want[256];                                                          \
    snprintf(want, sizeof want, __VA_ARGS__);                                \
    Buf got = {0};                                                           \
    buf_puts(&got, "<");                                                     \
    buf_printf(&got, __VA_ARGS__);                                           \
    if (strcmp(got.s + 1, want) != 0) {                                      \
      printf("FAIL: %s: want \"%s\", got \"%s\"\n", #__VA_ARGS__, want,      \
             got.s + 1);                                                     \
      failures++;                                                            \
    }                                                                        \
    buf_free(&got);                                                          \
  } while (0)

int main(void) {
  EXPECT_SAME("%s", "");
  EXPECT_SAME("no conversions");
  EXPECT_SAME("%s-%s=%s", "a", "", "a%d");
  EXPECT_SAME("%d %d %d %d", 0, -1, INT_MIN, INT_MAX);
  EXPECT_SAME("%u %u %x %x", 0u, UINT_MAX, 255u, 0u);
  EXPECT_SAME("%ld %ld %lu %lx", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
  EXPECT_SAME("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, 0x1234abcdULL);
  EXPECT_SAME("%zu %zx", (size_t)12345, (size_t)SIZE_MAX);
  EXPECT_SAME("%c%c%%%s%%", 'x', 'y', "z");
  EXPECT_SAME("[%*s] [%*s] [%*s]", 5, "ab", -5, "ab", 1, "abcdef");
  EXPECT_SAME("[%.*s] [%.*s] [%.*s]", 2, "abcdef", 0, "abc", -1, "abc");
  EXPECT_SAME("[%*.*s]", 6, 2, "abcdef");
  EXPECT_SAME("[%*c] [%*c]", 3, 'x', -3, 'y');
  /* Literal text longer than the room first made for a buffer. */
  EXPECT_SAME("%s: a literal run much longer than any one piece before it, "
              "%d, and more of it after the last conversion too", "lead", 7);
  /* Left to vsnprintf, after text already formatted directly. */
  EXPECT_SAME("%s %6lld|%s", "lead", 42LL, "tail");
  EXPECT_SAME("%d %5d|%-3u|", 1, 42, 7u);
  Arena *a = arena_new();
  const char *s = arena_printf(a, "%s_%d_%s", "await", 12, "frame");
  if (strcmp(s, "await_12_frame") != 0) {
    printf("FAIL: arena_printf gave \"%s\"\n", s);
    failures++;
  }
  arena_free(a);
  Buf esc = {0};
  buf_put_escaped(&esc, "dir \"x\"\\y.c", "\"\\");
  buf_put_escaped(&esc, "|plain", "\"\\");
  if (strcmp(esc.s, "dir \\\"x\\\"\\\\y.c|plain") != 0) {
    printf("FAIL: buf_put_escaped gave \"%s\"\n", esc.s);
    failures++;
  }
  buf_free(&esc);
  Buf line = {0};
  buf_put_line_of(&line, "  a\n\t b\"c  \n", "\"");
  if (strcmp(line.s, "a b\\\"c") != 0) {
    printf("FAIL: buf_put_line_of gave \"%s\"\n", line.s);
    failures++;
  }
  buf_free(&line);
  /* A buffer that starts in the storage of one freed before it (see
   * buf.c), then outgrows it. */
  Buf first = {0};
  buf_puts(&first, "x");
  buf_free(&first);
  Buf second = {0};
  for (int i = 0; i < 100; i++)
    buf_printf(&second, "%d%s", i % 10, "123456789");
  bool same = second.len == 1000;
  for (size_t i = 0; same && i < second.len; i++)
    same = second.s[i] == (char)('0' + (i % 10 == 0 ? i / 10 % 10 : i % 10));
  if (!same) {
    printf("FAIL: a buffer after a freed one gave \"%.40s...\"\n", second.s);
    failures++;
  }
  buf_free(&second);
  printf("%s\n", failures ? "buf-format: FAILED" : "buf-format: ok");
  return failures != 0;
}
