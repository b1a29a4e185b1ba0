// Covers: ?: with awaits whose result is a struct, a pointer (with NULL on the other side), a string, a double from mixed int/double branches, and nested in && / ||.
#include <asyncc.h>
#include <stdio.h>

struct pt {
  int x, y;
};

static int data[3] = {7, 8, 9};

static async struct pt mk(int a) {
  await(ac_yield());
  struct pt p = {a, -a};
  return p;
}

static async int *ptr(int i) { return &data[i]; }

static async const char *name(int i) {
  await(ac_yield());
  return i ? "one" : "zero";
}

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async double dv(double x) { return x; }

static async int main_async(void) {
  for (int i = 0; i < 3; i++) {
    struct pt p = i % 2 ? await(mk(i)) : (struct pt){100, 200};
    int *q = i == 2 ? (int *)0 : await(ptr(i));
    const char *s = i ? await(name(i - 1)) : "lit";
    double d = i ? await(dv(i / 4.0)) : await(val(i));
    int both = (i > 0 && await(val(i)) > 1) ? await(val(1)) : (i == 0 || await(val(0)));
    printf("i=%d p=%d,%d q=%d s=%s d=%.2f both=%d\n", i, p.x, p.y, q ? *q : -1, s, d, both);
  }
  struct pt m = (await(val(1)) ? await(mk(5)) : await(mk(6)));
  printf("m.x=%d\n", m.x);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
