// Covers: compound literals (arrays and structs) whose storage is used through pointers across awaits, and compound literals built from awaits.
#include <asyncc.h>
#include <stdio.h>

struct pt {
  int x, y;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static int sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * (i + 1);
  return s;
}

static async int main_async(void) {
  int *arr = (int[]){1, 2, 3, 4};
  struct pt *pp = &(struct pt){5, 6};
  await(ac_yield());
  printf("arr=%d %d %d %d pp=%d,%d\n", arr[0], arr[1], arr[2], arr[3], pp->x, pp->y);
  arr[1] = await(val(20));
  pp->y += await(val(60));
  printf("arr=%d %d %d %d pp=%d,%d\n", arr[0], arr[1], arr[2], arr[3], pp->x, pp->y);
  struct pt q = (struct pt){await(val(7)), await(val(8))};
  printf("q=%d,%d\n", q.x, q.y);
  printf("sum=%d\n", sum((int[]){await(val(1)), 2, await(val(3))}, 3));
  printf("sum=%d\n", sum(arr, 4));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
