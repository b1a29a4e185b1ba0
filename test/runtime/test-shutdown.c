/* test-shutdown.c -- ac_shutdown_on_signal: tasks that finish when the
 * token is cancelled, tasks that do not and are cancelled at the end of
 * the grace period (their cleanup hooks run), a scope that ends before
 * any signal, and a shutdown dropped while it waits. */
#include <signal.h>
#include <string.h>

#include "co.h"
#include "io-util.h"

static int finished; /* workers that returned */
static int cleaned;  /* cleanup hooks run: workers cancelled */

static void count_cleanup(void *arg) {
  (void)arg;
  cleaned++;
}

/* async void worker(token, obey): with `obey`, returns once the token is
 * cancelled; without, sleeps for an hour.  A cleanup hook counts its
 * cancellation. */
struct worker_frame {
  struct co co;
  ac_cancel_token *stop;
  int obey;
  struct ac_cleanup hook;
  union {
    struct ac_cancel_token_cancelled_frame cancelled;
    struct ac_sleep_frame sleep;
  } sub;
};

static ac_poll worker_poll(void *frame, ac_cx *cx) {
  struct worker_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ASSERT_OK(ac_cleanup_push(&fr->hook, count_cleanup, NULL));
  if (fr->obey) {
    ac_cancel_token_cancelled_init(&fr->sub.cancelled, fr->stop);
    CO_AWAIT(&fr->co, &fr->sub.cancelled, ac_cancel_token_cancelled_poll,
             ac_cancel_token_cancelled_drop);
  } else {
    ac_sleep_init(&fr->sub.sleep, 3600 * 1000);
    CO_AWAIT(&fr->co, &fr->sub.sleep, ac_sleep_poll, ac_sleep_drop);
  }
  ac_cleanup_pop(&fr->hook, 0);
  finished++;
  CO_END(&fr->co);
}

static void worker_drop(void *frame) {
  co_drop(&((struct worker_frame *)frame)->co);
}

static ac_task *spawn_worker(ac_cancel_token *stop, int obey) {
  struct worker_frame proto = {.stop = stop, .obey = obey};
  return co_spawn(&proto, sizeof proto, worker_poll, worker_drop, 0, 0,
                  "worker", NULL);
}

/* The root: opens the scope, starts `obeying` + `deaf` workers, raises
 * `signum` (0: none) once the shutdown waits, and awaits the shutdown. */
struct root_frame {
  struct co co;
  ac_scope s;
  ac_cancel_token stop;
  int obeying, deaf, signum;
  int cancelled; /* the token was cancelled when the shutdown ended */
  uint64_t grace;
  struct ac_yield_frame y;
  struct ac_shutdown_on_signal_frame shutdown;
};

static ac_poll root_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_cancel_token_init(&fr->stop);
  ASSERT_OK(ac_scope_init(&fr->s));
  for (int i = 0; i < fr->obeying; i++)
    ASSERT_OK(ac_scope_add(&fr->s, spawn_worker(&fr->stop, 1)));
  for (int i = 0; i < fr->deaf; i++)
    ASSERT_OK(ac_scope_add(&fr->s, spawn_worker(&fr->stop, 0)));
  ac_yield_init(&fr->y); /* The workers start. */
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  ac_shutdown_on_signal_init(&fr->shutdown, &fr->s, &fr->stop, fr->grace);
  if (fr->signum != 0) {
    ASSERT_EQ(ac_shutdown_on_signal_poll(&fr->shutdown, cx), AC_PENDING);
    raise(fr->signum); /* Caught: the process goes on. */
  }
  CO_AWAIT(&fr->co, &fr->shutdown, ac_shutdown_on_signal_poll,
           ac_shutdown_on_signal_drop);
  fr->cancelled = ac_cancel_token_is_cancelled(&fr->stop);
  ASSERT_OK(ac_cancel_token_fini(&fr->stop));
  CO_END(&fr->co);
}

