// Covers: matrix multiplication with awaits in the innermost loop and in index expressions, with a checksum of the product.
#include <asyncc.h>
#include <stdio.h>

enum { N = 6 };

static async int get(const int (*m)[N], int i, int j) {
  if ((i + j) % 3 == 0)
    await(ac_yield());
  return m[i][j];
}

static async int ident(int x) { return x; }

static async int main_async(void) {
  int a[N][N], b[N][N], c[N][N];
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (i * 7 + j * 3) % 11 - 5;
      b[i][j] = (i * 5 + j * 9) % 13 - 6;
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      int s = 0;
      for (int k = 0; k < N; k++) {
        int jj = await(ident(j));
        s += await(get((const int (*)[N])a, i, k)) * await(get((const int (*)[N])b, k, jj));
      }
      c[i][j] = s;
    }
  unsigned h = 0;
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) {
      h = h * 1000003u + (unsigned)c[i][j];
      printf("%5d", c[i][j]);
    }
    printf("\n");
  }
  printf("h=%u\n", h);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
