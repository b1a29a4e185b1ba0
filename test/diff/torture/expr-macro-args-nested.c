// Covers: awaits in arguments of macros nested inside other macros' arguments (CHECK_EQ(TWICE(await(f())), 42), ADD(await(a()), await(b())) inside a macro).
#include <asyncc.h>
#include <stdio.h>

static int failures;
static void check_eq(int got, int want, int line) {
  if (got != want) {
    failures++;
    printf("line %d: got %d want %d\n", line, got, want);
  } else {
    printf("ok line %d: %d\n", line, got);
  }
}
#define CHECK_EQ(got, want) check_eq((got), (want), __LINE__)
#define TWICE(x) (2 * (x))
#define ADD(a, b) ((a) + (b))
#define ID(x) (x)
#define PRINT_INT(label, v) printf("%s=%d\n", label, (v))

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int x = ID(ID(await(val(4))));
  PRINT_INT("x", x);
  CHECK_EQ(TWICE(await(val(21))), 42);
  CHECK_EQ(ADD(await(val(2)), await(val(3))), 5);
  CHECK_EQ(TWICE(ADD(await(val(1)), TWICE(await(val(2))))), 10);
  PRINT_INT("sum", ADD(x, await(val(x))));
  printf("failures=%d\n", failures);
  return failures;
}

int main(void) { return ac_block_on(main_async()); }
