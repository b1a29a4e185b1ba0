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
_Static_assert(AC_EAGAIN == UV_EAGAIN, "AC_EAGAIN mirrors UV_EAGAIN");
_Static_assert(AC_EPIPE == UV_EPIPE, "AC_EPIPE mirrors UV_EPIPE");
_Static_assert(AC_ECANCELED == UV_ECANCELED, "AC_ECANCELED mirrors libuv");
_Static_assert(AC_EOF == UV_EOF, "AC_EOF mirrors UV_EOF");
_Static_assert(AC_ENOENT == UV_ENOENT, "AC_ENOENT mirrors UV_ENOENT");
_Static_assert(AC_EBADF == UV_EBADF, "AC_EBADF mirrors UV_EBADF");
_Static_assert(AC_EEXIST == UV_EEXIST, "AC_EEXIST mirrors UV_EEXIST");
_Static_assert(AC_EADDRINUSE == UV_EADDRINUSE, "AC_EADDRINUSE mirrors libuv");
_Static_assert(AC_ECONNRESET == UV_ECONNRESET, "AC_ECONNRESET mirrors libuv");
_Static_assert(AC_ENOTCONN == UV_ENOTCONN, "AC_ENOTCONN mirrors libuv");
_Static_assert(AC_ETIMEDOUT == UV_ETIMEDOUT, "AC_ETIMEDOUT mirrors libuv");
_Static_assert(AC_ECONNREFUSED == UV_ECONNREFUSED,
               "AC_ECONNREFUSED mirrors UV_ECONNREFUSED");
_Static_assert(AC_EAI_NONAME == UV_EAI_NONAME, "AC_EAI_NONAME mirrors libuv");
_Static_assert(AC_EXDEV == UV_EXDEV, "AC_EXDEV mirrors UV_EXDEV");
_Static_assert(AC_EMFILE == UV_EMFILE, "AC_EMFILE mirrors UV_EMFILE");
_Static_assert(AC_ENOTSOCK == UV_ENOTSOCK, "AC_ENOTSOCK mirrors libuv");
_Static_assert(AC_ENOBUFS == UV_ENOBUFS, "AC_ENOBUFS mirrors UV_ENOBUFS");
_Static_assert(AC_ESRCH == UV_ESRCH, "AC_ESRCH mirrors UV_ESRCH");
_Static_assert(AC_EACCES == UV_EACCES, "AC_EACCES mirrors UV_EACCES");

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
