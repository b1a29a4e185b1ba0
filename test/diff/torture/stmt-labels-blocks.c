// Covers: labels before awaiting statements of every kind, goto into nested blocks that contain awaits, null statements and empty blocks.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) { return x; }

static async int main_async(void) {
  int x = 0, pass = 0, rounds = 0;
  goto middle;
start:
  x += 100;
  ;
  {}
  {
    ;
    {
    middle:
      x += await(val(1));
      printf("middle x=%d pass=%d\n", x, pass);
    }
  }
  if (pass++ < 2)
    goto start;
l_if:
  if (await(val(x)) > 200)
    printf("big x=%d\n", x);
l_while:
  while (await(val(x)) > 150)
    x -= 60;
l_for:
  for (; x < 160; x += await(val(25)))
    printf("for x=%d\n", x);
l_decl:;
  int y = await(val(x)) * 2;
l_expr:
  y += await(val(1));
  printf("x=%d y=%d\n", x, y);
  if (++rounds < 4)
    goto l_expr_again;
  if (rounds == 100)
    goto l_expr;
  return 0;
l_expr_again:
  x = y;
  if (x < 400)
    goto l_if;
  goto l_decl;
  goto l_while;
  goto l_for;
}

int main(void) { return ac_block_on(main_async()); }
