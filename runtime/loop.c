/* loop.c -- the calling thread's libuv loop: opened when first needed,
 * closed when the outermost ac__block_on returns.
 *
 * The loop is embedded in the thread's executor, so opening it allocates
 * nothing.  Closing it when block_on returns (rather than at exit) means a
 * program that has finished its async work holds no handles, no epoll
 * descriptor and no runtime memory, which is what valgrind and the tests'
 * end-of-test check expect. */
#include "internal.h"

int ac__loop_open(struct ac__exec *ex) {
  if (ex->loop_open)
    return 0;
  int err = uv_loop_init(&ex->loop);
  if (err != 0)
    return err;
  ex->loop_open = 1;
  return 0;
}

struct ac__exec *ac__loop_here(void) {
  struct ac__exec *ex = ac__exec_current();
  return ex->running && ac__loop_open(ex) == 0 ? ex : NULL;
}

struct uv_loop_s *ac_uv_loop(void) {
  struct ac__exec *ex = ac__exec_current();
  return ac__loop_open(ex) == 0 ? &ex->loop : NULL;
}

struct handle_count {
  int open;
  int closing;
};

static void count_cb(uv_handle_t *h, void *arg) {
  struct handle_count *c = arg;
  if (uv_is_closing(h))
    c->closing++;
  else
    c->open++;
}

static struct handle_count count_handles(uv_loop_t *loop) {
  struct handle_count c = {0, 0};
  uv_walk(loop, count_cb, &c);
  return c;
}

/* Runs the loop without blocking until no handle is left closing, so every
 * pending close callback (which frees the handle's memory) has run.  Close
 * callbacks may close more handles, hence the loop.  Returns the number of
 * handles still open.
 *
 * With no handle left, requests may still be in flight: file and DNS
 * requests of dropped futures (fs.c, dns.c), whose runtime-owned records
 * their callbacks free.  Those always complete, so the loop runs until
 * they have. */
static int settle(uv_loop_t *loop) {
  for (;;) {
    struct handle_count c = count_handles(loop);
    if (c.closing == 0 && (c.open != 0 || !uv_loop_alive(loop)))
      return c.open;
    uv_run(loop, c.closing != 0 ? UV_RUN_NOWAIT : UV_RUN_DEFAULT);
  }
}

void ac__loop_close(struct ac__exec *ex) {
  if (!ex->loop_open)
    return;
  ac__timers_close(ex);
  /* An open handle belongs to someone who may still use it: keep the loop
   * (and the handle's memory) alive for the next block_on. */
  if (settle(&ex->loop) != 0)
    return;
  if (uv_loop_close(&ex->loop) == 0)
    ex->loop_open = 0;
}

int ac__test_loop_open(void) { return ac__exec_current()->loop_open; }

int ac__test_loop_handles(void) {
  struct ac__exec *ex = ac__exec_current();
  if (!ex->loop_open)
    return 0;
  struct handle_count c = count_handles(&ex->loop);
  return c.open + c.closing;
}
