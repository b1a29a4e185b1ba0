/* type_error.c -- a type error after an await, in a local that the
 * transformation moves into the frame (test/tool/line-mapping.sh).  clang,
 * and so asyncc, only warns about it; gcc with
 * -Werror=incompatible-pointer-types rejects it. */
#include <asyncc.h>

async int total_later(int n) {
  int total = n;
  await(ac_yield());
  long *p = &total; /* LINE:type-error */
  return (int)*p;
}
