// Covers: long arithmetic and bitwise expressions holding many awaits (more than one per operator), relational and shift operators on awaited operands.
#include <asyncc.h>
#include <stdio.h>

static async int v(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int a = await(v(1)) + await(v(2)) * await(v(3)) - await(v(4)) / await(v(2)) + await(v(17)) % await(v(5));
  printf("a=%d\n", a);
  unsigned b = ((unsigned)await(v(0xf0)) | (unsigned)await(v(0x0f))) ^ ((unsigned)await(v(3)) << await(v(8)));
  printf("b=%u\n", b);
  int c = (await(v(5)) > await(v(3))) + (await(v(2)) <= await(v(2))) * 2 + (await(v(1)) != await(v(1))) * 4 +
          (await(v(7)) == 7) * 8;
  printf("c=%d\n", c);
  long d = 0;
  for (int i = 0; i < 5; i++)
    d = d * 10 + await(v(i)) * await(v(i)) % 10 - await(v(i)) / 2;
  printf("d=%ld\n", d);
  int e = -await(v(4)) + ~await(v(0)) + !await(v(3)) + +await(v(6));
  printf("e=%d\n", e);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
