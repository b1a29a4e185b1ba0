// Covers: _Complex double results and locals kept across awaits, and long double locals in a recursive async function.
#include <asyncc.h>
#include <stdio.h>
#include <string.h>

static async _Complex double mk(double re, double im) {
  await(ac_yield());
  double parts[2] = {re, im};
  _Complex double z;
  memcpy(&z, parts, sizeof z);
  return z;
}

static async long double lsum(int n) {
  long double here = n * 0.5L;
  await(ac_yield());
  return n == 0 ? here : here + await(lsum(n - 1));
}

static async int main_async(void) {
  _Complex double a = await(mk(1, 2));
  _Complex double b = await(mk(3, -1));
  _Complex double c = a * b;
  double parts[2];
  memcpy(parts, &c, sizeof parts);
  printf("c=%.2f%+.2fi\n", parts[0], parts[1]);
  printf("lsum=%.2Lf\n", await(lsum(10)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
