/* sync-view-tasks.c -- tasks, sync primitives and intervals in the sync
 * view: an asyncc source compiled without the transpiler and linked with
 * libasyncc_sync only (libasyncc defines the same functions, so this is a
 * program of its own, not part of runtime-tests).  Run by ctest as
 * runtime.sync_view_tasks; valgrind-clean, boxes included. */
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(e)                                                               \
  do {                                                                         \
    if (!(e)) {                                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #e);    \
      abort();                                                                 \
    }                                                                          \
  } while (0)

struct pair {
  int a, b;
};

static int calls;

static async int twice(int x) {
  calls++;
  return 2 * x;
}

static async struct pair make_pair(int a) {
  struct pair p = {a, a + 1};
  return p;
}

static async void bump(void) { calls++; }

static void *square(void *arg) {
  int *p = arg;
  *p *= *p;
  return p;
}

/* ac_spawn runs the call at once and boxes its value; handles work. */
static void test_tasks(void) {
  AC_TASK(int) h = ac_spawn(twice(21));
  CHECK(calls == 1);
  CHECK(ac_task_id(h) == 1);
  CHECK(strcmp(ac_task_name(h), "task") == 0);
  CHECK(ac_task_set_name(h, "doubler") == 0);
  CHECK(strcmp(ac_task_name(h), "doubler") == 0);
  CHECK(ac_task_abort(h) == 0);
  CHECK(ac_task_aborted(h) == 0);
  CHECK(ac_task_error(h) == 0);
  int r = await(ac_join(h));
  CHECK(r == 42);

  AC_TASK(struct pair) p = ac_spawn(make_pair(3));
  struct pair got = await(ac_join(p));
  CHECK(got.a == 3 && got.b == 4);
  CHECK(ac_task_id(p) == 2);

  AC_TASK(void) v = ac_spawn_void(bump());
  CHECK(calls == 2);
  await(ac_join_void(v));
  ac_task_detach(v); /* Frees the box at once. */

  AC_TASK(int) d = ac_spawn(twice(1));
  ac_task_detach(d);
  ac_spawn_detached(twice(2)); /* Runs, and leaves no box behind. */
  ac_spawn_detached(bump());
  CHECK(calls == 5);

  AC_TASK(int) e1 = ac_spawn(twice(4)), e2 = ac_spawn(twice(5));
  CHECK(await(ac_join(e1)) + await(ac_join(e2)) == 18);
  ac_task_detach(e1);
  ac_task_detach(e2);

  FILE *f = tmpfile();
  CHECK(f != NULL);
  ac_dump_tasks(f);
  rewind(f);
  char buf[512] = "";
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  CHECK(strstr(buf, "asyncc: 2 tasks\n") != NULL);
  CHECK(strstr(buf, "task 1 \"doubler\" finished\n") != NULL);
  CHECK(ac_dump_on_signal(1) == 0);
  CHECK(ac_task_abort(NULL) == AC_EINVAL);

  int x = 7;
  CHECK(await(ac_spawn_blocking(square, &x)) == &x && x == 49);
  CHECK(await(ac_spawn_blocking(NULL, &x)) == NULL);
}

