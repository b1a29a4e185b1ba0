/* unix.c -- Unix-domain stream sockets: listen on a path, connect to one.
 *
 * libuv calls them pipes (uv_pipe_t with ipc 0).  libuv 1.44 truncates a
 * path that does not fit in a sockaddr_un without saying so, which would
 * bind or connect to another path: such paths are refused here with
 * AC_EINVAL.  libuv removes a bound path when the listener is closed. */
#include <assert.h>

#include "internal.h"

int ac_unix_listen(const char *path, int backlog, ac_listener **out) {
  if (out == NULL || backlog < 0)
    return AC_EINVAL;
  *out = NULL;
  if (!ac__unix_path_ok(path))
    return AC_EINVAL;
  struct ac__exec *ex = ac__exec_current();
  int err = ac__loop_open(ex);
  if (err != 0)
    return err;
  ac_listener *l = ac__listener_new(ex, AC__STREAM_PIPE);
  if (l == NULL)
    return AC_ENOMEM;
  if ((err = uv_pipe_bind(&l->h.pipe, path)) != 0) {
    ac__listener_discard(l);
    return err;
  }
  if ((err = ac__listener_start(l, backlog)) != 0)
    return err;
  *out = l;
  return 0;
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
