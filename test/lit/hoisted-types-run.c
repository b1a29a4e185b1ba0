// Tests the types an async function declares that move to file scope with
// its frame: a type, typedef or enumerator whose name is taken there (by a
// file-scope declaration, a parameter or local it would hide, or another
// function's type) is renamed with its uses; an array size or bit-field width
// that names a local is written as its value.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
// RUN: %asyncc --no-line %s -o - | FileCheck %s --check-prefix=OUT --match-full-lines
//
// CHECK: names 36 tags 97 enum 4 sizes 43 outer 5
//
// OUT:      struct names_point {
// OUT-NEXT:   double x, y;
// OUT-NEXT: };
// OUT:      typedef int names_count;
// OUT:      struct sizes_anon_{{[0-9]+}} {
// OUT-NEXT:   char data[40];
// OUT-NEXT: };
// OUT:      struct sizes_anon_{{[0-9]+}} {
// OUT-NEXT:   int w : 4;
// OUT-NEXT: };
#include <asyncc.h>
#include <stdio.h>

struct point {
  int x;
};
typedef long count;
enum { RED = 1 };

static async int names(void) {
  struct point {
    double x, y;
  } p = {1, 2};
  typedef int count;
  enum colour { RED = 7, GREEN } c = GREEN;
  count n = 3;
  struct point *pp = &p;
  await(ac_yield());
  return (int)pp->y + n + c + RED + (int)sizeof(struct point);
}

/* Another function's struct point also moves: it takes another name. */
static async int tags(void) {
  struct point {
    char tag;
  } q = {'a'};
  await(ac_yield());
  return q.tag;
}

/* Enumerators that would hide a parameter and a local, and clash with a
 * file-scope variable. */
int level;

static async int enumerators(int low) {
  level = low;
  struct pair {
    int a, b;
  } p = {1, 2};
  await(ac_yield());
  int high = p.a;
  level = high;
  {
    enum { low, high, level } e = high;
    return p.b + e + low + high;
  }
}

static async int sizes(void) {
  int buf[10];
  struct {
    char data[sizeof buf];
  } s;
  s.data[0] = 3;
  await(ac_yield());
  struct {
    int w : sizeof buf / 10;
  } b = {1};
  await(ac_yield());
  return s.data[0] + (int)sizeof s + b.w - 1;
}

int main(void) {
  struct point o = {5};
  int n = ac_block_on(names());
  int t = ac_block_on(tags());
  int e = ac_block_on(enumerators(0));
  int s = ac_block_on(sizes());
  printf("names %d tags %d enum %d sizes %d outer %d\n", n, t, e, s, o.x);
  return 0;
}
