// Covers: struct locals with positional, nested and designated initialisers, struct assignment and copies kept across awaits, structs holding arrays.
#include <asyncc.h>
#include <stdio.h>

struct vec {
  int x, y, z;
};
struct body {
  struct vec pos, vel;
  char name[8];
  double mass;
};
typedef struct {
  int n;
  int items[4];
} bag;

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async struct vec mkvec(int s) {
  struct vec v = {s, s * 2, s * 3};
  await(ac_yield());
  return v;
}

static void show(const char *tag, const struct body *b) {
  printf("%s: %s pos=(%d,%d,%d) vel=(%d,%d,%d) m=%.2f\n", tag, b->name, b->pos.x,
         b->pos.y, b->pos.z, b->vel.x, b->vel.y, b->vel.z, b->mass);
}

static async int main_async(void) {
  struct vec a = {1, 2, 3};
  struct vec b = {.z = 30, .x = 10};
  b.z = await(val(b.z));
  struct body e = {{1, 1, 1}, {.y = -1}, "earth", 5.97};
  struct body m = {.name = "moon", .mass = 0.07, .pos = {.x = 384}};
  m.pos.y = await(val(1));
  bag g = {2, {await(val(7)), await(val(8))}};
  struct vec c = await(mkvec(4));
  show("e", &e);
  show("m", &m);
  printf("a=%d,%d,%d b=%d,%d,%d c=%d,%d,%d\n", a.x, a.y, a.z, b.x, b.y, b.z, c.x, c.y, c.z);
  for (int step = 0; step < 3; step++) {
    struct vec dv = await(mkvec(step));
    e.vel.x += dv.x;
    e.vel.y += dv.y;
    e.pos.x += e.vel.x * await(val(2));
    e.pos.y += e.vel.y;
    m.pos = e.pos;
    show("e", &e);
  }
  struct body copy = e;
  copy.name[0] = 'E';
  await(ac_yield());
  show("copy", &copy);
  show("e", &e);
  g.items[g.n++] = await(val(9));
  printf("bag n=%d %d %d %d %d\n", g.n, g.items[0], g.items[1], g.items[2], g.items[3]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
