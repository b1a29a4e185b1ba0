// Covers: shadowing of locals and parameters in nested scopes, each shadowing variable kept across awaits in its own scope.
#include <asyncc.h>
#include <stdio.h>

static int x = 1000;

static async int val(int v) {
  await(ac_yield());
  return v;
}

static async int shadow(int x) {
  printf("param x=%d\n", x);
  {
    int x = await(val(2));
    printf("block x=%d\n", x);
    {
      int x = await(val(3));
      await(ac_yield());
      printf("inner x=%d\n", x);
      for (int x = 10; x < 12; x++) {
        await(ac_yield());
        printf("for x=%d\n", x);
        {
          double x = await(val(7)) / 2.0;
          printf("double x=%.1f\n", x);
        }
      }
      printf("inner again x=%d\n", x);
    }
    x += await(val(100));
    printf("block again x=%d\n", x);
  }
  x += await(val(1));
  printf("param again x=%d\n", x);
  return x;
}

static async int main_async(void) {
  printf("global x=%d\n", x);
  int r = await(shadow(5));
  {
    int r = await(val(77));
    printf("shadowed r=%d\n", r);
  }
  printf("r=%d global x=%d\n", r, x);
  int s = 0;
  for (int i = 0; i < 3; i++) {
    int s = i * 10;
    s += await(val(i));
    printf("loop s=%d\n", s);
  }
  printf("s=%d\n", s);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
