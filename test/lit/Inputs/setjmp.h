/* Mock of <setjmp.h>: glibc's setjmp is a macro over _setjmp. */
#ifndef MOCK_SETJMP_H
#define MOCK_SETJMP_H
typedef long jmp_buf[8];
int _setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int val);
#define setjmp(env) _setjmp(env)
#endif
