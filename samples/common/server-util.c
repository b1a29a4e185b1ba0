/* server-util.c -- the sample servers' descriptor limit and options. */
#define _POSIX_C_SOURCE 200809L /* setrlimit */
#include <stdlib.h>
#include <sys/resource.h>

#include "server-util.h"

void raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int parse_number(const char *s, long max, long *v) {
  char *end;
  *v = strtol(s, &end, 10);
  return *s != '\0' && *end == '\0' && *v >= 0 && *v <= max;
}
