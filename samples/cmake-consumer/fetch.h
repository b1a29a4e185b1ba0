/* fetch.h -- an async function defined in fetch.c and awaited in main.c. */
#ifndef FETCH_H
#define FETCH_H

#include <asyncc.h>

/* Waits a little, then returns id * FETCH_SCALE. */
async int fetch(int id);

#endif
