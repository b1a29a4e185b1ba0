/* test-dns.c -- getaddrinfo on the thread pool: lists, the first address,
 * errors, dropping pending lookups, out of memory.  Only numeric hosts and
 * "localhost" (from /etc/hosts): the tests need no network. */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "io-util.h"

struct dns_script {
  struct script s;
  struct addrinfo hints;
  struct addrinfo *res;
  struct sockaddr_storage addr;
  ac_listener *l;
  ac_stream *client, *server;
  int port;
  union {
    struct ac_getaddrinfo_frame gai;
    struct ac_dns_resolve_frame resolve;
    struct ac_tcp_connect_addr_frame connect;
  } sub;
  struct ac_listener_accept_frame accept;
};

static void run_dns(ac_poll_fn poll) {
  struct dns_script fr;
  memset(&fr, 0, sizeof fr);
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
}

static int port_of(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return ntohs(((const struct sockaddr_in *)sa)->sin_port);
  ASSERT_EQ(sa->sa_family, AF_INET6);
  return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

/* ---- lists --------------------------------------------------------------- */

static ac_poll numeric_poll(void *frame, ac_cx *cx) {
  struct dns_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->hints.ai_family = AF_INET;
  fr->hints.ai_socktype = SOCK_STREAM;
  fr->hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  AWAIT(&fr->s, cx, ac_getaddrinfo, fr->sub.gai, "127.0.0.1", "8080",
        &fr->hints, &fr->res);
  ASSERT_OK(fr->sub.gai.result);
  ASSERT_NOT_NULL(fr->res);
  ASSERT_EQ(fr->res->ai_family, AF_INET);
  ASSERT_EQ(port_of(fr->res->ai_addr), 8080);
  {
    const struct sockaddr_in *sin =
        (const struct sockaddr_in *)fr->res->ai_addr;
    ASSERT_EQ(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
  }
  ac_freeaddrinfo(fr->res);
  ac_freeaddrinfo(NULL);
  /* Not a number: no lookup can find it. */
  AWAIT(&fr->s, cx, ac_getaddrinfo, fr->sub.gai, "not.a.number", NULL,
        &fr->hints, &fr->res);
  ASSERT_EQ(fr->sub.gai.result, AC_EAI_NONAME);
  ASSERT_NULL(fr->res);
  SCRIPT_END(&fr->s);
}

TEST(dns_getaddrinfo_numeric) {
  run_dns(numeric_poll);
}

static ac_poll localhost_poll(void *frame, ac_cx *cx) {
  struct dns_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->hints.ai_family = AF_INET;
  fr->hints.ai_socktype = SOCK_STREAM;
  AWAIT(&fr->s, cx, ac_getaddrinfo, fr->sub.gai, "localhost", NULL, &fr->hints,
        &fr->res);
  ASSERT_OK(fr->sub.gai.result);
  ASSERT_NOT_NULL(fr->res);
  {
    const struct sockaddr_in *sin =
        (const struct sockaddr_in *)fr->res->ai_addr;
    ASSERT_EQ(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
  }
  ac_freeaddrinfo(fr->res);
  SCRIPT_END(&fr->s);
}

TEST(dns_getaddrinfo_localhost) {
  run_dns(localhost_poll);
}

static void dns_invalid_body(ac_cx *cx) {
  struct addrinfo *res = NULL;
  struct ac_getaddrinfo_frame g;
  ASSERT_EQ(POLL_NOW(cx, ac_getaddrinfo, g, NULL, NULL, NULL, &res), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_getaddrinfo, g, "localhost", NULL, NULL, NULL),
            AC_EINVAL);
  struct sockaddr_storage ss;
  struct ac_dns_resolve_frame r;
  ASSERT_EQ(POLL_NOW(cx, ac_dns_resolve, r, NULL, 80, &ss), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_dns_resolve, r, "localhost", 65536, &ss),
            AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_dns_resolve, r, "localhost", 80, NULL), AC_EINVAL);
  ASSERT_NULL(res);
  /* Finished futures stay ready; dropping them does nothing. */
  ASSERT_EQ(ac_dns_resolve_poll(&r, cx), AC_READY);
  ac_getaddrinfo_drop(&g);
  ac_dns_resolve_drop(&r);
}

