/* server-util.h -- what the sample servers (echo-server, mini-redis,
 * http-server) share that has nothing to do with asyncc: the descriptor
 * limit and their numeric options.  Plain C, in server-util.c. */
#ifndef SAMPLES_SERVER_UTIL_H
#define SAMPLES_SERVER_UTIL_H

/* Lets the process have as many descriptors as its hard limit allows: one
 * per connection, and the soft limit is often only 1024. */
void raise_fd_limit(void);

/* Parses s, a decimal number from 0 to max, into *v: 1 if it is one. */
int parse_number(const char *s, long max, long *v);

#endif /* SAMPLES_SERVER_UTIL_H */
