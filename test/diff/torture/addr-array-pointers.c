// Covers: pointers into saved arrays and structs (element pointers, one-past-end, pointer arithmetic and differences) held across awaits.
#include <asyncc.h>
#include <stdio.h>

struct rec {
  int id;
  int vals[4];
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async void fill(int *begin, int *end, int start) {
  for (int *p = begin; p != end; p++)
    *p = start + await(val((int)(p - begin)));
}

static async int main_async(void) {
  int a[8];
  int *mid = a + 4, *end = a + 8;
  await(fill(a, mid, 10));
  await(fill(mid, end, 100));
  for (int *p = a; p < end; p++) {
    await(ac_yield());
    printf("%d ", *p);
  }
  printf("\n");
  printf("diff=%td\n", end - mid);
  struct rec r = {1, {0}};
  int *v = r.vals;
  int *idp = &r.id;
  int start = await(val(50));
  await(fill(v, v + 4, start));
  int id = await(val(9));
  *idp = id;
  printf("r.id=%d vals=%d %d %d %d\n", r.id, r.vals[0], r.vals[1], r.vals[2], r.vals[3]);
  char s[16] = "abcdefgh";
  char *c = s + 2;
  while (*c) {
    *c = (char)(*c - 32 + await(val(0)));
    c += 2;
  }
  printf("s=%s\n", s);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
