// Tests that a null character in the input is refused with exit status 1
// and no output, rather than ending the output there.
// RUN: rm -f %t.c
// RUN: printf '/* a\000b */\nint main(void) { return 0; }\n' > %t.in.c
// RUN: not %asyncc %t.in.c -o %t.c 2>&1 | FileCheck %s
// RUN: test ! -e %t.c
// CHECK: .in.c:1:5: error: null character in the file; asyncc cannot copy it to the output
