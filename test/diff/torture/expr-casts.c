// Covers: casts applied to awaits ((void), (char), (unsigned), (double), pointer casts) including (void)await of an int function.
#include <asyncc.h>
#include <stdio.h>

static int calls;

static async int val(int x) {
  calls++;
  await(ac_yield());
  return x;
}

static async void work(void) {
  calls += 10;
  await(ac_yield());
}

static async void *vp(int *p) { return p; }

static async int main_async(void) {
  (void)await(val(1));
  printf("calls=%d\n", calls);
  await(work());
  printf("calls=%d\n", calls);
  char c = (char)await(val(65 + 256));
  unsigned char uc = (unsigned char)await(val(300));
  printf("c=%d uc=%d\n", c, uc);
  double d = (double)await(val(7)) / 2;
  printf("d=%.2f\n", d);
  long l = (long)await(val(40000)) * 100000L;
  printf("l=%ld\n", l);
  int x = 42;
  int *p = (int *)await(vp(&x));
  printf("*p=%d\n", *p);
  unsigned u = (unsigned)await(val(-1));
  printf("u=%u\n", u);
  _Bool b = (_Bool)await(val(5));
  printf("b=%d calls=%d\n", b, calls);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
