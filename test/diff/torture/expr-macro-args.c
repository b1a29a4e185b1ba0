// Covers: awaits inside arguments of single-level macros that evaluate each argument once (CHECK(await(f())), CHECK_EQ, statement-wrapping DO(...)).
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
#define CHECK(x) check_eq(!!(x), 1, __LINE__)
#define DO(stmt) do { stmt; } while (0)
#define PRINT_INT(label, v) printf("%s=%d\n", label, (v))
#define IS_POSITIVE(x) ((x) > 0)

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  CHECK(await(val(1)));
  CHECK_EQ(await(val(5)), 5);
  CHECK_EQ(await(val(2)) + await(val(3)), 5);
  int x = 0;
  DO(x = await(val(9)));
  PRINT_INT("x", x);
  DO(x += await(val(1)); x *= 2);
  PRINT_INT("x", x);
  PRINT_INT("sum", x + await(val(x)));
  if (IS_POSITIVE(await(val(3))))
    PRINT_INT("cond", 1);
  while (IS_POSITIVE(await(val(x))))
    x -= 7;
  PRINT_INT("x", x);
  printf("failures=%d\n", failures);
  return failures;
}

int main(void) { return ac_block_on(main_async()); }
