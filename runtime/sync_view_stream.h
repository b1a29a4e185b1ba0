/* sync_view_stream.h -- the sync view's stream, shared by
 * sync_view_stream.c and sync_view_process.c (whose pipes are streams). */
#ifndef ASYNCC_RUNTIME_SYNC_VIEW_STREAM_H
#define ASYNCC_RUNTIME_SYNC_VIEW_STREAM_H

#include <asyncc.h>

/* What a stream's descriptor is. */
enum { AC__SYNC_TCP, AC__SYNC_UNIX, AC__SYNC_PIPE };

/* A descriptor and a read buffer like the runtime's stream (runtime/
 * internal.h): buf[pin, start) was handed out, buf[start, end) is
 * unread. */
struct ac_stream {
  int fd;
  int kind;
  int err;  /* sticky: the end of the stream (1) or a read error */
  int shut; /* ac_stream_shutdown was called */
  char *buf;
  size_t cap, pin, start, end;
};

/* A stream over fd; NULL (and fd closed) when out of memory. */
ac_stream *ac__sync_stream_new(int fd, int kind);

#endif /* ASYNCC_RUNTIME_SYNC_VIEW_STREAM_H */
