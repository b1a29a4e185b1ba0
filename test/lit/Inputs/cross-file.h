/* An async API whose functions are defined in another file. */
#include <asyncc.h>

async int fetch_twice(int x);
async void note(const char *what);
/* Declared without its parameters, as old code does: awaits still work. */
async int legacy();
/* A table of handlers, to be called through pointers. */
extern async int (*const handlers[2])(int);
