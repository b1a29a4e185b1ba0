// Covers: char arrays initialised from string literals (sized, unsized, longer buffers) and string pointers, modified and compared across awaits.
#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async const char *word(int i) {
  static const char *const words[] = {"alpha", "beta", "gamma"};
  await(ac_yield());
  return words[i % 3];
}

static async int main_async(void) {
  char s[] = "hello";
  char buf[32] = "abc";
  char exact[4] = "xyz";
  const char *p = "pointer";
  char grid[2][6] = {"one", "two"};
  await(ac_yield());
  printf("%s %s %s %s %s %s\n", s, buf, exact, p, grid[0], grid[1]);
  s[0] = (char)('A' + await(val(7)));
  strcat(buf, await(word(1)));
  strcat(buf, "-");
  strcat(buf, await(word(2)));
  printf("%s %s len=%zu\n", s, buf, strlen(buf));
  p += await(val(3));
  printf("p=%s cmp=%d\n", p, strcmp(grid[await(val(1))], "two"));
  grid[0][await(val(2))] = '!';
  printf("grid0=%s sizeof s=%zu buf=%zu\n", grid[0], sizeof s, sizeof buf);
  char out[64];
  snprintf(out, sizeof out, "%s/%s/%d", s, await(word(0)), await(val(42)));
  printf("%s\n", out);
  return (int)strlen(out);
}

int main(void) { return ac_block_on(main_async()) == 14 ? 0 : 3; }
