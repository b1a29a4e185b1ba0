// Covers: sorting with async comparisons: insertion sort with awaits in a while condition using &&, and recursive quicksort with awaits in partition loops.
#include <asyncc.h>
#include <stdio.h>

static long comparisons;

static async int less(int a, int b) {
  comparisons++;
  if (comparisons % 5 == 0)
    await(ac_yield());
  return a < b;
}

static async void insertion(int *a, int n) {
  for (int i = 1; i < n; i++) {
    int key = a[i];
    int j = i - 1;
    while (j >= 0 && await(less(key, a[j]))) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = key;
  }
}

static async void quick(int *a, int lo, int hi) {
  if (lo >= hi)
    return;
  int pivot = a[(lo + hi) / 2];
  int i = lo, j = hi;
  while (i <= j) {
    while (await(less(a[i], pivot)))
      i++;
    while (await(less(pivot, a[j])))
      j--;
    if (i <= j) {
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
  }
  await(quick(a, lo, j));
  await(quick(a, i, hi));
}

static unsigned ck(const int *a, int n) {
  unsigned h = 3;
  for (int i = 0; i < n; i++)
    h = h * 37u + (unsigned)a[i];
  return h;
}

static async int main_async(void) {
  int a[60], b[60];
  unsigned x = 99;
  for (int i = 0; i < 60; i++) {
    x = x * 69069u + 1u;
    a[i] = b[i] = (int)(x >> 20) % 500;
  }
  await(insertion(a, 60));
  printf("insertion ck=%u cmp=%ld first=%d last=%d\n", ck(a, 60), comparisons, a[0], a[59]);
  await(quick(b, 0, 59));
  printf("quick ck=%u cmp=%ld first=%d last=%d\n", ck(b, 60), comparisons, b[0], b[59]);
  int sorted = 1;
  for (int i = 1; i < 60; i++)
    sorted &= a[i - 1] <= a[i] && a[i] == b[i];
  printf("sorted=%d\n", sorted);
  return !sorted;
}

int main(void) { return ac_block_on(main_async()); }
