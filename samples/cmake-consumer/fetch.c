/* fetch.c -- defines fetch(), awaited from another file (main.c). */
#include "fetch.h"

#include "delay.h"

async int fetch(int id) {
  int scaled = id * FETCH_SCALE;
  await(ac_sleep(FETCH_DELAY_MS));
  return scaled;
}
