// Covers: array locals (1D, 2D, partially initialised, size from initialiser, designated indices, arrays of structs, const arrays) kept across awaits.
#include <asyncc.h>
#include <stdio.h>

struct kv {
  int k;
  const char *v;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static unsigned hash(const void *p, size_t n) {
  const unsigned char *b = p;
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

static async int main_async(void) {
  int a[5] = {1, 2, 3};
  int b[] = {10, 20, 30, 40};
  int m[2][3] = {{1, 2, 3}, {4, 5, 6}};
  int d[8] = {[2] = 7, [5] = 9, [7] = 1};
  const int k[3] = {await(val(100)), 200, await(val(300))};
  struct kv t[3] = {{1, "one"}, {2, "two"}, {.v = "three", .k = 3}};
  d[5] += await(val(0));
  long z[4] = {0};
  await(ac_yield());
  printf("a %u b %u m %u d %u k %u z %u\n", hash(a, sizeof a), hash(b, sizeof b),
         hash(m, sizeof m), hash(d, sizeof d), hash(k, sizeof k), hash(z, sizeof z));
  for (int i = 0; i < 5; i++)
    a[i] += await(val(i));
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++)
      m[r][c] *= await(val(r + c + 1));
  for (int i = 0; i < 3; i++)
    printf("t[%d] = %d %s\n", i, t[i].k, t[i].v);
  printf("a %d %d %d %d %d\n", a[0], a[1], a[2], a[3], a[4]);
  printf("m %d %d %d / %d %d %d\n", m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]);
  printf("sizes %zu %zu %zu %zu\n", sizeof a, sizeof b, sizeof m, sizeof t);
  printf("d[5]=%d k[2]=%d\n", d[5], k[2]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
