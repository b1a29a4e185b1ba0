/* runner.c -- runs the runtime tests, each in its own process.
 *
 *   runtime-tests NAME     run test NAME (this is what ctest does)
 *   runtime-tests --list   print every test name
 *   runtime-tests          run every test, each in a forked child
 *
 * A test passes by returning; a failed ASSERT aborts.  SIGALRM ends a test
 * that runs longer than RUNTIME_TEST_TIMEOUT seconds (default 60). */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "task.h"
#include "test-list.h"

#define X(name) void test_##name(void);
TEST_LIST(X)
#undef X

struct test {
  const char *name;
  void (*fn)(void);
};

static const struct test tests[] = {
#define X(name) {#name, test_##name},
    TEST_LIST(X)
#undef X
};

#define NTESTS (sizeof tests / sizeof tests[0])

void test_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  abort();
}

static void on_alarm(int sig) {
  static const char msg[] = "test timed out\n";
  (void)sig;
  ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)n;
  _exit(2);
}

static unsigned timeout_seconds(void) {
  const char *s = getenv("RUNTIME_TEST_TIMEOUT");
  long v = s != NULL ? strtol(s, NULL, 10) : 0;
  return v > 0 ? (unsigned)v : 60;
}

static int run_one(const struct test *t) {
  signal(SIGALRM, on_alarm);
  alarm(timeout_seconds());
  t->fn();
  alarm(0);
  return 0;
}

/* Forks a child for `t` and reports its fate; returns 0 if it passed. */
static int run_forked(const struct test *t) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(run_one(t));
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    printf("not ok %s (could not run)\n", t->name);
    return 1;
  }
  int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  printf("%s %s\n", ok ? "ok" : "not ok", t->name);
  return !ok;
}

static int run_all(void) {
  int failed = 0;
  for (size_t i = 0; i < NTESTS; i++)
    failed += run_forked(&tests[i]);
  printf("%zu tests, %d failed\n", NTESTS, failed);
  return failed != 0;
}

int main(int argc, char **argv) {
  if (argc == 1)
    return run_all();
  if (strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < NTESTS; i++)
      puts(tests[i].name);
    return 0;
  }
  for (size_t i = 0; i < NTESTS; i++)
    if (strcmp(argv[1], tests[i].name) == 0)
      return run_one(&tests[i]);
  fprintf(stderr, "runtime-tests: no test named '%s'\n", argv[1]);
  return 1;
}
