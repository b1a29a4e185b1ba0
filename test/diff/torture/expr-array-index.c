// Covers: awaits in array indices on both sides of assignments, in multi-dimensional subscripts and in pointer subscripts.
#include <asyncc.h>
#include <stdio.h>

static async int idx(int x) {
  await(ac_yield());
  return x;
}

static unsigned sum(const int *a, int n) {
  unsigned h = 7;
  for (int i = 0; i < n; i++)
    h = h * 31u + (unsigned)a[i];
  return h;
}

static async int main_async(void) {
  int a[10] = {0};
  for (int i = 0; i < 10; i++)
    a[await(idx(9 - i))] = i * i;
  printf("a: %u\n", sum(a, 10));
  int b[10];
  for (int i = 0; i < 10; i++)
    b[i] = a[await(idx(i))] + a[await(idx((i + 3) % 10))];
  printf("b: %u\n", sum(b, 10));
  int m[3][4] = {{0}};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      m[await(idx(i))][await(idx(j))] = i * 4 + j;
  printf("m: %u\n", sum(&m[0][0], 12));
  int *p = b + 2;
  p[await(idx(1))] = 1000;
  printf("p[1]=%d b[3]=%d\n", p[1], b[3]);
  printf("nested %d\n", a[a[await(idx(9))] % 10]);
  printf("idx-of-array %d\n", "abcdef"[await(idx(3))]);
  printf("reversed %d\n", await(idx(2))[a]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
