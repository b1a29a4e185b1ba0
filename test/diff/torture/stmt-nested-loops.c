// Covers: nested while/for/do loops with break and continue at each level and awaits in bodies and conditions.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  unsigned h = 17;
  for (int a = 0; a < 4; a++) {
    int b = 0;
    while (await(val(b)) < 4) {
      b++;
      if (b == 2)
        continue;
      int c = 0;
      do {
        c++;
        if (c == 3)
          break;
        if ((a + b + c) % 4 == 0)
          continue;
        h = h * 33u + (unsigned)await(val(a * 100 + b * 10 + c));
      } while (await(val(c)) < 5);
      if (a == 2 && b == 3)
        break;
      printf("a=%d b=%d c=%d h=%u\n", a, b, c, h);
    }
    if (a == 1)
      continue;
    printf("end a=%d h=%u\n", a, h);
  }
  printf("h=%u\n", h);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
