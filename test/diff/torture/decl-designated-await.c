// Covers: designated initialisers (struct fields, nested fields, array indices) whose values are awaits, in declarations kept across awaits.
#include <asyncc.h>
#include <stdio.h>

struct vec {
  int x, y, z;
};
struct seg {
  struct vec a, b;
  const char *name;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  struct vec v = {.z = await(val(30)), .x = 10};
  struct seg s = {.name = "seg", .b = {.y = await(val(5))}, .a.x = await(val(1))};
  int d[6] = {[4] = await(val(44)), [1] = 11};
  await(ac_yield());
  printf("v=%d,%d,%d\n", v.x, v.y, v.z);
  printf("s=%s a=%d,%d,%d b=%d,%d,%d\n", s.name, s.a.x, s.a.y, s.a.z, s.b.x, s.b.y, s.b.z);
  printf("d=%d %d %d %d %d %d\n", d[0], d[1], d[2], d[3], d[4], d[5]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
