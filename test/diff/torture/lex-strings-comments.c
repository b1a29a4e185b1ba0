// Covers: awaits next to string and char literals and comments that contain "await(", braces, semicolons and "continue"; unusual spacing; several awaiting statements on one line; an inactive #if 0 block.
#include <asyncc.h>
#include <stdio.h>

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async int main_async(void) {
  int a = await( val( 1 ) ); /* await(val(2)); } { */
  int b = await(/* inner comment */ val(2)) // trailing comment with await(x) {
      ;
  printf("await(me); continue; { } %d %d\n", a, b);
  char open = '{', close = '}', semi = ';';
  int c = await(val(open)) + await(val(close)) + semi;
  printf("%c%c%c %d \"quoted await(val(9))\"\n", open, close, semi, c);
  int x = await(val(3)); int y = await(val(4)); if (x < y) x = await(val(x + y)); else y = 0;
  printf("x=%d y=%d\n", x, y);
  int z =
      await(
          val(
              5))
      +
      await(val(6));
#if 0
  z = await(val(1000));
#endif
#ifdef NOT_DEFINED_ANYWHERE
  z += await(val(2000));
#else
  z += await(val(7));
#endif
  printf("z=%d %s\n", z, "end: await(val(1)) }");
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
