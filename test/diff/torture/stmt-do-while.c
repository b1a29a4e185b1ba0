// Covers: do-while with an awaiting condition; continue in its body must still evaluate the awaiting condition; break; nested do-whiles.
#include <asyncc.h>
#include <stdio.h>

static int cond_runs;

static async int more(int i, int n) {
  cond_runs++;
  await(ac_yield());
  return i < n;
}

static async int val(int x) { return x; }

static async int main_async(void) {
  int i = 0, acc = 0;
  do {
    i++;
    if (i % 2 == 0)
      continue;
    acc += await(val(i * i));
    printf("i=%d acc=%d\n", i, acc);
  } while (await(more(i, 9)));
  printf("loop1 i=%d acc=%d cond_runs=%d\n", i, acc, cond_runs);

  int a = 0;
  do {
    int b = 0;
    do {
      b++;
      if (b == 2)
        continue;
      if (a == 2 && b == 3)
        break;
      printf("a=%d b=%d\n", a, b);
    } while (await(more(b, 4)));
    a++;
    if (a == 1)
      continue;
    printf("end of outer a=%d\n", a);
  } while (await(more(a, 3)));
  printf("cond_runs=%d\n", cond_runs);

  int c = 10;
  do
    c -= await(val(3));
  while (c > 0);
  printf("c=%d\n", c);

  int d = 0;
  do {
    d++;
    if (d > 100)
      break;
  } while (await(val(d)) != 7);
  printf("d=%d\n", d);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
