/* unix.c -- Unix-domain stream sockets: listen on a path, connect to one.
 *
 * libuv calls them pipes (uv_pipe_t with ipc 0).  libuv 1.44 truncates a
 * path that does not fit in a sockaddr_un without saying so, which would
 * bind or connect to another path: such paths are refused here with
 * AC_EINVAL.  The socket is bound and listening here; the first accept
 * hands it to libuv (listener.c), and closing the listener removes the
 * path. */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

int ac_unix_listen(const char *path, int backlog, ac_listener **out) {
  if (out == NULL || backlog < 0)
    return AC_EINVAL;
  *out = NULL;
  if (!ac__unix_path_ok(path))
    return AC_EINVAL;
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  strcpy(un.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return uv_translate_sys_error(errno);
  if (bind(fd, (struct sockaddr *)&un, sizeof un) != 0) {
    /* As libuv's uv_pipe_bind: a missing directory is EACCES. */
    int err = errno == ENOENT ? AC_EACCES : uv_translate_sys_error(errno);
    close(fd);
    return err;
  }
  return ac__listener_new(AC__STREAM_PIPE, fd, backlog, path, out);
}

/* uv_pipe_connect reports every failure through the callback. */
static int unix_connect_start(ac_stream *s, const void *path,
                              uv_connect_cb cb) {
  uv_pipe_connect(&s->connect_req, &s->h.pipe, path, cb);
  ac__stream_take_fd(s);
  return 0;
}

void ac_unix_connect_init(struct ac_unix_connect_frame *fr, const char *path,
                          ac_stream **out) {
  assert(fr != NULL);
  fr->path = path;
  fr->out = out;
  fr->conn = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

ac_poll ac_unix_connect_poll(void *frame, ac_cx *cx) {
  struct ac_unix_connect_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  const char *path = ac__unix_path_ok(fr->path) ? fr->path : NULL;
  return ac__connect_poll(AC__STREAM_PIPE, unix_connect_start, path, fr->out,
                          &fr->conn, &fr->state, &fr->result, cx);
}

void ac_unix_connect_drop(void *frame) {
  struct ac_unix_connect_frame *fr = frame;
  assert(fr != NULL);
  ac__connect_drop(&fr->conn, &fr->state);
}
