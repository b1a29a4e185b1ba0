// Covers: compound assignment with an awaited right operand (+= -= *= /= %= <<= >>= &= |= ^=) on locals, array elements, struct fields and through pointers.
#include <asyncc.h>
#include <stdio.h>

struct acc {
  int n;
  long total;
  unsigned bits;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int x = 1;
  x += await(val(5));
  printf("x=%d\n", x);
  x -= await(val(2));
  x *= await(val(7));
  x /= await(val(3));
  x %= await(val(5));
  printf("x=%d\n", x);
  unsigned u = 1;
  u <<= await(val(4));
  u |= (unsigned)await(val(3));
  u ^= (unsigned)await(val(0xff));
  u &= (unsigned)await(val(0xf0));
  u >>= await(val(2));
  printf("u=%u\n", u);
  int arr[4] = {1, 2, 3, 4};
  for (int i = 0; i < 4; i++)
    arr[i] *= await(val(i + 2));
  printf("arr %d %d %d %d\n", arr[0], arr[1], arr[2], arr[3]);
  struct acc s = {0, 0, 0};
  struct acc *ps = &s;
  for (int i = 1; i <= 5; i++) {
    s.n += await(val(1));
    ps->total += await(val(i * 1000));
    ps->bits |= 1u << await(val(i));
  }
  printf("s %d %ld %u\n", s.n, s.total, s.bits);
  double d = 1.5;
  d *= await(val(4));
  d -= await(val(1)) / 4.0;
  printf("d=%.3f\n", d);
  x += await(val(x)) + await(val(1));
  printf("x=%d\n", x);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
