// Covers: declarations with several declarators where later initialisers read earlier ones and some await; initialisers must run in order.
#include <asyncc.h>
#include <stdio.h>

static int ticks;

static int tick(void) { return ++ticks; }

static async int read_ticks(void) {
  await(ac_yield());
  return ticks;
}

static async int val(int x) { return x; }

static async int main_async(void) {
  int a = tick(), b = await(read_ticks()), c = a + b;
  printf("a=%d b=%d c=%d\n", a, b, c);
  int d = await(val(c * 2)), *pd = &d, e = *pd + await(val(1));
  printf("d=%d e=%d\n", d, e);
  int arr[3] = {a, b, c}, n = arr[2] + await(val(10)), m[2] = {n, await(val(n))};
  printf("n=%d m=%d,%d\n", n, m[0], m[1]);
  int x = tick(), y = tick(), z = await(read_ticks());
  printf("x=%d y=%d z=%d\n", x, y, z);
  int p = await(val(11)), q = await(val(12));
  printf("p=%d q=%d\n", p, q);
  int u, v = await(val(5)), w;
  u = v + 1;
  w = u + await(val(1));
  printf("u=%d v=%d w=%d\n", u, v, w);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
