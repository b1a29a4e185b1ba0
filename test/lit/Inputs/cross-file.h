/* An async API whose functions are defined in another file. */
#include <asyncc.h>

async int fetch_twice(int x);
async void note(const char *what);
