/* Mock of <errno.h>: glibc's errno is the calling thread's, reached
 * through a function. */
#ifndef MOCK_ERRNO_H
#define MOCK_ERRNO_H
int *__errno_location(void);
#define errno (*__errno_location())
#endif
