/* test-signal.c -- ac_signal: delivery, several waiters, drop, errors, out
 * of memory.  The tests signal their own process. */
#include <signal.h>
#include <string.h>

#include "io-util.h"

struct sig_script {
  struct script s;
  struct ac_signal_frame a, b;
};

static void run_sig(ac_poll_fn poll) {
  struct sig_script fr;
  memset(&fr, 0, sizeof fr);
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
}

/* Whether `sig` has its default action. */
static int is_default(int sig) {
  struct sigaction sa;
  ASSERT_OK(sigaction(sig, NULL, &sa));
  return sa.sa_handler == SIG_DFL;
}

/* await(ac_signal(SIGINT)) catches a ctrl-c: the process survives it. */
static ac_poll sigint_poll(void *frame, ac_cx *cx) {
  struct sig_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ASSERT(is_default(SIGINT));
  START(cx, ac_signal, fr->a, SIGINT);
  ASSERT(!is_default(SIGINT));
  ASSERT_OK(raise(SIGINT));
  RESUME(&fr->s, cx, ac_signal, fr->a);
  ASSERT_EQ(fr->a.result, SIGINT);
  ASSERT(is_default(SIGINT)); /* Restored once nobody waits. */
  ASSERT_EQ(ac_signal_poll(&fr->a, cx), AC_READY);
  ac_signal_drop(&fr->a); /* Finished: nothing to do. */
  SCRIPT_END(&fr->s);
}

TEST(signal_sigint_delivered) {
  run_sig(sigint_poll);
}

/* Every future waiting for the signal completes; signals repeated before
 * the poll count as one. */
static ac_poll two_waiters_poll(void *frame, ac_cx *cx) {
  struct sig_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_signal, fr->a, SIGUSR2);
  START(cx, ac_signal, fr->b, SIGUSR2);
  ASSERT_OK(raise(SIGUSR2));
  ASSERT_OK(raise(SIGUSR2));
  RESUME(&fr->s, cx, ac_signal, fr->a);
  ASSERT_EQ(fr->a.result, SIGUSR2);
  ASSERT(!is_default(SIGUSR2)); /* b still waits. */
  RESUME(&fr->s, cx, ac_signal, fr->b);
  ASSERT_EQ(fr->b.result, SIGUSR2);
  ASSERT(is_default(SIGUSR2));
  SCRIPT_END(&fr->s);
}

TEST(signal_every_waiter_completes) {
  run_sig(two_waiters_poll);
}

/* Dropping a pending signal future closes its handle at once. */
static ac_poll drop_poll(void *frame, ac_cx *cx) {
  struct sig_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_signal, fr->a, SIGHUP);
  ASSERT(!is_default(SIGHUP));
  ac_signal_drop(&fr->a);
  ac_signal_drop(&fr->a);
  ASSERT(is_default(SIGHUP));
  ASSERT_EQ(ac__test_loop_handles(), 1); /* Closing, freed by block_on. */
  SCRIPT_END(&fr->s);
}

TEST(signal_drop_pending) {
  run_sig(drop_poll);
}

static void invalid_body(ac_cx *cx) {
  struct ac_signal_frame f;
  ASSERT_EQ(POLL_NOW(cx, ac_signal, f, 0), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_signal, f, -1), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_signal, f, 4096), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_signal, f, SIGKILL), AC_EINVAL);
  ac_signal_init(&f, SIGUSR2);
  ac_signal_drop(&f); /* Never polled: nothing to do. */
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_signal, f, SIGUSR2), AC_ENOMEM);
}

TEST(signal_errors) {
  run_in_block_on(invalid_body);
}
