/* listener.c -- listening sockets, TCP and Unix-domain, and accept.
 *
 * A listener owns a libuv stream handle in listening mode (tcp.c and
 * unix.c make it).  libuv calls connection_cb when a connection is
 * waiting, and keeps it until uv_accept takes it: the listener only
 * records that one is ready and wakes its one pending accept.
 *
 * A listener is made bound and listening (tcp.c, unix.c) but on no loop:
 * its first accept opens it on the loop of the worker running it, which
 * it belongs to from then on, as an accepted stream belongs to the worker
 * of its first operation.  So a server may listen in one task and accept
 * in a task it spawns, wherever that task starts.  Connections arriving
 * before wait in the kernel's queue.
 *
 * Threaded flavour: connections are accepted into a temporary handle,
 * their socket is duplicated and the handle closed, so the new stream
 * belongs to no loop until its first operation binds it (stream.c). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/* Frees the listener, or keeps it for the checks of ASYNCC_DEBUG. */
static void listener_free(ac_listener *l) {
  ac__free(l->path);
  l->path = NULL;
  if (ac__debugging())
    ac__debug_keep(l);
  else
    ac__free(l);
}

static void listener_close_cb(uv_handle_t *handle) {
  listener_free(handle->data);
}

static void connection_cb(uv_stream_t *server, int status) {
  ac_listener *l = server->data;
  if (status < 0)
    l->err = status;
  else
    l->ready = 1;
  if (l->acceptor != NULL)
    ac_task_wake(l->acceptor->task);
}

int ac__listener_new(int kind, int fd, int backlog, const char *path,
                     ac_listener **out) {
  /* Listening at once: connections wait in the kernel's queue until the
   * first accept gives the socket to a worker's loop. */
  int err = listen(fd, backlog) == 0 ? 0 : uv_translate_sys_error(errno);
  ac_listener *l = err == 0 ? ac__malloc(sizeof *l) : NULL;
  char *copy = err == 0 && path != NULL ? ac__malloc(strlen(path) + 1) : NULL;
  if (err == 0 && (l == NULL || (path != NULL && copy == NULL)))
    err = AC_ENOMEM;
  if (err != 0) {
    ac__free(l);
    ac__free(copy);
    if (path != NULL)
      unlink(path);
    close(fd);
    return err;
  }
  memset(l, 0, sizeof *l);
  if (copy != NULL)
    strcpy(copy, path);
  l->kind = kind;
  l->fd = fd;
  l->backlog = backlog;
  l->path = copy;
  atomic_init(&l->owner, NULL);
  ac__ignore_sigpipe();
  *out = l;
  return 0;
}

/* The owner of a listener closed before any worker took it. */
static char closed_unbound_mark;
#define CLOSED_UNBOUND ((struct ac__exec *)(void *)&closed_unbound_mark)

/* Gives l a handle on ex's loop holding its socket: 0, or an error with
 * the socket closed.  The handle exists either way, to be closed. */
static int listener_open_handle(ac_listener *l, struct ac__exec *ex) {
  ac__handle_init(&l->h, l->kind, &ex->loop, l);
  int err = ac__handle_open(&l->h, l->kind, l->fd);
  if (err != 0) {
    close(l->fd);
    l->fd = -1;
  }
  return err;
}

/* Opens l on ex's loop and listens there: 0, or an error kept for every
 * accept.  The handle exists from here on, so the close goes through
 * libuv even when the open failed. */
static int listener_bind_loop(ac_listener *l, struct ac__exec *ex) {
  int err = listener_open_handle(l, ex);
  if (err == 0)
    err = uv_listen(&l->h.stream, l->backlog, connection_cb);
  l->open_err = err; /* a listener that failed to open stays failed */
  return err;
}

/* The first worker to accept on l wins; 0 if cx's task may use it. */
static int listener_claim(ac_listener *l, ac_cx *cx) {
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  struct ac__exec *owner =
      atomic_load_explicit(&l->owner, memory_order_acquire);
  if (owner == ex)
    return l->open_err;
  if (owner != NULL || !atomic_compare_exchange_strong(&l->owner, &owner, ex))
    return owner == CLOSED_UNBOUND ? AC_ECANCELED : AC_EXDEV;
  return listener_bind_loop(l, ex);
}

static void listener_close_now(ac_listener *l) {
  if (l->acceptor != NULL) {
    l->acceptor->l = NULL;
    ac_task_wake(l->acceptor->task);
    l->acceptor = NULL;
  }
  uv_close(&l->h.handle, listener_close_cb);
}

static void listener_close_routed(struct ac__deferred *d) {
  listener_close_now(ac__container_of(d, ac_listener, close_work));
}

void ac_listener_close(ac_listener *l) {
  if (l == NULL || atomic_exchange(&l->closing, 1))
    return;
  /* The path goes now: a new listener may bind it at once. */
  if (l->path != NULL)
    unlink(l->path);
  /* No worker took it: it closes on this thread's loop, or at once with
   * no loop running here. */
  struct ac__exec *here = ac__loop_here(), *owner = NULL;
  if (atomic_compare_exchange_strong(&l->owner, &owner,
                                     here != NULL ? here : CLOSED_UNBOUND)) {
    if (here != NULL) {
      listener_open_handle(l, here);
      listener_close_now(l);
    } else {
      close(l->fd);
      listener_free(l);
    }
  } else if (owner == ac__exec_current()) {
    listener_close_now(l);
  } else {
    l->close_work.fn = listener_close_routed;
    ac__run_on(owner, &l->close_work);
  }
}

