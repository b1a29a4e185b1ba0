// Covers: if / else-if / else chains with awaits in conditions, in branches, in nested ifs, and in dangling-else positions.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int classify(int n) {
  int r;
  if (await(val(n)) < 0)
    r = -1;
  else if (await(val(n)) == 0)
    r = 0;
  else if (n < await(val(10)))
    r = await(val(1));
  else if (n < 100) {
    int k = await(val(n / 10));
    r = k + 10;
  } else
    r = await(val(99));
  printf("classify(%d) = %d\n", n, r);
  return r;
}

static async int nested(int a, int b) {
  int out = 0;
  if (a > 0)
    if (await(val(b)) > 0)
      out = 1;
    else
      out = 2;
  else if (await(val(b)) > 0)
    out = 3;
  printf("nested(%d,%d) = %d\n", a, b, out);
  if (out == 1) {
    if (await(val(a)) == 5) {
      printf("a is five\n");
    }
  } else {
    printf("not one\n");
  }
  return out;
}

static async int main_async(void) {
  int sum = 0;
  int inputs[] = {-5, 0, 3, 42, 500};
  for (int i = 0; i < 5; i++)
    sum += await(classify(inputs[i]));
  printf("sum = %d\n", sum);
  int pairs[][2] = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}, {5, 2}};
  for (int i = 0; i < 5; i++)
    sum = sum * 3 + await(nested(pairs[i][0], pairs[i][1]));
  printf("total = %d\n", sum);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
