// Covers: structs with const-qualified members as async results, as saved locals and as awaited temporaries.
#include <asyncc.h>
#include <stdio.h>

struct fixed {
  const int id;
  int count;
};

static async struct fixed make(int id) {
  struct fixed f = {id, 0};
  await(ac_yield());
  return f;
}

static async int main_async(void) {
  struct fixed a = await(make(7));
  a.count = 3;
  struct fixed b = {await(make(8)).id + 1, 4};
  await(ac_yield());
  printf("a=%d/%d b=%d/%d\n", a.id, a.count, b.id, b.count);
  printf("direct=%d\n", await(make(9)).id + await(make(10)).id);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
