/* reader.c -- buffered reading on a stream: read_exact, read_until,
 * read_line, peek and consume.
 *
 * The buffer is the stream's (stream.c), which libuv reads into; these
 * operations parse it in place.  read_until and peek hand out pointers
 * into it instead of copying, so the bytes a server parses are the ones
 * the kernel wrote.  Such pointers must stay valid while the caller uses
 * them, even across other awaits, so what an operation hands out is
 * pinned (buf[pin, start)) until the next read operation begins
 * (ac__read_begin): only then may data move.  While an operation is
 * pending it has pinned nothing yet, and may compact the buffer to make
 * room. */
#include <assert.h>
#include <string.h>

#include "internal.h"

static void op_init(struct ac__stream_read_op *op, ac_stream *s) {
  op->s = s;
  op->task = NULL;
  op->direct = NULL;
  op->want = op->got = 0;
  op->state = AC__OP_START;
}

/* The end of the stream or its error, for an operation that found too
 * little buffered: 1 and *err if the stream has one, else 0. */
static int stream_failed(ac_stream *s, int *err) {
  if (s->nobufs) {
    s->nobufs = 0;
    *err = AC_ENOMEM;
    return 1;
  }
  *err = s->rerr;
  return s->rerr != 0;
}

/* Waits for more data: reading on, the task to wake registered. */
static ac_poll wait_more(struct ac__stream_read_op *op, ac_cx *cx) {
  op->task = cx->task;
  ac__read_start(op->s);
  return AC_PENDING;
}

/* ---- read_exact ---------------------------------------------------------- */

void ac_stream_read_exact_init(struct ac_stream_read_exact_frame *fr,
                               ac_stream *s, void *buf, size_t len) {
  AC__DEBUG_USE(s, "ac_stream_read_exact");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->buf = buf;
  fr->len = len;
  fr->done = 0;
  fr->result = 0;
}

static ac_poll exact_finish(struct ac_stream_read_exact_frame *fr,
                            ptrdiff_t result) {
  fr->result = result;
  return ac__read_end(&fr->op);
}

/* Copies what is buffered, then has libuv read the rest straight into
 * the caller's buffer. */
ac_poll ac_stream_read_exact_poll(void *frame, ac_cx *cx) {
  struct ac_stream_read_exact_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  if (fr->op.state == AC__OP_START) {
    int err = fr->buf == NULL && fr->len > 0 ? AC_EINVAL
                                             : ac__read_begin(&fr->op, cx);
    if (err != 0)
      return exact_finish(fr, err);
  }
  ac_stream *s = fr->op.s;
  if (s == NULL)
    return exact_finish(fr, AC_ECANCELED);
  fr->done += fr->op.got;
  fr->op.got = 0;
  size_t n = s->end - s->start;
  if (n > fr->len - fr->done)
    n = fr->len - fr->done;
  if (n > 0) {
    memcpy((char *)fr->buf + fr->done, s->buf + s->start, n);
    s->pin = s->start += n;
    fr->done += n;
    ac__buffer_reclaim(s);
  }
  if (fr->done == fr->len)
    return exact_finish(fr, (ptrdiff_t)fr->len);
  int err;
  if (stream_failed(s, &err))
    return exact_finish(fr, err == UV_EOF ? AC_EOF : err);
  fr->op.direct = (char *)fr->buf + fr->done;
  fr->op.want = fr->len - fr->done;
  return wait_more(&fr->op, cx);
}

void ac_stream_read_exact_drop(void *frame) {
  struct ac_stream_read_exact_frame *fr = frame;
  assert(fr != NULL);
  if (fr->op.state == AC__OP_PENDING)
    exact_finish(fr, AC_ECANCELED);
}

/* ---- read_until ---------------------------------------------------------- */

void ac_stream_read_until_init(struct ac_stream_read_until_frame *fr,
                               ac_stream *s, int delim, const char **p) {
  AC__DEBUG_USE(s, "ac_stream_read_until");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->delim = delim;
  fr->p = p;
  fr->scanned = 0;
  fr->result = 0;
}

static ac_poll until_finish(struct ac_stream_read_until_frame *fr,
                            ptrdiff_t result) {
  fr->result = result;
  return ac__read_end(&fr->op);
}

/* Hands out the first n unread bytes, consumed and pinned. */
static ac_poll until_take(struct ac_stream_read_until_frame *fr, size_t n) {
  ac_stream *s = fr->op.s;
  *fr->p = s->buf + s->start;
  s->start += n;
  return until_finish(fr, (ptrdiff_t)n);
}

ac_poll ac_stream_read_until_poll(void *frame, ac_cx *cx) {
  struct ac_stream_read_until_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  if (fr->op.state == AC__OP_START) {
    int err = fr->p == NULL ? AC_EINVAL : ac__read_begin(&fr->op, cx);
    if (err == 0)
      err = ac__buffer_alloc(fr->op.s);
    if (err != 0)
      return until_finish(fr, err);
  }
  ac_stream *s = fr->op.s;
  if (s == NULL)
    return until_finish(fr, AC_ECANCELED);
  size_t avail = s->end - s->start;
  const char *from = s->buf + s->start + fr->scanned;
  const char *hit = memchr(from, (unsigned char)fr->delim, avail - fr->scanned);
  if (hit != NULL)
    return until_take(fr, (size_t)(hit - (s->buf + s->start)) + 1);
  fr->scanned = avail;
  int err;
  if (stream_failed(s, &err)) {
    if (err != UV_EOF)
      return until_finish(fr, err);
    if (avail == 0)
      return until_finish(fr, 0);
    return until_take(fr, avail); /* The last line has no delim. */
  }
  if (avail == s->cap)
    return until_finish(fr, AC_ENOBUFS);
  if (s->end == s->cap)
    ac__buffer_compact(s); /* Nothing is pinned while an op is pending. */
  return wait_more(&fr->op, cx);
}

