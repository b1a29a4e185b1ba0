/* delay.h -- how long fetch() waits; only fetch.c includes this header, so
 * touching it re-runs asyncc on fetch.c alone (test/cmake/). */
#ifndef DELAY_H
#define DELAY_H

#define FETCH_DELAY_MS 5

#endif
