// Covers: user labels and locals named like generated resume labels and temporaries (resume_12, resume_13, t, t_2, cond_2, self_) with gotos and awaits on those lines.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int resume_12 = 0, t = 1, t_2 = 2, cond_2 = 3, self_ = 4, resume_13;
  int n = 0;
resume_13:
  resume_12 += await(val(n));
  n++;
  if (n < 4)
    goto resume_13;
  resume_13 = await(val(7)) + t + t_2;
  t = await(val(10)) > 5 ? await(val(t + 1)) : 0;
  cond_2 = await(val(cond_2)) || await(val(99));
  self_ += await(val(self_));
  printf("resume_12=%d resume_13=%d t=%d t_2=%d cond_2=%d self_=%d\n", resume_12, resume_13, t,
         t_2, cond_2, self_);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
