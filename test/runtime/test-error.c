/* test-error.c -- AC_E* codes and ac_strerror. */
#include <string.h>

#include "task.h"

TEST(error_codes_mirror_libuv) {
  ASSERT_EQ(AC_ENOMEM, UV_ENOMEM);
  ASSERT_EQ(AC_EINVAL, UV_EINVAL);
  ASSERT_EQ(AC_EBUSY, UV_EBUSY);
  ASSERT_LOOP_CLOSED();
}

TEST(error_strerror) {
  ASSERT_EQ(strcmp(ac_strerror(0), "success"), 0);
  ASSERT_EQ(strcmp(ac_strerror(AC_ENOMEM), uv_strerror(UV_ENOMEM)), 0);
  ASSERT_EQ(strcmp(ac_strerror(AC_EINVAL), uv_strerror(UV_EINVAL)), 0);
  ASSERT_EQ(strcmp(ac_strerror(AC_EBUSY), uv_strerror(UV_EBUSY)), 0);
  ASSERT_EQ(strcmp(ac_strerror(UV_ECONNRESET), uv_strerror(UV_ECONNRESET)), 0);
  ASSERT_NE(strcmp(ac_strerror(AC_EDEADLK), "unknown error"), 0);
  ASSERT_EQ(strcmp(ac_strerror(-123456), "unknown error"), 0);
  ASSERT_EQ(strcmp(ac_strerror(7), "unknown error"), 0);
  ASSERT_LOOP_CLOSED();
}
