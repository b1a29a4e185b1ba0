// Covers: ++ and -- (prefix and postfix) on lvalues whose address or index is computed with awaits, and on awaited pointers.
#include <asyncc.h>
#include <stdio.h>

struct pt {
  int x, y;
};

static int counters[5];
static struct pt pts[3];

static async int idx(int i) {
  await(ac_yield());
  return i;
}

static async int *slot(int i) {
  await(ac_yield());
  return &counters[i];
}

static async struct pt *ptp(int i) { return &pts[i]; }

static async int main_async(void) {
  for (int i = 0; i < 10; i++) {
    counters[await(idx(i % 5))]++;
    ++counters[await(idx((i * 3) % 5))];
  }
  int old = counters[await(idx(2))]--;
  int neu = --counters[await(idx(2))];
  printf("old=%d neu=%d\n", old, neu);
  (*await(slot(4)))++;
  ++*await(slot(4));
  int v = (*await(slot(0)))--;
  printf("v=%d\n", v);
  await(ptp(1))->x++;
  --await(ptp(2))->y;
  await(ptp(1))->y += await(idx(7));
  for (int i = 0; i < 5; i++)
    printf("c[%d]=%d\n", i, counters[i]);
  for (int i = 0; i < 3; i++)
    printf("pt[%d]=%d,%d\n", i, pts[i].x, pts[i].y);
  int *p = counters;
  int first = *p++ + await(idx(100));
  printf("first=%d rest=%d\n", first, *p);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
