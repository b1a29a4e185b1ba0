// Covers: pointer results (to globals, to heap memory, to strings, NULL, pointer to pointer) used across awaits and compared.
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int globals[4] = {5, 6, 7, 8};
static const char *names[] = {"ann", "bob", "cy"};

static async int *nth(int i) {
  await(ac_yield());
  return i < 4 ? &globals[i] : NULL;
}

static async char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  await(ac_yield());
  memcpy(p, s, n);
  return p;
}

static async const char **name_slot(int i) { return &names[i]; }

static async int main_async(void) {
  int *p = await(nth(2));
  printf("*p=%d null=%d\n", *p, await(nth(9)) == NULL);
  *await(nth(0)) += 100;
  printf("g0=%d\n", globals[0]);
  char *s = await(dup("hello"));
  s[0] = 'j';
  char *t = await(dup(s));
  printf("s=%s t=%s same=%d\n", s, t, s == t);
  free(s);
  free(t);
  const char **slot = await(name_slot(1));
  printf("slot=%s next=%s\n", *slot, *(await(name_slot(0)) + 2));
  int sum = 0, i = 0;
  for (int *q; (q = await(nth(i))) != NULL; i++)
    sum += *q;
  printf("sum=%d i=%d\n", sum, i);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
