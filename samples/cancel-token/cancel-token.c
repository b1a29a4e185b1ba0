/* cancel-token: asking tasks to stop, and letting them stop cleanly.
 *
 * ac_task_abort stops a task wherever it is.  A cancellation token instead
 * asks: the tasks that hold it decide where to stop, so they can finish
 * what they are doing and clean up.  A task either checks the token
 * between steps (ac_cancel_token_is_cancelled), or awaits
 * ac_cancel_token_cancelled(&t) in an ac_race against its work, which wakes
 * it as soon as the token is cancelled.
 *
 * Tokens form a tree: cancelling one cancels its children, never its
 * parent.  Here `all` has a child `downloads`: main first cancels only the
 * downloads, then everything. */
#include <asyncc.h>
#include <stdio.h>

/* Works in steps of 5 ms, checking the token between steps. */
static async void indexer(ac_cancel_token *tok) {
  while (!ac_cancel_token_is_cancelled(tok))
    await(ac_sleep(5)); /* one step of work; never interrupted */
  printf("indexer: saw the cancel between two steps, saving the index\n");
}

/* Waits for a download that takes a minute, unless cancelled first;
 * returns 1 if it completed, 0 if it was cancelled. */
static async int download(const char *name, ac_cancel_token *tok) {
  printf("%s: started\n", name);
  int which = await(ac_race(ac_cancel_token_cancelled(tok), ac_sleep(60000)));
  if (which == 0) {
    printf("%s: cancelled while waiting, deleting the partial file\n", name);
    return 0;
  }
  printf("%s: complete\n", name);
  return 1;
}

static async int main_async(void) {
  ac_cancel_token all, downloads;
  ac_cancel_token_init(&all);
  ac_cancel_token_init_child(&downloads, &all);

  AC_TASK(void) idx = ac_spawn_void(indexer(&all));
  AC_TASK(int) d1 = ac_spawn(download("download-1", &downloads));
  AC_TASK(int) d2 = ac_spawn(download("download-2", &downloads));

  await(ac_sleep(30));
  printf("main: cancelling the downloads\n");
  ac_cancel_token_cancel(&downloads);
  int done = await(ac_join(d1));
  done += await(ac_join(d2));
  printf("main: %d downloads completed\n", done);
  printf("main: is `all` cancelled too? %s\n",
         ac_cancel_token_is_cancelled(&all) ? "yes" : "no");

  await(ac_sleep(30));
  printf("main: cancelling everything\n");
  ac_cancel_token_cancel(&all);
  await(ac_join_void(idx));
  printf("main: everything has stopped\n");

  ac_cancel_token_fini(&downloads);
  ac_cancel_token_fini(&all);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
