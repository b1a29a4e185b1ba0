// Covers: parameters of many types (scalars, pointers, structs, arrays decayed to pointers) modified across awaits, with their addresses taken.
#include <asyncc.h>
#include <stdio.h>

struct box {
  int w, h;
  char label[6];
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async void grow(int *p) {
  await(ac_yield());
  (*p)++;
}

static async int work(int n, double scale, struct box b, const int *arr, int len, char tag) {
  n += await(val(1));
  scale *= await(val(2));
  b.w += await(val(n));
  b.label[0] = tag;
  await(grow(&n));
  await(grow(&b.h));
  int sum = 0;
  while (len-- > 0)
    sum += *arr++ * await(val(1));
  printf("n=%d scale=%.2f box=%dx%d %s sum=%d len=%d tag=%c\n", n, scale, b.w, b.h, b.label, sum,
         len, tag);
  tag++;
  return n + sum + tag;
}

static async int countdown(int n) {
  while (n > 0) {
    n -= await(val(3));
    printf("n=%d\n", n);
  }
  return n;
}

static async int main_async(void) {
  int data[] = {1, 2, 3, 4};
  struct box b = {2, 3, "box"};
  int r = await(work(5, 1.5, b, data, 4, 'q'));
  printf("r=%d b still %dx%d %s\n", r, b.w, b.h, b.label);
  printf("countdown=%d\n", await(countdown(10)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
