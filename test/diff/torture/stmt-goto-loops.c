// Covers: goto out of nested loops and switches after awaits, goto into the middle of a loop body, and retry loops written with goto.
#include <asyncc.h>
#include <stdio.h>

static int attempts;

static async int flaky(int k) {
  attempts++;
  await(ac_yield());
  return attempts % 3 == 0 ? k : -1;
}

static async int val(int x) { return x; }

static async int main_async(void) {
  int found = -1;
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) {
      switch (await(val(i * j))) {
      case 6:
        found = i * 10 + j;
        goto found_it;
      default:
        break;
      }
    }
found_it:
  printf("found=%d\n", found);

  int r;
retry:
  r = await(flaky(42));
  if (r < 0) {
    printf("retry after attempt %d\n", attempts);
    goto retry;
  }
  printf("r=%d attempts=%d\n", r, attempts);

  int k = 0;
  goto enter;
  while (k < 6) {
    k += await(val(2));
  enter:
    printf("k=%d\n", k);
    k++;
  }
  printf("k=%d\n", k);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
