// Covers: async functions defined with empty parentheses (no prototype, no parameters), awaited from another async function.
#include <asyncc.h>
#include <stdio.h>

static async int seven() {
  await(ac_yield());
  return 7;
}

static async int main_async() {
  int s = await(seven());
  printf("s=%d\n", s);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
