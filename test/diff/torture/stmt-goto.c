// Covers: goto forward and backward across awaits, loops made of goto and labels, labels on awaiting statements.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int i = 0, sum = 0;
top:
  sum += await(val(i));
  printf("top i=%d sum=%d\n", i, sum);
  i++;
  if (i < 5)
    goto top;
  if (sum > 5)
    goto skip;
  sum = -1000;
  printf("not printed\n");
skip:
  printf("after skip sum=%d\n", sum);

  int n = 3;
again:
  if (await(val(n)) == 0)
    goto done;
  printf("n=%d\n", n);
  n--;
  goto again;
done:
  printf("done n=%d\n", n);

  {
    int depth = 0;
  inner:
    depth += await(val(2));
    if (depth < 7) {
      printf("depth=%d\n", depth);
      goto inner;
    }
    printf("final depth=%d\n", depth);
  }
  for (int k = 0; k < 10; k++) {
    if (await(val(k)) == 4)
      goto out;
    printf("k=%d\n", k);
  }
  printf("not reached\n");
out:
  printf("out\n");
  goto end;
end:
  return sum;
}

int main(void) { return ac_block_on(main_async()) == 10 ? 0 : 1; }
