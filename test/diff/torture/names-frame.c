// Covers: locals and parameters named like the generated code's names (state, result, sub, fr, cx, self, t, cond, next_25) kept across awaits.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int clash(int fr, int cx, int self) {
  int state = await(val(1));
  int result = await(val(2));
  int sub = await(val(3));
  int t = await(val(4)) && await(val(5));
  int cond = await(val(0)) ? await(val(6)) : await(val(7));
  int next_25 = 0;
  for (int i = 0; i < 3; i = await(val(i + 1))) {
    if (i == 1)
      continue;
    next_25 += i;
  }
  printf("fr=%d cx=%d self=%d state=%d result=%d sub=%d t=%d cond=%d next=%d\n", fr, cx, self,
         state, result, sub, t, cond, next_25);
  fr += await(val(10));
  cx *= await(val(2));
  self -= await(val(1));
  return fr + cx + self + state + result + sub + t + cond + next_25;
}

static async int main_async(void) {
  int fr = 3, cx = 4, self = 5;
  int r = await(clash(fr, cx, self));
  int state = r, result = state * 2;
  await(ac_yield());
  printf("r=%d state=%d result=%d fr=%d cx=%d self=%d\n", r, state, result, fr, cx, self);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
