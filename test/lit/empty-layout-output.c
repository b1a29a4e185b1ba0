// Tests that an empty output (the frame layouts of a file without async
// functions) is written as an empty file or nothing on standard output,
// with exit status 0.
// RUN: rm -f %t.layout
// RUN: %asyncc --emit=layout %s -o %t.layout
// RUN: count 0 < %t.layout
// RUN: %asyncc --emit=layout %s -o - > %t.stdout
// RUN: count 0 < %t.stdout
#include <asyncc.h>

int plain(int x) { return x + 1; }
