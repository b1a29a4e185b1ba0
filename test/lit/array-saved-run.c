// Tests that arrays live across awaits (brace-initialised, string-initialised,
// designated, two-dimensional) are saved in the frame with their contents
// intact.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      squares 0 1 4 9 16 25 36 49
// CHECK-NEXT: word hello -> HELLO
// CHECK-NEXT: sparse 0 5 0 7
// CHECK-NEXT: grid 1 2 3 / 4 5 6 sum=21
// CHECK-NEXT: sizeof 32
#include <asyncc.h>

int printf(const char *, ...);

async int id(int x) {
  await(ac_yield());
  return x;
}

async int main_async(void) {
  int sq[8] = {0};
  for (int i = 0; i < 8; i++)
    sq[i] = await(id(i * i));
  printf("squares");
  for (int i = 0; i < 8; i++)
    printf(" %d", sq[i]);
  printf("\n");

  char word[] = "hello";
  char upper[sizeof word];
  for (int i = 0; word[i]; i++)
    upper[i] = (char)(word[i] - 'a' + await(id('A')));
  upper[5] = 0;
  printf("word %s -> %s\n", word, upper);

  int sparse[4] = {[1] = 5, [3] = 7};
  await(ac_yield());
  printf("sparse %d %d %d %d\n", sparse[0], sparse[1], sparse[2], sparse[3]);

  int grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
  int sum = 0;
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++)
      sum += await(id(grid[r][c]));
  printf("grid %d %d %d / %d %d %d sum=%d\n", grid[0][0], grid[0][1],
         grid[0][2], grid[1][0], grid[1][1], grid[1][2], sum);
  printf("sizeof %d\n", (int)sizeof sq);
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
