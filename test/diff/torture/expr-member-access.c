// Covers: member access on awaited struct and union results (await(mk()).field), on awaited pointers (->), nested members and arrays inside results.
#include <asyncc.h>
#include <stdio.h>

struct inner {
  int a[3];
  char tag;
};
struct outer {
  struct inner in;
  double w;
  int id;
};
union num {
  int i;
  unsigned u;
};

static struct outer table[2] = {{{{1, 2, 3}, 'x'}, 1.5, 10},
                                {{{4, 5, 6}, 'y'}, 2.5, 20}};

static async struct outer mk(int id) {
  await(ac_yield());
  struct outer o = {{{id, id * 2, id * 3}, (char)('a' + id)}, id / 4.0, id};
  return o;
}

static async struct outer *get(int i) { return &table[i]; }

static async union num mku(int i) {
  union num n;
  n.i = i;
  return n;
}

static async int main_async(void) {
  printf("id=%d\n", await(mk(3)).id);
  printf("a[2]=%d\n", await(mk(4)).in.a[2]);
  printf("tag=%c w=%.2f\n", await(mk(5)).in.tag, await(mk(6)).w);
  printf("ptr id=%d tag=%c\n", await(get(1))->id, await(get(0))->in.tag);
  int s = await(mk(1)).in.a[0] + await(mk(2)).in.a[1] + await(get(1))->in.a[2];
  printf("s=%d\n", s);
  printf("u=%u\n", await(mku(7)).u);
  await(get(0))->in.a[1] = await(mk(9)).in.a[2];
  printf("table[0].in.a[1]=%d\n", table[0].in.a[1]);
  struct inner copy = await(mk(8)).in;
  printf("copy %d %d %d %c\n", copy.a[0], copy.a[1], copy.a[2], copy.tag);
  return (await(mk(2)).id == 2) ? 0 : 1;
}

int main(void) { return ac_block_on(main_async()); }
