/* refused.c -- asyncc refuses this file: an await in the operand of sizeof
 * (test/tool/atomic-output.sh). */
#include <asyncc.h>

async int later(void) {
  await(ac_yield());
  return 1;
}

async int size(void) {
  return (int)sizeof(await(later()));
}
