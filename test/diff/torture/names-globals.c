// Covers: file-scope variables and functions named like the generated code's identifiers (fr, cx, self, sub, t, cond, resume_20) used inside async functions.
#include <asyncc.h>
#include <stdio.h>

static int fr = 1;
static int cx = 2;
static int self = 3;
static int sub = 4;
static int t = 5;
static int cond = 6;
static int resume_20 = 7;
static int state(int x) { return x * 100; }
static int result(void) { return 42; }

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int use_globals(int k) {
  int a = await(val(fr)) + cx;
  self += await(val(k));
  sub = state(await(val(sub)));
  t = await(val(t)) && cond;
  resume_20 += await(val(result()));
  printf("a=%d fr=%d cx=%d self=%d sub=%d t=%d cond=%d resume_20=%d\n", a, fr, cx, self, sub, t,
         cond, resume_20);
  return a + self;
}

static async int main_async(void) {
  int r = await(use_globals(10));
  fr = await(val(r));
  printf("r=%d fr=%d\n", r, fr);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
