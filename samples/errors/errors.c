/* errors: failures travel up a chain of awaits as negative AC_E* codes.
 *
 * asyncc adds no exceptions: an async function reports failure the way the
 * runtime does, by returning a negative AC_E* code (libuv's convention),
 * and each caller checks and passes it on.  await(f()) is an ordinary
 * value, so `if (err < 0) return err;` and `goto fail` cleanups work as in
 * any C function, across awaits too.  ac_strerror turns a code into text.
 *
 * The chain: main_async -> connect_service -> lookup_port -> parse_port. */
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pretend configuration, "name=port" per entry. */
static const char *const config[] = {
    "web=8080",
    "mail=25x", /* not a number */
    "db=0",     /* port 0: nothing listens there */
    "cache=6379",
};

/* Pretends to be slow I/O: one millisecond's sleep. */
static async void io_delay(void) { await(ac_sleep(1)); }

/* The port number in `text`, or AC_EINVAL if it is not one. */
static async int parse_port(const char *text) {
  await(io_delay());
  char *end;
  long port = strtol(text, &end, 10);
  if (end == text || *end != '\0' || port < 0 || port > 65535)
    return AC_EINVAL;
  return (int)port;
}

/* The port configured for `name`: a port number, AC_ENOENT if there is no
 * entry, or whatever parse_port reports. */
static async int lookup_port(const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < sizeof config / sizeof config[0]; i++) {
    await(io_delay());
    if (strncmp(config[i], name, len) == 0 && config[i][len] == '=')
      return await(parse_port(config[i] + len + 1)); /* passed on as is */
  }
  return AC_ENOENT;
}

/* "Connects" to `name`: 0 and a description in *out (malloc'd), or an
 * error.  Shows a cleanup that must run on every path, after awaits. */
static async int connect_service(const char *name, char **out) {
  int err;
  char *desc = malloc(64);
  if (desc == NULL)
    return AC_ENOMEM;

  int port = await(lookup_port(name));
  if (port < 0) {
    err = port; /* an error from further down: pass it up */
    goto fail;
  }
  if (port == 0) {
    err = AC_ECONNREFUSED; /* an error of this level */
    goto fail;
  }
  await(io_delay());
  snprintf(desc, 64, "%s on port %d", name, port);
  *out = desc;
  return 0;

fail:
  free(desc);
  return err;
}

static async int main_async(void) {
  static const char *const services[] = {"web", "mail", "ftp", "db", "cache"};
  int failures = 0;
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
    char *desc;
    int err = await(connect_service(services[i], &desc));
    if (err < 0) {
      printf("%-5s: error %d: %s\n", services[i], err, ac_strerror(err));
      failures++;
      continue;
    }
    printf("%-5s: connected to %s\n", services[i], desc);
    free(desc);
  }
  printf("%d of %zu services failed\n", failures,
         sizeof services / sizeof services[0]);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
