// Covers: continue inside a switch (and inside a nested switch) in loops whose increment or condition awaits, where continue must reach the awaiting part; and several such loops on one line.
#include <asyncc.h>
#include <stdio.h>

static int incs;

static async int inc(int x) {
  incs++;
  await(ac_yield());
  return x + 1;
}

static async int lt(int a, int b) { return a < b; }

static async int main_async(void) {
  int hits = 0;
  for (int i = 0; i < 8; i = await(inc(i))) {
    switch (i % 4) {
    case 1:
      continue;
    case 2:
      switch (i) {
      case 2:
        continue;
      default:
        break;
      }
      hits += 100;
      break;
    default:
      hits++;
    }
    hits += 10;
  }
  printf("hits=%d incs=%d\n", hits, incs);
  int n = 0, odd = 0;
  do {
    n++;
    switch (n & 1) {
    case 0:
      continue;
    }
    odd++;
  } while (await(lt(n, 9)));
  printf("n=%d odd=%d\n", n, odd);
  int a, b, s = 0;
  for (a = 0; a < 3; a = await(inc(a))) for (b = 0; b < 3; b = await(inc(b))) { if (b == a) continue; s += a * 3 + b; }
  printf("s=%d incs=%d\n", s, incs);
  int c = 0; do { c++; if (c == 2) continue; s++; } while (await(lt(c, 4))); do { c--; if (c == 2) continue; s += 10; } while (await(lt(0, c)));
  printf("s=%d c=%d\n", s, c);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
