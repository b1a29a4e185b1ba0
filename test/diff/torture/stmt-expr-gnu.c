// Covers: GNU statement expressions in async functions: locals of their own (named like frame temporaries), a `return` inside one (directly, in a macro argument, in a void function, and in a statement that also awaits), and `continue`/`break` inside one in a loop whose increment awaits.
#include <asyncc.h>
#include <stdio.h>

#define VALUE(e) (e)

static int calls;

static async int id(int x) {
  calls++;
  await(ac_yield());
  return x;
}

static int check(int x) { return x > 100 ? -x : x; }

static async int locals(void) {
  int k = await(id(1));
  k += ({ int t = 3; int t_2 = 4; t * t_2; });
  k += await(id(1));
  return k;
}

static async int early(int n) {
  int k = await(id(1));
  k += ({ if (n > 5) return 99; 2; });
  k += VALUE(({ int r_ = check(n * 30); if (r_ < 0) return r_; r_; }));
  k += await(id(n)) + ({ if (n == 3) return -3; 1; });
  for (int i = 0; i < 4; i += await(id(1))) {
    k += ({ if (i == 1) continue; if (i == 3) break; i; });
  }
  return k + await(id(1));
}

static int seen;

static async void note(int n) {
  seen = await(id(n));
  ({ if (n > 1) return; 0; });
  seen *= 10;
}

static async int main_async(void) {
  printf("locals %d\n", await(locals()));
  for (int n = 1; n <= 7; n += 2)
    printf("early(%d) = %d\n", n, await(early(n)));
  await(note(1));
  printf("note(1) seen %d\n", seen);
  await(note(2));
  printf("note(2) seen %d\n", seen);
  printf("calls %d\n", calls);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
