// Covers: locals whose address is taken and used across awaits: passed to async callees that write through them, stored in pointers, pointers to pointers.
#include <asyncc.h>
#include <stdio.h>

static async void add_to(int *p, int n) {
  await(ac_yield());
  *p += n;
}

static async int read_later(const int *p) {
  await(ac_yield());
  return *p;
}

static async void swap(int **a, int **b) {
  int *t = *a;
  await(ac_yield());
  *a = *b;
  *b = t;
}

static async int main_async(void) {
  int x = 1, y = 100;
  int *px = &x, *py = &y;
  await(add_to(&x, 5));
  printf("x=%d\n", x);
  await(add_to(px, 10));
  *py += await(read_later(&x));
  printf("x=%d y=%d\n", x, y);
  await(swap(&px, &py));
  printf("*px=%d *py=%d\n", *px, *py);
  int **pp = &px;
  await(add_to(*pp, 1));
  printf("x=%d y=%d\n", x, y);
  long big = 7;
  long *pb = &big;
  await(ac_yield());
  *pb *= 6;
  printf("big=%ld\n", big);
  int count = 0;
  for (int i = 0; i < 5; i++)
    await(add_to(&count, i));
  printf("count=%d\n", count);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
