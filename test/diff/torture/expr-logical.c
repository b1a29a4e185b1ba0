// Covers: && and || with awaits on either side; side-effect counters prove the unevaluated operand (and its await) did not run.
#include <asyncc.h>
#include <stdio.h>

static int evals;

static async int side(int x) {
  evals++;
  await(ac_yield());
  return x;
}

static int sync_side(int x) {
  evals += 100;
  return x;
}

static async int main_async(void) {
  int r;
  r = await(side(0)) && await(side(1));
  printf("0&&1 r=%d evals=%d\n", r, evals);
  r = await(side(2)) && await(side(3));
  printf("2&&3 r=%d evals=%d\n", r, evals);
  r = await(side(1)) || await(side(1));
  printf("1||1 r=%d evals=%d\n", r, evals);
  r = await(side(0)) || await(side(0));
  printf("0||0 r=%d evals=%d\n", r, evals);
  r = sync_side(0) && await(side(5));
  printf("s0&&5 r=%d evals=%d\n", r, evals);
  r = sync_side(7) || await(side(5));
  printf("s7||5 r=%d evals=%d\n", r, evals);
  r = await(side(0)) && sync_side(1);
  printf("0&&s1 r=%d evals=%d\n", r, evals);
  r = await(side(0)) || sync_side(9);
  printf("0||s9 r=%d evals=%d\n", r, evals);
  r = (await(side(1)) && await(side(0))) || (await(side(1)) && await(side(4)));
  printf("mixed r=%d evals=%d\n", r, evals);
  r = await(side(0)) || await(side(0)) || await(side(3)) || await(side(4));
  printf("chain r=%d evals=%d\n", r, evals);
  r = await(side(1)) && await(side(2)) && await(side(0)) && await(side(4));
  printf("chain2 r=%d evals=%d\n", r, evals);
  int x = 5;
  if (x > 3 && await(side(x)) == 5 && (x = 9) > 0)
    printf("if taken x=%d evals=%d\n", x, evals);
  if (x < 3 || await(side(0)) || !await(side(0)))
    printf("or taken evals=%d\n", evals);
  int t = !await(side(0)) + (await(side(3)) && 1) * 10;
  printf("t=%d evals=%d\n", t, evals);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
