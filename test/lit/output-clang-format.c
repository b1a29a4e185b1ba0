// Tests that the code asyncc writes is laid out as clang-format (with the
// project's .clang-format) would write it: long prototypes wrapped, and the
// break after the return type where that takes fewer lines; comments of the
// states aligned and cut to fit; the metadata tables wrapped; no doubled
// blank lines.  The input is formatted already, so any difference is the
// generated code's.  Some samples are checked the same way.
// REQUIRES: clang-format
// RUN: %asyncc --for-reading %s -o %t.c
// RUN: %clang-format %t.c > %t.fmt.c
// RUN: diff -u %t.c %t.fmt.c
// RUN: %cc -c %t.c -o %t.o
// RUN: %asyncc --for-reading %S/../../samples/hello/hello.c -o %t.h.c
// RUN: %clang-format %t.h.c | diff -u %t.h.c -
// RUN: %asyncc --for-reading %S/../../samples/channel/channel.c -o %t.c.c
// RUN: %clang-format %t.c.c | diff -u %t.c.c -
// RUN: %asyncc --for-reading %S/../../samples/spawn-join/spawn-join.c -o %t.s.c
// RUN: %clang-format %t.s.c | diff -u %t.s.c -
#include <asyncc.h>

struct connection {
  int fd;
};

static async int read_header(struct connection *conn, const char *method,
                             unsigned long limit, int flags) {
  await(ac_yield());
  return conn->fd + (int)limit + (method != 0) + flags;
}

static async int handle_connection(int fd) {
  struct connection c = {fd};
  int total = 0;
  for (int attempt = 0; attempt < 3; attempt++) {
    total += await(read_header(&c, "GET", 4096 + (unsigned long)attempt, 0));
  }
  return total;
}

static async int sum_of_nine(int x, int y, int z, int w, int v, int u, int t,
                             int s, int r) {
  await(ac_yield());
  int sum = x + y + z + w;
  return sum + v + u + t + s + r;
}

int main(void) {
  int a = ac_block_on(handle_connection(1));
  int b = ac_block_on(sum_of_nine(1, 2, 3, 4, 5, 6, 7, 8, 9));
  return a + b > 0 ? 0 : 1;
}
