// Covers: assignments whose left side reads locals (pointer, index, struct pointer) for the last time while the right side awaits: those locals must survive the await.
#include <asyncc.h>
#include <stdio.h>

struct cell {
  int v;
  struct cell *next;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int arr[4] = {0, 0, 0, 0};
  int *p = arr;
  p[1] = await(val(5));
  int i = 2;
  arr[i] = await(val(6));
  struct cell c2 = {0, NULL}, c1 = {0, &c2};
  struct cell *q = &c1;
  q->next->v = await(val(7));
  int *last = &arr[3];
  *last = await(val(8));
  int j = 0;
  arr[j] += await(val(9));
  printf("arr=%d %d %d %d c2=%d\n", arr[0], arr[1], arr[2], arr[3], c2.v);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
