/* shutdown: stopping every task cleanly on ctrl-c (SIGINT).
 *
 * await(ac_signal(SIGINT)) suspends until the process receives SIGINT;
 * while it waits, the signal no longer ends the process.  main_async
 * starts the workers, waits for the signal, then cancels a token that
 * every worker watches, and joins them: each worker finishes its current
 * job and says goodbye, and the program exits with status 0.
 *
 * So that the sample runs unattended, a task plays the user and sends
 * SIGINT to the process after 50 ms.  Run it with a longer delay as an
 * argument (`shutdown 100000`) to press ctrl-c yourself. */
#include <asyncc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 3

/* Takes a job every 5 ms until `stop` is cancelled.  The cancel wakes
 * the worker while it waits for a job; it never interrupts a job. */
static async void worker(int id, ac_cancel_token *stop) {
  printf("worker %d: started\n", id);
  for (;;) {
    if (await(ac_race(ac_cancel_token_cancelled(stop), ac_sleep(5))) == 0)
      break; /* cancelled */
    /* ... one job would run here ... */
  }
}

/* Plays the user: presses ctrl-c after `ms` milliseconds. */
static async void press_ctrl_c(uint64_t ms) {
  await(ac_sleep(ms));
  printf("user: ctrl-c\n");
  raise(SIGINT);
}

static async int main_async(uint64_t delay_ms) {
  ac_cancel_token stop;
  ac_cancel_token_init(&stop);
  AC_TASK(void) workers[WORKERS];
  for (int i = 0; i < WORKERS; i++)
    workers[i] = ac_spawn_void(worker(i + 1, &stop));
  AC_TASK(void) user = ac_spawn_void(press_ctrl_c(delay_ms));

  int sig = await(ac_signal(SIGINT));
  if (sig < 0)
    printf("main: cannot wait for SIGINT: %s\n", ac_strerror(sig));
  else
    printf("main: got SIGINT, stopping the workers\n");
  ac_cancel_token_cancel(&stop);
  /* Workers wake in whatever order the cancel reaches them; joining in
   * order reports them in order. */
  for (int i = 0; i < WORKERS; i++) {
    await(ac_join_void(workers[i]));
    printf("worker %d: stopped cleanly\n", i + 1);
  }
  ac_task_abort(user); /* still asleep if a real user pressed ctrl-c */
  await(ac_join_void(user));
  ac_cancel_token_fini(&stop);
  printf("main: all workers stopped, exiting with status 0\n");
  return sig < 0;
}

int main(int argc, char **argv) {
  uint64_t delay_ms = argc > 1 ? strtoull(argv[1], NULL, 10) : 50;
  return ac_block_on(main_async(delay_ms));
}