void ac_stream_read_until_drop(void *frame) {
  struct ac_stream_read_until_frame *fr = frame;
  assert(fr != NULL);
  if (fr->op.state == AC__OP_PENDING)
    until_finish(fr, AC_ECANCELED);
}

void ac_stream_read_line_init(struct ac_stream_read_line_frame *fr,
                              ac_stream *s, const char **p) {
  AC__DEBUG_USE(s, "ac_stream_read_line");
  assert(fr != NULL);
  ac_stream_read_until_init(&fr->until, s, '\n', p);
  fr->result = 0;
}

ac_poll ac_stream_read_line_poll(void *frame, ac_cx *cx) {
  struct ac_stream_read_line_frame *fr = frame;
  assert(fr != NULL);
  if (ac_stream_read_until_poll(&fr->until, cx) == AC_PENDING)
    return AC_PENDING;
  fr->result = fr->until.result;
  return AC_READY;
}

void ac_stream_read_line_drop(void *frame) {
  struct ac_stream_read_line_frame *fr = frame;
  assert(fr != NULL);
  ac_stream_read_until_drop(&fr->until);
}

/* ---- peek and consume ---------------------------------------------------- */

void ac_stream_peek_init(struct ac_stream_peek_frame *fr, ac_stream *s,
                         size_t n, const char **p) {
  AC__DEBUG_USE(s, "ac_stream_peek");
  assert(fr != NULL);
  op_init(&fr->op, s);
  fr->n = n;
  fr->p = p;
  fr->result = 0;
}

static ac_poll peek_finish(struct ac_stream_peek_frame *fr, ptrdiff_t result) {
  fr->result = result;
  return ac__read_end(&fr->op);
}

/* Hands out every unread byte, pinned, not consumed. */
static ac_poll peek_take(struct ac_stream_peek_frame *fr) {
  ac_stream *s = fr->op.s;
  *fr->p = s->buf + s->start;
  return peek_finish(fr, (ptrdiff_t)(s->end - s->start));
}

ac_poll ac_stream_peek_poll(void *frame, ac_cx *cx) {
  struct ac_stream_peek_frame *fr = frame;
  assert(fr != NULL && cx != NULL && cx->task != NULL);
  if (fr->op.state == AC__OP_DONE)
    return AC_READY;
  if (fr->op.state == AC__OP_START) {
    int err = fr->p == NULL ? AC_EINVAL : ac__read_begin(&fr->op, cx);
    if (err == 0 && fr->n > fr->op.s->cap)
      err = AC_ENOBUFS;
    if (err == 0)
      err = ac__buffer_alloc(fr->op.s);
    if (err != 0)
      return peek_finish(fr, err);
  }
  ac_stream *s = fr->op.s;
  if (s == NULL)
    return peek_finish(fr, AC_ECANCELED);
  if (s->end - s->start >= fr->n)
    return peek_take(fr);
  int err;
  if (stream_failed(s, &err))
    return err == UV_EOF ? peek_take(fr) : peek_finish(fr, err);
  if (s->cap - s->start < fr->n)
    ac__buffer_compact(s);
  return wait_more(&fr->op, cx);
}

void ac_stream_peek_drop(void *frame) {
  struct ac_stream_peek_frame *fr = frame;
  assert(fr != NULL);
  if (fr->op.state == AC__OP_PENDING)
    peek_finish(fr, AC_ECANCELED);
}

void ac_stream_consume(ac_stream *s, size_t n) {
  AC__DEBUG_USE(s, "ac_stream_consume");
  if (s == NULL)
    return;
  if (n > s->end - s->start)
    n = s->end - s->start;
  s->start += n;
}

size_t ac_stream_buffered(const ac_stream *s) {
  AC__DEBUG_USE(s, "ac_stream_buffered");
  return s != NULL ? s->end - s->start : 0;
}

int ac_stream_set_buffer_size(ac_stream *s, size_t size) {
  AC__DEBUG_USE(s, "ac_stream_set_buffer_size");
  if (s == NULL || size == 0 || size < s->end - s->start)
    return AC_EINVAL;
  if (s->reader != NULL)
    return AC_EBUSY;
  if (s->buf == NULL) {
    s->cap = size;
    return 0;
  }
  char *buf = ac__malloc(size);
  if (buf == NULL)
    return AC_ENOMEM;
  size_t n = s->end - s->start;
  memcpy(buf, s->buf + s->start, n);
  ac__free(s->buf);
  s->buf = buf;
  s->cap = size;
  s->pin = s->start = 0;
  s->end = n;
  return 0;
}
