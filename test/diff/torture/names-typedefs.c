// Covers: typedef names and enum constants named like the generated code's identifiers (fr, cx, self) used inside an async function that awaits.
#include <asyncc.h>
#include <stdio.h>

typedef int fr;
typedef double cx;
enum { self = 7 };

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  fr a = await(val(3));
  cx b = 0.5 * await(val(self));
  await(ac_yield());
  printf("a=%d b=%.2f self=%d sizes=%zu,%zu\n", a, b, self, sizeof(fr), sizeof(cx));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
