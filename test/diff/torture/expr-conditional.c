// Covers: ?: with awaits in the condition and either branch (only the chosen branch runs), nested ?:, void ?:, mixed arithmetic types.
#include <asyncc.h>
#include <stdio.h>

static int evals;

static async int side(int x) {
  evals++;
  await(ac_yield());
  return x;
}

static async double half(int x) {
  evals += 10;
  return x / 2.0;
}

static async void note(const char *s) {
  evals += 1000;
  printf("note %s\n", s);
}

static async int main_async(void) {
  for (int i = 0; i < 4; i++) {
    int r = i % 2 ? await(side(i * 10)) : await(side(-i));
    printf("i=%d r=%d evals=%d\n", i, r, evals);
    int q = await(side(i)) ? 7 : 8;
    printf("q=%d evals=%d\n", q, evals);
    int n = await(side(i > 1)) ? (i == 3 ? await(side(33)) : 22)
                               : (i == 0 ? 0 : await(side(11)));
    printf("n=%d evals=%d\n", n, evals);
    double d = i & 1 ? await(half(i)) : i;
    printf("d=%.2f evals=%d\n", d, evals);
    i > 2 ? await(note("big")) : await(note("small"));
    printf("evals=%d\n", evals);
  }
  const char *s = await(side(1)) ? "yes" : "no";
  printf("%s %d\n", s, evals);
  int z = (await(side(0)) ? await(side(1)) : await(side(2))) +
          (await(side(3)) ? await(side(4)) : await(side(5)));
  printf("z=%d evals=%d\n", z, evals);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
