// Covers: the comma operator with awaits on each side (void awaits only where the value is discarded), in statements, conditions, for headers and initialisers; order must be left to right.
#include <asyncc.h>
#include <stdio.h>

static int seq;

static async int stamp(int x) {
  seq = seq * 10 + x;
  await(ac_yield());
  return x;
}

static async void vstamp(int x) { seq = seq * 10 + x; }

static async int main_async(void) {
  int a, b;
  a = (await(stamp(1)), await(stamp(2)));
  printf("a=%d seq=%d\n", a, seq);
  await(stamp(3)), await(stamp(4));
  printf("seq=%d\n", seq);
  seq = 0;
  b = (seq = 5, await(stamp(6)));
  printf("b=%d seq=%d\n", b, seq);
  seq = 0;
  int c = (await(stamp(1)), await(stamp(2)), seq);
  printf("c=%d\n", c);
  seq = 0;
  int i;
  for (i = 0, await(vstamp(7)); i < 3; i++, await(vstamp(8)))
    printf("i=%d seq=%d\n", i, seq);
  seq = 0;
  if ((await(vstamp(4)), seq == 4))
    printf("comma cond seq=%d\n", seq);
  int k = 0;
  while ((k = await(stamp(k + 1)), k < 4))
    printf("k=%d\n", k);
  printf("seq=%d\n", seq);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
