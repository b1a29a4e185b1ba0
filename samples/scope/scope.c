/* scope: structured concurrency.  Each directory is measured by a task of
 * the outer scope, which measures its files in a scope of its own; the
 * tasks write their results into the caller's arrays, which they may
 * borrow because no task outlives the join of its scope. */
#include <asyncc.h>
#include <stdio.h>

#define DIRS 3
#define FILES 4

/* Pretends to read a file: takes a while, then yields its size. */
static async void measure_file(int dir, int file, long *size) {
  await(ac_sleep((uint64_t)((dir * 7 + file * 3) % 5)));
  *size = 100L * (dir + 1) + file;
}

static async void measure_dir(int dir, long *total) {
  long sizes[FILES];
  ac_scope files;
  ac_scope_init(&files);
  for (int f = 0; f < FILES; f++)
    ac_scope_add(&files, ac_spawn_void(measure_file(dir, f, &sizes[f])));
  int err = await(ac_scope_join(&files));
  *total = 0;
  for (int f = 0; err == 0 && f < FILES; f++)
    *total += sizes[f];
}

static async int main_async(void) {
  long totals[DIRS];
  ac_scope dirs;
  ac_scope_init(&dirs);
  for (int d = 0; d < DIRS; d++)
    ac_scope_add(&dirs, ac_spawn_void(measure_dir(d, &totals[d])));
  int err = await(ac_scope_join(&dirs));
  if (err != 0) {
    printf("scope failed: %s\n", ac_strerror(err));
    return 1;
  }
  long all = 0;
  for (int d = 0; d < DIRS; d++) {
    printf("dir %d: %ld bytes\n", d, totals[d]);
    all += totals[d];
  }
  printf("all: %ld bytes\n", all);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
