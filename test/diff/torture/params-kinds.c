// Covers: parameters declared as arrays (1D and 2D), const-qualified scalars and pointers, function pointers, and structs passed by value, used across awaits.
#include <asyncc.h>
#include <stdio.h>

struct opts {
  int scale;
  const char *name;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static int neg(int x) { return -x; }

static async int process(const int n, int a[4], int m[][3], const char *const label,
                         int (*map)(int), struct opts o) {
  int sum = 0;
  for (int i = 0; i < n; i++) {
    sum += map(a[i]) * await(val(o.scale));
    a[i] = await(val(i));
  }
  m[1][2] = await(val(sum));
  printf("%s/%s n=%d sum=%d sizeof(a)=%zu\n", label, o.name, n, sum, sizeof(a));
  a++;
  return *a + await(val(m[0][0]));
}

static async int main_async(void) {
  int arr[4] = {1, 2, 3, 4};
  int grid[2][3] = {{7, 8, 9}, {10, 11, 12}};
  struct opts o = {3, "opts"};
  int r = await(process(4, arr, grid, "label", neg, o));
  printf("r=%d arr=%d,%d,%d,%d grid[1][2]=%d\n", r, arr[0], arr[1], arr[2], arr[3], grid[1][2]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