static void root_drop(void *frame) {
  co_drop(&((struct root_frame *)frame)->co);
}

static void run_root(struct root_frame *fr) {
  finished = cleaned = 0;
  ASSERT_OK(ac__block_on(fr, root_poll, root_drop));
  ASSERT_LOOP_CLOSED();
}

/* The default action is back once the shutdown is over. */
static void assert_default_action(int signum) {
  struct sigaction sa;
  ASSERT_OK(sigaction(signum, NULL, &sa));
  ASSERT(sa.sa_handler == SIG_DFL);
}

TEST(shutdown_tasks_finish_on_token) {
  struct root_frame fr = {.obeying = 3, .signum = SIGINT, .grace = 60000};
  run_root(&fr);
  ASSERT_EQ(fr.shutdown.result, SIGINT);
  ASSERT_EQ(finished, 3);
  ASSERT_EQ(cleaned, 0);
  ASSERT(fr.cancelled);
  assert_default_action(SIGINT);
  assert_default_action(SIGTERM);
}

/* Deaf workers outlive the grace period and are cancelled; the obeying
 * one finished in time. */
TEST(shutdown_grace_period_cancels_the_rest) {
  struct root_frame fr = {
      .obeying = 1, .deaf = 2, .signum = SIGTERM, .grace = 20};
  run_root(&fr);
  ASSERT_EQ(fr.shutdown.result, SIGTERM);
  ASSERT_EQ(finished, 1);
  ASSERT_EQ(cleaned, 2);
  assert_default_action(SIGTERM);
}

/* No task left: the shutdown completes with 0 without a signal. */
TEST(shutdown_scope_ends_first) {
  struct root_frame fr = {.grace = 10};
  run_root(&fr);
  ASSERT_EQ(fr.shutdown.result, 0);
  ASSERT(!fr.cancelled);
  assert_default_action(SIGINT);
}

/* Dropping the shutdown (the block_on's end) cancels the scope. */
static ac_poll dropped_poll(void *frame, ac_cx *cx) {
  struct root_frame *fr = frame;
  CO_BEGIN(&fr->co);
  ac_cancel_token_init(&fr->stop);
  ASSERT_OK(ac_scope_init(&fr->s));
  ASSERT_OK(ac_scope_add(&fr->s, spawn_worker(&fr->stop, 0)));
  ac_yield_init(&fr->y);
  CO_AWAIT(&fr->co, &fr->y, ac_yield_poll, ac_yield_drop);
  ac_shutdown_on_signal_init(&fr->shutdown, &fr->s, &fr->stop, 10);
  ASSERT_EQ(ac_shutdown_on_signal_poll(&fr->shutdown, cx), AC_PENDING);
  ac_shutdown_on_signal_drop(&fr->shutdown);
  ASSERT_EQ(cleaned, 1);
  ac_shutdown_on_signal_drop(&fr->shutdown); /* Twice is harmless. */
  ASSERT_OK(ac_cancel_token_fini(&fr->stop));
  CO_END(&fr->co);
}

TEST(shutdown_drop_cancels_scope) {
  struct root_frame fr = {.obeying = 0};
  finished = cleaned = 0;
  ASSERT_OK(ac__block_on(&fr, dropped_poll, root_drop));
  ASSERT_LOOP_CLOSED();
  ASSERT_EQ(finished, 0);
  assert_default_action(SIGINT);
}

static void invalid_body(ac_cx *cx) {
  struct ac_shutdown_on_signal_frame fr;
  ac_shutdown_on_signal_init(&fr, NULL, NULL, 0);
  ASSERT_EQ(ac_shutdown_on_signal_poll(&fr, cx), AC_READY);
  ASSERT_EQ(fr.result, AC_EINVAL);
  ac_shutdown_on_signal_drop(&fr);
}

TEST(shutdown_invalid_arguments) {
  run_in_block_on(invalid_body);
}
