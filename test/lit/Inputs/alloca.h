/* Mock of <alloca.h>: glibc's alloca is a macro over the builtin. */
#ifndef MOCK_ALLOCA_H
#define MOCK_ALLOCA_H
#define alloca(size) __builtin_alloca(size)
#endif
