// Covers: case labels inside nested blocks, loops and ifs of a switch (Duff's device) with awaits between them.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int duff_copy(int *to, const int *from, int count) {
  int n = (count + 3) / 4;
  int copied = 0;
  switch (count % 4) {
  case 0:
    do {
      *to++ = await(val(*from++));
      copied++;
    case 3:
      *to++ = await(val(*from++));
      copied++;
    case 2:
      *to++ = *from++;
      copied++;
    case 1:
      *to++ = await(val(*from++)) + 0;
      copied++;
    } while (--n > 0);
  }
  return copied;
}

static async int odd(int k) {
  int r = 0;
  switch (k) {
  case 1: {
    r = await(val(1));
    if (r) {
    case 2:
      r += await(val(20));
      printf("inner if r=%d\n", r);
    } else {
    case 3:
      r += await(val(300));
      printf("inner else r=%d\n", r);
    }
    break;
  }
  default:
    for (r = 0; r < 2; r++) {
    case 4:
      printf("for body k=%d r=%d\n", k, await(val(r)));
    }
  }
  printf("odd(%d) = %d\n", k, r);
  return r;
}

static async int main_async(void) {
  int src[11], dst[11];
  for (int i = 0; i < 11; i++) {
    src[i] = i * i + 1;
    dst[i] = -1;
  }
  for (int count = 1; count <= 11; count += 3) {
    int c = await(duff_copy(dst, src, count));
    unsigned sum = 0;
    for (int i = 0; i < 11; i++)
      sum = sum * 31u + (unsigned)dst[i];
    printf("count=%d copied=%d sum=%u\n", count, c, sum);
  }
  for (int k = 0; k <= 5; k++)
    await(odd(k));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
