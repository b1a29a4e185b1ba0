// Tests that everything outside async functions -- comments, odd spacing, tabs,
// trailing blanks, macros, disabled code and strings that spell await -- is
// copied byte for byte, before and after an async function, with and without
// #line.
// RUN: %asyncc --no-line %s -o %t.nl.c
// RUN: %asyncc %s -o %t.ln.c
// RUN: head -n 30 %s > %t.head
// RUN: head -n 30 %t.nl.c > %t.nl.head
// RUN: head -n 30 %t.ln.c > %t.ln.head
// RUN: diff %t.head %t.nl.head
// RUN: diff %t.head %t.ln.head
// RUN: tail -n 17 %s > %t.tail
// The generated trailer (helpers, ac_dump_tasks metadata) follows the source.
// RUN: sed -e '/^\/\* asyncc: helpers and ac_dump_tasks/,$d' %t.nl.c | tail -n 17 > %t.nl.tail
// RUN: sed -e '/^\/\* asyncc: helpers and ac_dump_tasks/,$d' %t.ln.c | tail -n 17 > %t.ln.tail
// RUN: diff %t.tail %t.nl.tail
// RUN: diff %t.tail %t.ln.tail
// RUN: %cc -c %t.ln.c -o %t.o
#include <asyncc.h>
  /* a comment that mentions async int f(void) { await(g()); } */
#define  SPACED( a ,b )	( (a)+ \
   (b) )   

static   const char *s1 = "await(ac_yield())" ;
#if 0
  this is not C: await(nothing) async
#endif
int	sync_fn ( int x ) {   
	return SPACED( x ,1 ) ;   /* trailing */
}
/* line 30: the async function starts on the next line */
async int work(int x) {
  await(ac_yield());
  return x;
}
/* the rest is after the function */
int   after1(void);
int   after1(void)
{
  return sync_fn(2)
    + (int)sizeof s1;	
}


#define LATE 1 /* unused */
struct   odd { int a ; char b[ 3 ]; } ;

typedef int    (*fp_t)( int );
static fp_t keep = sync_fn;
int use_keep(void);
int use_keep(void) { return keep(LATE); }
// end
