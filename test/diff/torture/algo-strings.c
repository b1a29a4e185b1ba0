// Covers: building strings byte by byte with awaited characters, snprintf with awaited arguments, string search and reversal across awaits.
#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async char next_char(const char *src, int i) {
  await(ac_yield());
  return src[i];
}

static async int length(const char *s) { return (int)strlen(s); }

static async void reverse(char *s) {
  int n = await(length(s));
  for (int i = 0, j = n - 1; i < j; i++, j--) {
    char t = s[i];
    s[i] = s[j];
    await(ac_yield());
    s[j] = t;
  }
}

static async int main_async(void) {
  const char *src = "the quick brown fox";
  char out[64];
  int n = 0;
  char ch;
  while ((ch = await(next_char(src, n))) != '\0') {
    out[n++] = ch == ' ' ? '_' : ch;
  }
  out[n] = '\0';
  printf("out=%s n=%d\n", out, n);
  await(reverse(out));
  printf("rev=%s\n", out);
  char line[80];
  snprintf(line, sizeof line, "[%d|%c|%s]", await(length(out)), await(next_char(out, 3)), src + await(length("the ")));
  printf("%s\n", line);
  const char *hit = strstr(src, "brown");
  await(ac_yield());
  printf("hit=%s offset=%d\n", hit, (int)(hit - src));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