int ac_listener_fileno(const ac_listener *l) {
  AC__DEBUG_USE(l, "ac_listener_fileno");
  if (l == NULL)
    return AC_EINVAL;
  if (atomic_load(&l->closing) || l->fd < 0)
    return AC_EBADF;
  return l->fd;
}

int ac_listener_local_addr(const ac_listener *l, struct sockaddr_storage *out) {
  AC__DEBUG_USE(l, "ac_listener_local_addr");
  int fd = ac_listener_fileno(l);
  if (out == NULL)
    return AC_EINVAL;
  if (fd < 0)
    return fd;
  return ac__fd_addr(fd, out, 0);
}

int ac_listener_port(const ac_listener *l) {
  AC__DEBUG_USE(l, "ac_listener_port");
  struct sockaddr_storage ss;
  int err = ac_listener_local_addr(l, &ss);
  if (err != 0)
    return err;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return AC_EINVAL;
}

/* ---- accept -------------------------------------------------------------- */

void ac_listener_accept_init(struct ac_listener_accept_frame *fr,
                             ac_listener *l, ac_stream **out) {
  AC__DEBUG_USE(l, "ac_listener_accept");
  assert(fr != NULL);
  fr->l = l;
  fr->out = out;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll accept_finish(struct ac_listener_accept_frame *fr, int result) {
  if (fr->l != NULL && fr->l->acceptor == fr)
    fr->l->acceptor = NULL;
  fr->l = NULL;
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

static void free_handle_cb(uv_handle_t *h) { ac__free(h); }

/* Threaded flavour: accepts into a temporary handle on the listener's loop
 * and returns a duplicate of its socket (see the top), or an error. */
static int accept_fd(ac_listener *l) {
  union ac__stream_handle *tmp = ac__malloc(sizeof *tmp);
  if (tmp == NULL)
    return AC_ENOMEM; /* The connection is lost, as if uv_accept failed. */
  if (l->kind == AC__STREAM_TCP)
    uv_tcp_init(l->h.handle.loop, &tmp->tcp);
  else
    uv_pipe_init(l->h.handle.loop, &tmp->pipe, 0);
  int err = uv_accept(&l->h.stream, &tmp->stream);
  uv_os_fd_t fd = -1;
  if (err == 0)
    err = uv_fileno(&tmp->handle, &fd);
  if (err == 0 && (fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
    err = uv_translate_sys_error(errno);
  uv_close(&tmp->handle, free_handle_cb);
  return err != 0 ? err : fd;
}

/* Takes the connection libuv holds; 1 if the accept is complete.  The
 * stream is allocated first: out of memory, the connection stays with
 * libuv for the next accept. */
static int accept_take(struct ac_listener_accept_frame *fr, int *result) {
  ac_listener *l = fr->l;
  if (l->err != 0) {
    *result = l->err;
    l->err = 0;
    return 1;
  }
  if (!l->ready)
    return 0;
  struct ac__exec *owner = atomic_load(&l->owner);
  int threaded = owner->rt != NULL;
  ac_stream *s = threaded ? ac__stream_unbound(l->kind, -1)
                          : ac__stream_new(owner, l->kind);
  if (s == NULL) {
    *result = AC_ENOMEM;
    return 1;
  }
  l->ready = 0;
  int err = threaded ? accept_fd(l) : uv_accept(&l->h.stream, &s->h.stream);
  if (err < 0) {
    ac_stream_close(s);
    *result = err;
    return 1;
  }
  if (threaded)
    s->fd = err;
  else
    ac__stream_take_fd(s);
  *fr->out = s;
  *result = 0;
  return 1;
}

ac_poll ac_listener_accept_poll(void *frame, ac_cx *cx) {
  struct ac_listener_accept_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    if (fr->l == NULL || fr->out == NULL)
      return accept_finish(fr, AC_EINVAL);
    int err =
        atomic_load(&fr->l->closing) ? AC_ECANCELED : listener_claim(fr->l, cx);
    if (err != 0) {
      fr->l = NULL;
      return accept_finish(fr, err);
    }
    if (fr->l->acceptor != NULL) {
      fr->l = NULL;
      return accept_finish(fr, AC_EBUSY);
    }
    fr->l->acceptor = fr;
    fr->state = AC__OP_PENDING;
  }
  if (fr->l == NULL) /* The listener was closed. */
    return accept_finish(fr, AC_ECANCELED);
  int result;
  if (accept_take(fr, &result))
    return accept_finish(fr, result);
  fr->task = cx->task;
  return AC_PENDING;
}

void ac_listener_accept_drop(void *frame) {
  struct ac_listener_accept_frame *fr = frame;
  assert(fr != NULL);
  if (fr->state == AC__OP_PENDING)
    accept_finish(fr, AC_ECANCELED);
}
