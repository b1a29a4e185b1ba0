/* task.h -- the runtime tests' harness: TEST, ASSERT_* and the end-of-test
 * loop check, after libuv's test/task.h. */
#ifndef ASYNCC_TEST_TASK_H
#define ASYNCC_TEST_TASK_H

#include <inttypes.h>
#include <stdint.h>

#include "internal.h"

/* Defines test `name`; runner.c finds it through test-list.h. */
#define TEST(name)                                                             \
  void test_##name(void);                                                      \
  void test_##name(void)

/* Prints "file:line: message" to stderr and aborts. */
__attribute__((noreturn, format(printf, 3, 4))) void
test_fail(const char *file, int line, const char *fmt, ...);

#define ASSERT(expr)                                                           \
  do {                                                                         \
    if (!(expr))                                                               \
      test_fail(__FILE__, __LINE__, "assertion failed: %s", #expr);            \
  } while (0)

/* Compares `a op b` as `type`; on failure prints both expressions and both
 * values. */
#define ASSERT_BASE(a, op, b, type, fmt)                                       \
  do {                                                                         \
    type a_ = (type)(a);                                                       \
    type b_ = (type)(b);                                                       \
    if (!(a_ op b_))                                                           \
      test_fail(__FILE__, __LINE__,                                            \
                "assertion failed: %s %s %s (" fmt " %s " fmt ")", #a, #op,    \
                #b, a_, #op, b_);                                              \
  } while (0)

#define ASSERT_EQ(a, b) ASSERT_BASE(a, ==, b, intmax_t, "%" PRIdMAX)
#define ASSERT_NE(a, b) ASSERT_BASE(a, !=, b, intmax_t, "%" PRIdMAX)
#define ASSERT_LT(a, b) ASSERT_BASE(a, <, b, intmax_t, "%" PRIdMAX)
#define ASSERT_LE(a, b) ASSERT_BASE(a, <=, b, intmax_t, "%" PRIdMAX)
#define ASSERT_GT(a, b) ASSERT_BASE(a, >, b, intmax_t, "%" PRIdMAX)
#define ASSERT_GE(a, b) ASSERT_BASE(a, >=, b, intmax_t, "%" PRIdMAX)
#define ASSERT_OK(a) ASSERT_EQ(a, 0)
#define ASSERT_PTR_EQ(a, b) ASSERT_BASE(a, ==, b, const void *, "%p")
#define ASSERT_PTR_NE(a, b) ASSERT_BASE(a, !=, b, const void *, "%p")
#define ASSERT_NULL(a) ASSERT_PTR_EQ(a, NULL)
#define ASSERT_NOT_NULL(a) ASSERT_PTR_NE(a, NULL)

/* Every test ends with this (libuv's MAKE_VALGRIND_HAPPY): the thread's
 * loop must be closed, with no handle left behind. */
#define ASSERT_LOOP_CLOSED()                                                   \
  do {                                                                         \
    ASSERT_EQ(ac__test_loop_handles(), 0);                                     \
    ASSERT_EQ(ac__test_loop_open(), 0);                                        \
  } while (0)

#endif /* ASYNCC_TEST_TASK_H */
