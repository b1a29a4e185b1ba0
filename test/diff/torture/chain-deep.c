// Covers: a deep chain of 24 distinct async functions, each awaiting the next, with work before and after each await.
#include <asyncc.h>
#include <stdio.h>

static unsigned trail;

static async int bottom(int x) {
  await(ac_yield());
  await(ac_sleep(0));
  return x * 3;
}

static async int l23(int x) {
  trail = trail * 7u + 23u;
  int r = await(bottom(x + 23));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 23;
}

static async int l22(int x) {
  trail = trail * 7u + 22u;
  int r = await(l23(x + 22));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 22;
}

static async int l21(int x) {
  trail = trail * 7u + 21u;
  int r = await(l22(x + 21));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 21;
}

static async int l20(int x) {
  trail = trail * 7u + 20u;
  int r = await(l21(x + 20));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 20;
}

static async int l19(int x) {
  trail = trail * 7u + 19u;
  int r = await(l20(x + 19));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 19;
}

static async int l18(int x) {
  trail = trail * 7u + 18u;
  int r = await(l19(x + 18));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 18;
}

static async int l17(int x) {
  trail = trail * 7u + 17u;
  int r = await(l18(x + 17));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 17;
}

static async int l16(int x) {
  trail = trail * 7u + 16u;
  int r = await(l17(x + 16));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 16;
}

static async int l15(int x) {
  trail = trail * 7u + 15u;
  int r = await(l16(x + 15));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 15;
}

static async int l14(int x) {
  trail = trail * 7u + 14u;
  int r = await(l15(x + 14));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 14;
}

static async int l13(int x) {
  trail = trail * 7u + 13u;
  int r = await(l14(x + 13));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 13;
}

static async int l12(int x) {
  trail = trail * 7u + 12u;
  int r = await(l13(x + 12));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 12;
}

static async int l11(int x) {
  trail = trail * 7u + 11u;
  int r = await(l12(x + 11));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 11;
}

static async int l10(int x) {
  trail = trail * 7u + 10u;
  int r = await(l11(x + 10));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 10;
}

static async int l9(int x) {
  trail = trail * 7u + 9u;
  int r = await(l10(x + 9));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 9;
}

static async int l8(int x) {
  trail = trail * 7u + 8u;
  int r = await(l9(x + 8));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 8;
}

static async int l7(int x) {
  trail = trail * 7u + 7u;
  int r = await(l8(x + 7));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 7;
}

static async int l6(int x) {
  trail = trail * 7u + 6u;
  int r = await(l7(x + 6));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 6;
}

static async int l5(int x) {
  trail = trail * 7u + 5u;
  int r = await(l6(x + 5));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 5;
}

static async int l4(int x) {
  trail = trail * 7u + 4u;
  int r = await(l5(x + 4));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 4;
}

static async int l3(int x) {
  trail = trail * 7u + 3u;
  int r = await(l4(x + 3));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 3;
}

static async int l2(int x) {
  trail = trail * 7u + 2u;
  int r = await(l3(x + 2));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 2;
}

static async int l1(int x) {
  trail = trail * 7u + 1u;
  int r = await(l2(x + 1));
  trail = trail * 11u + (unsigned)r;
  return r * 2 % 100003 + 1;
}

static async int main_async(void) {
  for (int i = 0; i < 5; i++) {
    int r = await(l1(i));
    printf("i=%d r=%d trail=%u\n", i, r, trail);
  }
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
