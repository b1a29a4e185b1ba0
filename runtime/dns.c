/* dns.c -- getaddrinfo(3) on libuv's thread pool.
 *
 * The request lives in a runtime record, not in the frame: libuv runs its
 * callback even for a request that uv_cancel stopped, and a lookup already
 * running cannot be stopped at all.  A dropped frame orphans its record
 * (after trying uv_cancel), and the callback frees the record and the
 * addresses nobody will read.  The loop's shutdown (loop.c) waits for such
 * lookups. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct ac__dns_req {
  uv_getaddrinfo_t req;
  struct ac_getaddrinfo_frame *fr; /* NULL once orphaned */
  int busy;                        /* the lookup is in flight */
  int status;
  struct addrinfo *res;
};

static void getaddrinfo_cb(uv_getaddrinfo_t *req, int status,
                           struct addrinfo *res) {
  struct ac__dns_req *r = ac__container_of(req, struct ac__dns_req, req);
  r->busy = 0;
  r->status = status;
  r->res = res;
  if (r->fr != NULL) {
    ac_task_wake(r->fr->task);
    return;
  }
  uv_freeaddrinfo(res);
  ac__free(r);
}

void ac_freeaddrinfo(struct addrinfo *ai) { uv_freeaddrinfo(ai); }

int ac__test_dns_busy(const struct ac_getaddrinfo_frame *fr) {
  return fr->req != NULL && fr->req->busy;
}

void ac_getaddrinfo_init(struct ac_getaddrinfo_frame *fr, const char *node,
                         const char *service, const struct addrinfo *hints,
                         struct addrinfo **res) {
  assert(fr != NULL);
  fr->node = node;
  fr->service = service;
  fr->hints = hints;
  fr->res = res;
  fr->req = NULL;
  fr->task = NULL;
  fr->state = AC__OP_START;
  fr->result = 0;
}

static ac_poll getaddrinfo_finish(struct ac_getaddrinfo_frame *fr, int result) {
  fr->result = result;
  fr->state = AC__OP_DONE;
  return AC_READY;
}

/* Starts the lookup; libuv copies node, service and hints. */
static int getaddrinfo_start(struct ac_getaddrinfo_frame *fr, ac_cx *cx) {
  if (fr->res == NULL || (fr->node == NULL && fr->service == NULL))
    return AC_EINVAL;
  struct ac__exec *ex;
  int err = ac__cx_exec(cx, &ex);
  if (err != 0)
    return err;
  struct ac__dns_req *r = ac__malloc(sizeof *r);
  if (r == NULL)
    return AC_ENOMEM;
  r->fr = fr;
  r->res = NULL;
  err = uv_getaddrinfo(&ex->loop, &r->req, getaddrinfo_cb, fr->node,
                       fr->service, fr->hints);
  if (err != 0) {
    ac__free(r);
    return err;
  }
  r->busy = 1;
  fr->req = r;
  fr->state = AC__OP_PENDING;
  return 0;
}

ac_poll ac_getaddrinfo_poll(void *frame, ac_cx *cx) {
  struct ac_getaddrinfo_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->state == AC__OP_DONE)
    return AC_READY;
  if (fr->state == AC__OP_START) {
    int err = getaddrinfo_start(fr, cx);
    if (err != 0)
      return getaddrinfo_finish(fr, err);
  }
  struct ac__dns_req *r = fr->req;
  if (r->busy) {
    fr->task = cx->task;
    return AC_PENDING;
  }
  fr->req = NULL;
  *fr->res = r->res;
  int status = r->status;
  ac__free(r);
  return getaddrinfo_finish(fr, status);
}

void ac_getaddrinfo_drop(void *frame) {
  struct ac_getaddrinfo_frame *fr = frame;
  assert(fr != NULL);
  struct ac__dns_req *r = fr->req;
  fr->req = NULL;
  fr->state = AC__OP_DONE;
  if (r == NULL)
    return;
  if (!r->busy) {
    uv_freeaddrinfo(r->res);
    ac__free(r);
    return;
  }
  r->fr = NULL;
  uv_cancel((uv_req_t *)&r->req); /* Fails if a thread has it: fine. */
}

/* ---- ac_dns_resolve ------------------------------------------------------ */

/* Stream addresses of any family.  Not AI_ADDRCONFIG, the glibc default
 * without hints: it finds no address at all on a host whose only
 * interface is the loopback. */
static const struct addrinfo stream_hints = {
    .ai_family = AF_UNSPEC,
    .ai_socktype = SOCK_STREAM,
};

void ac_dns_resolve_init(struct ac_dns_resolve_frame *fr, const char *host,
                         int port, struct sockaddr_storage *out) {
  assert(fr != NULL);
  /* The service string is set at the first poll, once the frame has
   * stopped moving. */
  ac_getaddrinfo_init(&fr->gai, host, NULL, &stream_hints, &fr->list);
  fr->port = port;
  fr->service[0] = '\0';
  fr->list = NULL;
  fr->out = out;
  fr->result = 0;
}

/* Copies the first IPv4 or IPv6 address of fr->list to fr->out. */
static int resolve_first(struct ac_dns_resolve_frame *fr) {
  for (struct addrinfo *ai = fr->list; ai != NULL; ai = ai->ai_next) {
    if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
        ai->ai_addrlen <= sizeof *fr->out) {
      memset(fr->out, 0, sizeof *fr->out);
      memcpy(fr->out, ai->ai_addr, ai->ai_addrlen);
      return 0;
    }
  }
  return AC_EAI_NONAME;
}

ac_poll ac_dns_resolve_poll(void *frame, ac_cx *cx) {
  struct ac_dns_resolve_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->gai.state == AC__OP_START) {
    if (fr->gai.node == NULL || fr->out == NULL || fr->port < 0 ||
        fr->port > 65535) {
      fr->result = AC_EINVAL;
      fr->gai.state = AC__OP_DONE;
      return AC_READY;
    }
    snprintf(fr->service, sizeof fr->service, "%d", fr->port);
    fr->gai.service = fr->service;
  } else if (fr->gai.state == AC__OP_DONE) {
    return AC_READY;
  }
  if (ac_getaddrinfo_poll(&fr->gai, cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = fr->gai.result;
  if (fr->result == 0)
    fr->result = resolve_first(fr);
  uv_freeaddrinfo(fr->list);
  fr->list = NULL;
  return AC_READY;
}

void ac_dns_resolve_drop(void *frame) {
  struct ac_dns_resolve_frame *fr = frame;
  assert(fr != NULL);
  ac_getaddrinfo_drop(&fr->gai);
}
