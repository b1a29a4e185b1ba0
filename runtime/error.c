/* error.c -- AC_E* error codes and their messages.
 *
 * AC_E* codes are libuv's UV_E* codes (negated errno values on Unix), so a
 * future wrapping libuv can return libuv's errors unchanged.  The few codes
 * libuv lacks follow the same negated-errno rule. */
#include <errno.h>

#include "internal.h"

_Static_assert(AC_ENOMEM == UV_ENOMEM, "AC_ENOMEM mirrors UV_ENOMEM");
_Static_assert(AC_EINVAL == UV_EINVAL, "AC_EINVAL mirrors UV_EINVAL");
_Static_assert(AC_EBUSY == UV_EBUSY, "AC_EBUSY mirrors UV_EBUSY");
_Static_assert(AC_EDEADLK == -EDEADLK, "AC_EDEADLK is -EDEADLK");

/* Returns a static message for `err`: 0, any AC_E* or UV_E* code.  Unlike
 * uv_strerror, it never allocates, even for unknown codes. */
const char *ac_strerror(int err) {
  switch (err) {
  case 0:
    return "success";
  case AC_EDEADLK:
    return "future is pending and nothing can wake it";
#define XX(code, msg)                                                          \
  case UV_##code:                                                              \
    return msg;
    UV_ERRNO_MAP(XX)
#undef XX
  }
  return "unknown error";
}
