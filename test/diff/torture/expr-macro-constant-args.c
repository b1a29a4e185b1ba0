// Covers: object-like macros (constants) and function-like macros used in the arguments of awaited calls and around awaits.
#include <asyncc.h>
#include <stdio.h>

#define SIZE 8
#define BASE (SIZE * 2)
#define SQ(x) ((x) * (x))

static async int get(int i) {
  await(ac_yield());
  return i;
}

static async int add(int a, int b) { return a + b; }

static async int main_async(void) {
  int a = await(get(SIZE));
  int b = await(add(SIZE, BASE));
  int c = await(add(1, SQ(3)));
  int d = await(get((int)SIZE)) + SIZE;
  int buf[SIZE];
  for (int i = 0; i < SIZE; i++)
    buf[i] = await(get(i * SIZE));
  printf("a=%d b=%d c=%d d=%d buf[7]=%d\n", a, b, c, d, buf[SIZE - 1]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
