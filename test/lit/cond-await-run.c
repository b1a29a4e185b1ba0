// Tests that awaits in if, else-if and switch conditions run exactly when C
// evaluates those conditions, matching the sync view.
// REQUIRES: runtime, sync-runtime
// RUN: %asyncc %s -o %t.c && %cc %t.c %ac_rt -o %t && %t | FileCheck %s
// RUN: %asyncc --test-suspend %s -o %t.ts.c && %cc %t.ts.c %ac_rt -o %t.ts && %t.ts | FileCheck %s
// RUN: %cc %s %ac_sync -o %t.sync && %t.sync | FileCheck %s
//
// CHECK:      classify(-3) = negative calls=1
// CHECK-NEXT: classify(0) = zero calls=2
// CHECK-NEXT: classify(7) = small calls=3
// CHECK-NEXT: classify(50) = big calls=3
// CHECK-NEXT: name(1) = one
// CHECK-NEXT: name(2) = two
// CHECK-NEXT: name(9) = many
#include <asyncc.h>

int printf(const char *, ...);

static int calls;

async int id(int x) {
  calls++;
  await(ac_yield());
  return x;
}

async const char *classify(int n) {
  calls = 0;
  const char *r;
  if (await(id(n)) < 0)
    r = "negative";
  else if (await(id(n)) == 0)
    r = "zero";
  else if (await(id(n)) < 10)
    r = "small";
  else
    r = "big";
  return r;
}

async const char *name(int n) {
  switch (await(id(n))) {
  case 1:
    return "one";
  case 2: {
    const char *s = "two";
    await(ac_yield());
    return s;
  }
  default:
    break;
  }
  return "many";
}

async int main_async(void) {
  int inputs[] = {-3, 0, 7, 50};
  for (int i = 0; i < 4; i++) {
    const char *c = await(classify(inputs[i]));
    printf("classify(%d) = %s calls=%d\n", inputs[i], c, calls);
  }
  for (int i = 1; i <= 9; i *= 2) {
    if (i == 4 || i == 8)
      i = 9;
    printf("name(%d) = %s\n", i, await(name(i)));
  }
  return 0;
}

int main(void) {
  return ac_block_on(main_async());
}
