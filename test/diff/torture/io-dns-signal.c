// Covers: getaddrinfo of a numeric host, of a name with numeric-only hints (no such name), both names NULL, dns_resolve of numeric addresses and its argument checks, a signal awaited while a timer raises it, invalid signals, and blocking work.
#define _POSIX_C_SOURCE 200809L
#include <asyncc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

static void *square(void *arg) {
  long *v = arg;
  *v *= *v;
  return v;
}

static async int lookups(void) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  struct addrinfo *res = NULL;
  int err = await(ac_getaddrinfo("127.0.0.1", "8080", &hints, &res));
  printf("numeric: %d", err);
  if (err == 0) {
    struct sockaddr_in *in = (struct sockaddr_in *)res->ai_addr;
    printf(" family %s port %d", res->ai_family == AF_INET ? "inet" : "other",
           ntohs(in->sin_port));
  }
  printf("\n");
  ac_freeaddrinfo(res);
  res = NULL;
  printf("not numeric: %d\n",
         await(ac_getaddrinfo("no-such-host.invalid", NULL, &hints, &res)));
  printf("no name: %d\n", await(ac_getaddrinfo(NULL, NULL, NULL, &res)));

  struct sockaddr_storage ss;
  printf("resolve ::1: %d", await(ac_dns_resolve("::1", 443, &ss)));
  printf(" family %s port %d\n", ss.ss_family == AF_INET6 ? "inet6" : "other",
         ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
  printf("resolve bad port: %d\n", await(ac_dns_resolve("::1", 70000, &ss)));
  printf("resolve null: %d\n", await(ac_dns_resolve(NULL, 1, &ss)));
  return 0;
}

static async int signals(void) {
  /* The timer raises SIGALRM while the signal is awaited. */
  struct itimerval t = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &t, NULL);
  printf("signal: %d\n", await(ac_signal(SIGALRM)));
  printf("invalid: %d %d %d\n", await(ac_signal(0)), await(ac_signal(SIGKILL)),
         await(ac_signal(SIGSTOP)));
  long v = 12;
  long *r = await(ac_spawn_blocking(square, &v));
  printf("blocking: %ld\n", *r);
  return 0;
}

static async int main_async(void) {
  int err = await(lookups());
  return err != 0 ? err : await(signals());
}

int main(void) { return ac_block_on(main_async()); }
