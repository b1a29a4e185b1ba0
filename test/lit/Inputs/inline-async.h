/* An async function defined in a header, for diag-async-defined-in-header.c. */
#include <asyncc.h>

static inline async int inc(int x) {
  await(ac_yield());
  return x + 1;
}
