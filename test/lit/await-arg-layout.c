// Tests that call arguments inside await(...) keep their exact text however
// the argument is laid out: long blanks, comments, a string holding ')' and
// '/*', a macro, a nested await, and an await in another macro's argument.
// RUN: %asyncc --no-line %s -o - | FileCheck %s --match-full-lines
//
// CHECK-LABEL: static AC_MAYBE_UNUSED ac_poll spaced_poll(void *self, ac_cx *cx) {
// CHECK:         get_init(&fr->sub.{{await_[0-9]+}}, fr->b.v      +                                                  1);
// CHECK:         get_init(&fr->sub.{{await_[0-9]+}}, fr->a
// CHECK-NEXT:                                                                                  *
// CHECK-NEXT:                        2);
// CHECK:         text_init(&fr->sub.{{await_[0-9]+}}, "a ) /* b", TWICE(fr->c));
// CHECK:         get_init(&fr->sub.{{await_[0-9]+}}, fr->d);
// CHECK:         get_init(&fr->sub.{{await_[0-9_]+}}, fr->sub.{{await_[0-9]+}}.result + 1);
// CHECK:         get_init(&fr->sub.{{await_[0-9]+}}, fr->e - 1);
// CHECK:         get_init(&fr->sub.{{await_[0-9]+}}, (int)(long)fr->f);
#include <asyncc.h>

#define TWICE(x) ((x) + (x))
#define ID(x) x

struct box {
  int v;
};

async int get(int x) {
  await(ac_yield());
  return x;
}

async int text(const char *s, int n) {
  await(ac_yield());
  return s[0] + n;
}

async int spaced(struct box b) {
  int a = await(get(b.v      +                                                  1));
  int c = await(get(/* a comment ) */ a
                                                                              *
                    2 /* another */));
  int d = await(text("a ) /* b", TWICE(c)));
  int e = await(get(await(get(d)) + 1));
  int f = ID(await(get(e - 1)));
  int g = await(get((int)(long)f // line comment )
                    ));
  return a + c + d + e + f + g;
}
