/* asyncc/combine.h -- awaiting several async calls at once.
 *
 *   await(ac_all(a = fetch(1), b = fetch(2)));     both run concurrently
 *   int i = await(ac_race(x = fast(), y = slow())); the first to finish
 *   if (await(ac_timeout(100, v = fetch(3))))       timed out
 *
 * Each operand is an expression around exactly one async call (or around
 * another combinator); the expression completes when its call does, so
 * results land in variables with their C types and the compiler checks
 * them.  ac_all runs every operand to completion (it yields nothing).
 * ac_race yields the index of the first operand to finish and drops (cancels) the
 * others.  ac_timeout(ms, e) is ac_race(e, ac_sleep(ms)): 0 if e finished,
 * 1 if the time ran out and e was dropped.  Up to 8 operands.
 *
 * In the sync view, where every call completes at once, ac_all evaluates
 * its operands in order and ac_race evaluates only its first operand (the
 * first to finish), type-checking the rest without running them.
 * Included by <asyncc.h>. */
#ifndef ASYNCC_COMBINE_H
#define ASYNCC_COMBINE_H

static inline void ac__mark_all(void) {}
static inline void ac__mark_race(void) {}
static inline void ac__mark_branch(void) {}
/* A call, so that a race awaited as a statement draws no unused-value
 * warning in the sync view. */
static inline int ac__race_winner(int i) { return i; }

#define AC__BRANCH(e) (ac__mark_branch(), (e))

/* AC__EACH(M, a, b, c) => M(a), M(b), M(c); up to 8 arguments. */
#define AC__EACH(M, ...)                                                       \
  AC__EACH_N(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1)(M, __VA_ARGS__)
#define AC__EACH_N(_1, _2, _3, _4, _5, _6, _7, _8, n, ...) AC__EACH_##n
#define AC__EACH_1(M, a) M(a)
#define AC__EACH_2(M, a, ...) M(a), AC__EACH_1(M, __VA_ARGS__)
#define AC__EACH_3(M, a, ...) M(a), AC__EACH_2(M, __VA_ARGS__)
#define AC__EACH_4(M, a, ...) M(a), AC__EACH_3(M, __VA_ARGS__)
#define AC__EACH_5(M, a, ...) M(a), AC__EACH_4(M, __VA_ARGS__)
#define AC__EACH_6(M, a, ...) M(a), AC__EACH_5(M, __VA_ARGS__)
#define AC__EACH_7(M, a, ...) M(a), AC__EACH_6(M, __VA_ARGS__)
#define AC__EACH_8(M, a, ...) M(a), AC__EACH_7(M, __VA_ARGS__)

#define ac_all(...)                                                            \
  (ac__mark_all(), AC__EACH(AC__BRANCH, __VA_ARGS__), (void)0)
#define ac_race(first, ...)                                                    \
  (ac__mark_race(), AC__BRANCH(first),                                         \
   (void)sizeof(AC__EACH(AC__BRANCH, __VA_ARGS__), 0), ac__race_winner(0))
#define ac_timeout(ms, e) ac_race(e, ac_sleep(ms))

#endif /* ASYNCC_COMBINE_H */