TEST(dns_invalid_arguments) {
  run_in_block_on(dns_invalid_body);
}

/* ---- the first address, and connecting to it ----------------------------- */

static ac_poll resolve_connect_poll(void *frame, ac_cx *cx) {
  struct dns_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ASSERT_OK(ac_tcp_listen("127.0.0.1", 0, 16, &fr->l));
  fr->port = ac_listener_port(fr->l);
  AWAIT(&fr->s, cx, ac_dns_resolve, fr->sub.resolve, "127.0.0.1", fr->port,
        &fr->addr);
  ASSERT_OK(fr->sub.resolve.result);
  ASSERT_EQ(fr->addr.ss_family, AF_INET);
  ASSERT_EQ(port_of((struct sockaddr *)&fr->addr), fr->port);
  /* The listener completes the handshake before any accept. */
  AWAIT(&fr->s, cx, ac_tcp_connect_addr, fr->sub.connect,
        (struct sockaddr *)&fr->addr, &fr->client);
  ASSERT_OK(fr->sub.connect.result);
  AWAIT(&fr->s, cx, ac_listener_accept, fr->accept, fr->l, &fr->server);
  ASSERT_OK(fr->accept.result);
  ac_stream_close(fr->client);
  ac_stream_close(fr->server);
  ac_listener_close(fr->l);
  /* A name works too. */
  AWAIT(&fr->s, cx, ac_dns_resolve, fr->sub.resolve, "localhost", 443,
        &fr->addr);
  ASSERT_OK(fr->sub.resolve.result);
  ASSERT_EQ(port_of((struct sockaddr *)&fr->addr), 443);
  SCRIPT_END(&fr->s);
}

TEST(dns_resolve_then_connect) {
  run_dns(resolve_connect_poll);
}

/* ---- dropping pending lookups -------------------------------------------- */

/* Drops a lookup while the pool has it (cancelled, or its result freed
 * when it arrives) or once it has completed unseen (its result freed by
 * the drop); valgrind and ASan check that nothing leaks. */
static ac_poll drop_poll(void *frame, ac_cx *cx) {
  struct dns_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_getaddrinfo, fr->sub.gai, "localhost", "80", NULL, &fr->res);
  ac_getaddrinfo_drop(&fr->sub.gai);
  ac_getaddrinfo_drop(&fr->sub.gai);
  START(cx, ac_getaddrinfo, fr->sub.gai, "localhost", "80", NULL, &fr->res);
  WAIT_UNTIL(&fr->s, cx, !ac__test_dns_busy(&fr->sub.gai));
  ac_getaddrinfo_drop(&fr->sub.gai);
  ASSERT_NULL(fr->res);
  START(cx, ac_dns_resolve, fr->sub.resolve, "localhost", 80, &fr->addr);
  ac_dns_resolve_drop(&fr->sub.resolve);
  SCRIPT_END(&fr->s);
}

TEST(dns_drop_pending) {
  run_dns(drop_poll);
}

static ac_poll oom_poll(void *frame, ac_cx *cx) {
  struct dns_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_getaddrinfo, fr->sub.gai, "127.0.0.1", NULL, NULL,
                     &fr->res),
            AC_ENOMEM);
  ac__test_fail_alloc(0);
  ASSERT_EQ(
      POLL_NOW(cx, ac_dns_resolve, fr->sub.resolve, "127.0.0.1", 1, &fr->addr),
      AC_ENOMEM);
  AWAIT(&fr->s, cx, ac_dns_resolve, fr->sub.resolve, "127.0.0.1", 1, &fr->addr);
  ASSERT_OK(fr->sub.resolve.result);
  SCRIPT_END(&fr->s);
}

TEST(dns_oom) {
  run_dns(oom_poll);
}
