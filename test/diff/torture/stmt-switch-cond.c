// Covers: awaits in the controlling expression of switch, including nested switches and switches inside loops with continue/break.
#include <asyncc.h>
#include <stdio.h>

static int calls;

static async int pick(int x) {
  calls++;
  await(ac_yield());
  return x % 5;
}

static async int main_async(void) {
  int hist[5] = {0};
  for (int i = 0; i < 12; i++) {
    switch (await(pick(i * 7))) {
    case 0:
      hist[0]++;
      continue;
    case 1:
      hist[1]++;
      break;
    case 2:
      switch (await(pick(i)) + await(pick(i + 1))) {
      case 0:
        hist[2] += 100;
        break;
      default:
        hist[2]++;
      }
      break;
    default:
      hist[await(pick(i * 7))]++;
    }
    printf("i=%d calls=%d\n", i, calls);
  }
  for (int i = 0; i < 5; i++)
    printf("hist[%d]=%d\n", i, hist[i]);
  int w = 0;
  while (w < 20) {
    switch (await(pick(w))) {
    case 4:
      w += 100;
      break;
    default:
      w += 3;
      continue;
    }
    printf("w=%d\n", w);
  }
  printf("w=%d calls=%d\n", w, calls);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