/* Operations that can complete at once do, as in the runtime. */
static void test_sync(void) {
  ac_chan ch;
  CHECK(ac_chan_init(&ch, sizeof(int), 2) == 0);
  int v = 1, out = 0;
  CHECK(await(ac_chan_send(&ch, &v)) == 0);
  v = 2;
  CHECK(ac_chan_try_send(&ch, &v) == 0);
  CHECK(ac_chan_try_send(&ch, &v) == AC_EAGAIN);
  CHECK(ac_chan_len(&ch) == 2);
  ac_chan_close(&ch);
  CHECK(await(ac_chan_send(&ch, &v)) == AC_EPIPE);
  CHECK(await(ac_chan_recv(&ch, &out)) == 0 && out == 1);
  CHECK(await(ac_chan_recv(&ch, &out)) == 0 && out == 2);
  CHECK(await(ac_chan_recv(&ch, &out)) == AC_EOF);
  CHECK(ac_chan_fini(&ch) == 0);

  ac_oneshot os;
  CHECK(ac_oneshot_init(&os, 100) == 0); /* Not inline. */
  char big[100], back[100];
  memset(big, 'x', sizeof big);
  CHECK(ac_oneshot_send(&os, big) == 0);
  CHECK(ac_oneshot_send(&os, big) == AC_EINVAL);
  CHECK(await(ac_oneshot_recv(&os, back)) == 0);
  CHECK(memcmp(big, back, sizeof big) == 0);
  CHECK(await(ac_oneshot_recv(&os, back)) == AC_EPIPE);
  CHECK(ac_oneshot_fini(&os) == 0);

  ac_mutex m;
  ac_mutex_init(&m);
  await(ac_mutex_lock(&m));
  CHECK(ac_mutex_try_lock(&m) == AC_EBUSY);
  CHECK(ac_mutex_unlock(&m) == 0);
  CHECK(ac_mutex_unlock(&m) == AC_EINVAL);

  ac_sem s;
  ac_sem_init(&s, 3);
  await(ac_sem_acquire(&s, 2));
  CHECK(ac_sem_try_acquire(&s, 2) == AC_EAGAIN);
  ac_sem_release(&s, 2);
  CHECK(ac_sem_available(&s) == 3);

  ac_notify nt;
  ac_notify_init(&nt);
  ac_notify_all(&nt);
  ac_notify_one(&nt);
  await(ac_notify_wait(&nt));

  ac_event ev;
  ac_event_init(&ev);
  CHECK(!ac_event_is_set(&ev));
  ac_event_set(&ev);
  await(ac_event_wait(&ev));
  await(ac_event_wait(&ev)); /* It stays set. */
  ac_event_reset(&ev);
  CHECK(!ac_event_is_set(&ev));

  ac_mbox mb;
  ac_mbox_init(&mb);
  intptr_t got = 0;
  CHECK(ac_mbox_try_recv(&mb, &got) == AC_EAGAIN);
  CHECK(ac_mbox_send(&mb, 41) == 0);
  CHECK(ac_mbox_send(&mb, 42) == AC_EAGAIN);
  CHECK(await(ac_mbox_recv(&mb)) == 41);
  CHECK(ac_mbox_send(&mb, 43) == 0);
  CHECK(ac_mbox_try_recv(&mb, &got) == 0 && got == 43);
  CHECK(ac_mbox_send(NULL, 1) == AC_EINVAL);

  ac_cancel_token root, child, grandchild;
  ac_cancel_token_init(&root);
  CHECK(ac_cancel_token_init_child(&child, &root) == 0);
  CHECK(ac_cancel_token_init_child(&grandchild, &child) == 0);
  ac_cancel_token_cancel(&root);
  CHECK(ac_cancel_token_is_cancelled(&grandchild));
  await(ac_cancel_token_cancelled(&grandchild));
  CHECK(ac_cancel_token_fini(&grandchild) == 0);
  CHECK(ac_cancel_token_fini(&child) == 0);
  CHECK(ac_cancel_token_fini(&root) == 0);
}

static void test_interval(void) {
  ac_interval iv;
  CHECK(ac_interval_init(&iv, 0) == AC_EINVAL);
  CHECK(ac_interval_init(&iv, 2) == 0);
  uint64_t t0 = ac_now();
  CHECK(await(ac_interval_tick(&iv)) == 0);
  uint64_t k = await(ac_interval_tick(&iv));
  CHECK(k >= 1);
  CHECK(ac_now() >= t0 + 2 * k);
  ac_sleep(9);
  CHECK(await(ac_interval_tick(&iv)) >= k + 4); /* Skipped, no burst. */
}

/* An operation that would wait has nothing to wait for: exit status 70. */
static void test_would_wait_forever(void) {
  pid_t pid = fork();
  CHECK(pid != -1);
  if (pid == 0) {
    CHECK(freopen("/dev/null", "w", stderr) != NULL);
    ac_mutex m;
    ac_mutex_init(&m);
    await(ac_mutex_lock(&m));
    await(ac_mutex_lock(&m));
    _exit(0);
  }
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 70);
}

int main(void) {
  test_tasks();
  test_sync();
  test_interval();
  test_would_wait_forever();
  puts("ok");
  return 0;
}
