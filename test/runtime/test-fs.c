/* test-fs.c -- files on the thread pool: open, read, write, close, stat,
 * fstat, errors,
 * chunking, dropping pending futures, out of memory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io-util.h"

struct fs_script {
  struct script s;
  char path[64];
  int fd;
  unsigned char *data; /* a big payload, or NULL */
  size_t len;
  size_t got;
  unsigned char buf[64];
  union {
    struct ac_fs_open_frame open;
    struct ac_fs_read_frame read;
    struct ac_fs_write_frame write;
    struct ac_fs_close_frame close;
    struct ac_fs_stat_frame stat;
    struct ac_fs_fstat_frame fstat;
  } sub;
  struct stat st;
};

/* A fresh, empty temporary file's path. */
static void temp_path(char path[64]) {
  const char *dir = getenv("TMPDIR");
  if (dir == NULL || strlen(dir) > 40)
    dir = "/tmp";
  snprintf(path, 64, "%s/asyncc-fs-XXXXXX", dir);
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
}

static void fs_script_init(struct fs_script *fr) {
  memset(fr, 0, sizeof *fr);
  script_init(&fr->s);
  temp_path(fr->path);
  fr->fd = -1;
}

static void fs_script_fini(struct fs_script *fr) {
  unlink(fr->path);
  free(fr->data);
}

static void run_fs(ac_poll_fn poll) {
  struct fs_script fr;
  fs_script_init(&fr);
  ASSERT_OK(ac__block_on(&fr, poll, script_drop));
  ASSERT_EQ(fr.s.line, -1);
  ASSERT_LOOP_CLOSED();
  fs_script_fini(&fr);
}

static unsigned char pattern(size_t i) { return (unsigned char)(i % 251); }

static unsigned char *pattern_new(size_t len) {
  unsigned char *p = malloc(len);
  ASSERT_NOT_NULL(p);
  for (size_t i = 0; i < len; i++)
    p[i] = pattern(i);
  return p;
}

/* Open descriptors of this process. */
static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  ASSERT_NOT_NULL(d);
  int n = 0;
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

#define OPEN(fr, cx, flags)                                                    \
  do {                                                                         \
    AWAIT(&(fr)->s, cx, ac_fs_open, (fr)->sub.open, (fr)->path, flags, 0600);  \
    ASSERT_GE((fr)->sub.open.result, 0);                                       \
    (fr)->fd = (fr)->sub.open.result;                                          \
  } while (0)

#define CLOSE(fr, cx)                                                          \
  do {                                                                         \
    AWAIT(&(fr)->s, cx, ac_fs_close, (fr)->sub.close, (fr)->fd);               \
    ASSERT_OK((fr)->sub.close.result);                                         \
  } while (0)

/* ---- open, write, read, close -------------------------------------------- */

static ac_poll round_trip_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  OPEN(fr, cx, O_RDWR | O_TRUNC);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, fr->fd, "hello, file", 11, 0);
  ASSERT_EQ(fr->sub.write.result, 11);
  AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, fr->fd, fr->buf, sizeof fr->buf,
        0);
  ASSERT_EQ(fr->sub.read.result, 11);
  ASSERT_EQ(memcmp(fr->buf, "hello, file", 11), 0);
  AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, fr->fd, fr->buf, sizeof fr->buf,
        7);
  ASSERT_EQ(fr->sub.read.result, 4);
  ASSERT_EQ(memcmp(fr->buf, "file", 4), 0);
  /* At the end of the file. */
  AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, fr->fd, fr->buf, sizeof fr->buf,
        11);
  ASSERT_EQ(fr->sub.read.result, 0);
  CLOSE(fr, cx);
  /* The descriptor is gone. */
  AWAIT(&fr->s, cx, ac_fs_close, fr->sub.close, fr->fd);
  ASSERT_EQ(fr->sub.close.result, AC_EBADF);
  SCRIPT_END(&fr->s);
}

TEST(fs_write_read_close) {
  run_fs(round_trip_poll);
}

static ac_poll open_errors_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  AWAIT(&fr->s, cx, ac_fs_open, fr->sub.open, "/nonexistent-asyncc/file",
        O_RDONLY, 0);
  ASSERT_EQ(fr->sub.open.result, AC_ENOENT);
  AWAIT(&fr->s, cx, ac_fs_open, fr->sub.open, fr->path,
        O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_EQ(fr->sub.open.result, AC_EEXIST);
  SCRIPT_END(&fr->s);
}

TEST(fs_open_errors) {
  run_fs(open_errors_poll);
}

static void fs_invalid_body(ac_cx *cx) {
  struct ac_fs_open_frame o;
  ASSERT_EQ(POLL_NOW(cx, ac_fs_open, o, NULL, O_RDONLY, 0), AC_EINVAL);
  char b[4];
  struct ac_fs_read_frame r;
  ASSERT_EQ(POLL_NOW(cx, ac_fs_read, r, 0, NULL, 4, 0), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_read, r, 0, b, 0, 0), 0);
  struct ac_fs_write_frame w;
  ASSERT_EQ(POLL_NOW(cx, ac_fs_write, w, 1, NULL, 4, 0), AC_EINVAL);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_write, w, 1, b, 0, 0), 0);
  /* Finished futures stay ready; dropping them, or unpolled ones, does
   * nothing. */
  ASSERT_EQ(ac_fs_write_poll(&w, cx), AC_READY);
  ac_fs_open_drop(&o);
  ac_fs_read_drop(&r);
  ac_fs_write_drop(&w);
  struct ac_fs_close_frame c;
  ac_fs_close_init(&c, 1);
  ac_fs_close_drop(&c);
}

TEST(fs_invalid_arguments) {
  run_in_block_on(fs_invalid_body);
}

/* A bad descriptor is the system's error, from the pool thread. */
static ac_poll bad_fd_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, -1, fr->buf, sizeof fr->buf, 0);
  ASSERT_EQ(fr->sub.read.result, AC_EBADF);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, -1, "x", 1, -1);
  ASSERT_EQ(fr->sub.write.result, AC_EBADF);
  SCRIPT_END(&fr->s);
}

TEST(fs_bad_descriptor) {
  run_fs(bad_fd_poll);
}

/* ---- chunks -------------------------------------------------------------- */

#define LONG_LEN (3 * AC_FS_CHUNK + 17)

/* A write longer than a chunk writes everything, at the file position;
 * a read returns at most a chunk. */
static ac_poll chunks_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->data = pattern_new(LONG_LEN);
  OPEN(fr, cx, O_RDWR | O_TRUNC);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, fr->fd, fr->data, LONG_LEN, -1);
  ASSERT_EQ(fr->sub.write.result, LONG_LEN);
  memset(fr->data, 0, LONG_LEN);
  while (fr->got < LONG_LEN) {
    AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, fr->fd, fr->data + fr->got,
          LONG_LEN, (int64_t)fr->got);
    ASSERT_GT(fr->sub.read.result, 0);
    ASSERT_LE(fr->sub.read.result, AC_FS_CHUNK);
    fr->got += (size_t)fr->sub.read.result;
  }
  ASSERT_EQ(fr->got, LONG_LEN);
  for (size_t i = 0; i < LONG_LEN; i++)
    ASSERT_EQ(fr->data[i], pattern(i));
  CLOSE(fr, cx);
  {
    struct stat st;
    ASSERT_OK(stat(fr->path, &st));
    ASSERT_EQ(st.st_size, LONG_LEN);
  }
  SCRIPT_END(&fr->s);
}

TEST(fs_write_in_chunks) {
  run_fs(chunks_poll);
}

/* ---- dropping pending futures -------------------------------------------- */

/* Opens the file and drops the open while the pool has it (`wait` 0) or
 * once it has completed but before the frame sees it (`wait` 1); either
 * way no descriptor is left open once block_on has returned. */
struct drop_open {
  struct script s;
  struct fs_script *f;
  int wait;
  struct ac_fs_open_frame open;
};

static ac_poll drop_open_poll(void *frame, ac_cx *cx) {
  struct drop_open *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  START(cx, ac_fs_open, fr->open, fr->f->path, O_RDONLY, 0);
  if (fr->wait)
    WAIT_UNTIL(&fr->s, cx, !ac__test_fs_busy(&fr->open.op));
  ac_fs_open_drop(&fr->open);
  ac_fs_open_drop(&fr->open);
  SCRIPT_END(&fr->s);
}

static void drop_open(int wait) {
  struct fs_script f;
  fs_script_init(&f);
  run_fs(round_trip_poll); /* Opens the loop's descriptors once. */
  int before = count_fds();
  struct drop_open fr = {.f = &f, .wait = wait};
  script_init(&fr.s);
  ASSERT_OK(ac__block_on(&fr, drop_open_poll, script_drop));
  ASSERT_LOOP_CLOSED();
  ASSERT_EQ(count_fds(), before);
  fs_script_fini(&f);
}

TEST(fs_drop_open_in_flight) {
  drop_open(0);
}

TEST(fs_drop_open_completed) {
  drop_open(1);
}

/* A dropped read never writes into the caller's buffer afterwards: the
 * pool thread reads into the runtime's bounce buffer. */
static ac_poll drop_read_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->data = pattern_new(AC_FS_CHUNK);
  OPEN(fr, cx, O_RDWR | O_TRUNC);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, fr->fd, fr->data, AC_FS_CHUNK,
        0);
  ASSERT_EQ(fr->sub.write.result, AC_FS_CHUNK);
  memset(fr->data, 0xff, AC_FS_CHUNK); /* 0xff is not in the pattern. */
  START(cx, ac_fs_read, fr->sub.read, fr->fd, fr->data, AC_FS_CHUNK, 0);
  ac_fs_read_drop(&fr->sub.read);
  CLOSE(fr, cx);
  SCRIPT_END(&fr->s);
}

TEST(fs_drop_pending_read) {
  struct fs_script fr;
  fs_script_init(&fr);
  ASSERT_OK(ac__block_on(&fr, drop_read_poll, script_drop));
  ASSERT_LOOP_CLOSED(); /* So the dropped read has finished. */
  for (size_t i = 0; i < AC_FS_CHUNK; i++)
    ASSERT_EQ(fr.data[i], 0xff);
  fs_script_fini(&fr);
}

/* A write dropped after its first chunk: the file holds a prefix of the
 * data, even though the caller overwrote its buffer at once. */
static ac_poll drop_write_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  fr->data = pattern_new(LONG_LEN);
  OPEN(fr, cx, O_RDWR | O_TRUNC);
  START(cx, ac_fs_write, fr->sub.write, fr->fd, fr->data, LONG_LEN, 0);
  WAIT_UNTIL(&fr->s, cx, !ac__test_fs_busy(&fr->sub.write.op));
  /* The first chunk is written; the next one starts with this poll. */
  ASSERT_EQ(ac_fs_write_poll(&fr->sub.write, cx), AC_PENDING);
  ac_fs_write_drop(&fr->sub.write);
  memset(fr->data, 0xff, LONG_LEN);
  CLOSE(fr, cx);
  SCRIPT_END(&fr->s);
}

TEST(fs_drop_pending_write) {
  struct fs_script fr;
  fs_script_init(&fr);
  ASSERT_OK(ac__block_on(&fr, drop_write_poll, script_drop));
  ASSERT_LOOP_CLOSED();
  FILE *f = fopen(fr.path, "rb");
  ASSERT_NOT_NULL(f);
  size_t n = fread(fr.data, 1, LONG_LEN, f);
  fclose(f);
  ASSERT_GE(n, AC_FS_CHUNK);
  ASSERT_LE(n, 2 * AC_FS_CHUNK); /* The second chunk, if not cancelled. */
  for (size_t i = 0; i < n; i++)
    ASSERT_EQ(fr.data[i], pattern(i));
  fs_script_fini(&fr);
}

/* A dropped close still closes. */
static ac_poll drop_close_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  OPEN(fr, cx, O_RDONLY);
  START(cx, ac_fs_close, fr->sub.close, fr->fd);
  ac_fs_close_drop(&fr->sub.close);
  SCRIPT_END(&fr->s);
}

TEST(fs_drop_pending_close) {
  struct fs_script fr;
  fs_script_init(&fr);
  ASSERT_OK(ac__block_on(&fr, drop_close_poll, script_drop));
  ASSERT_LOOP_CLOSED();
  ASSERT_EQ(fcntl(fr.fd, F_GETFD), -1);
  ASSERT_EQ(errno, EBADF);
  fs_script_fini(&fr);
}

/* ---- out of memory ------------------------------------------------------- */

/* Each operation allocates one record: failing it fails the operation
 * with AC_ENOMEM, and nothing else changes. */
static ac_poll oom_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_open, fr->sub.open, fr->path, O_RDWR, 0),
            AC_ENOMEM);
  OPEN(fr, cx, O_RDWR);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_write, fr->sub.write, fr->fd, "abc", 3, 0),
            AC_ENOMEM);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, fr->fd, "abc", 3, 0);
  ASSERT_EQ(fr->sub.write.result, 3);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_read, fr->sub.read, fr->fd, fr->buf, 3, 0),
            AC_ENOMEM);
  AWAIT(&fr->s, cx, ac_fs_read, fr->sub.read, fr->fd, fr->buf, 3, 0);
  ASSERT_EQ(fr->sub.read.result, 3);
  ac__test_fail_alloc(0);
  ASSERT_EQ(POLL_NOW(cx, ac_fs_close, fr->sub.close, fr->fd), AC_ENOMEM);
  CLOSE(fr, cx);
  SCRIPT_END(&fr->s);
}

TEST(fs_oom_each_operation) {
  run_fs(oom_poll);
}

/* ---- stat and fstat ------------------------------------------------------ */

static ac_poll stat_poll(void *frame, ac_cx *cx) {
  struct fs_script *fr = frame;
  SCRIPT_BEGIN(&fr->s);
  OPEN(fr, cx, O_RDWR | O_TRUNC);
  AWAIT(&fr->s, cx, ac_fs_write, fr->sub.write, fr->fd, "twelve bytes", 12, 0);
  AWAIT(&fr->s, cx, ac_fs_stat, fr->sub.stat, fr->path, &fr->st);
  ASSERT_OK(fr->sub.stat.result);
  ASSERT(S_ISREG(fr->st.st_mode));
  ASSERT_EQ(fr->st.st_size, 12);
  {
    struct stat want;
    ASSERT_OK(stat(fr->path, &want));
    ASSERT_EQ(fr->st.st_ino, want.st_ino);
    ASSERT_EQ(fr->st.st_mode, want.st_mode);
    ASSERT_EQ(fr->st.st_mtim.tv_sec, want.st_mtim.tv_sec);
    ASSERT_EQ(fr->st.st_mtim.tv_nsec, want.st_mtim.tv_nsec);
  }
  memset(&fr->st, 0, sizeof fr->st);
  AWAIT(&fr->s, cx, ac_fs_fstat, fr->sub.fstat, fr->fd, &fr->st);
  ASSERT_OK(fr->sub.fstat.result);
  ASSERT_EQ(fr->st.st_size, 12);
  CLOSE(fr, cx);
  AWAIT(&fr->s, cx, ac_fs_fstat, fr->sub.fstat, fr->fd, &fr->st);
  ASSERT_EQ(fr->sub.fstat.result, AC_EBADF);
  AWAIT(&fr->s, cx, ac_fs_stat, fr->sub.stat, "/nonexistent/asyncc", &fr->st);
  ASSERT_EQ(fr->sub.stat.result, AC_ENOENT);
  AWAIT(&fr->s, cx, ac_fs_stat, fr->sub.stat, "/", &fr->st);
  ASSERT(S_ISDIR(fr->st.st_mode));
  AWAIT(&fr->s, cx, ac_fs_stat, fr->sub.stat, NULL, &fr->st);
  ASSERT_EQ(fr->sub.stat.result, AC_EINVAL);
  AWAIT(&fr->s, cx, ac_fs_fstat, fr->sub.fstat, 0, NULL);
  ASSERT_EQ(fr->sub.fstat.result, AC_EINVAL);
  /* A dropped stat never writes the caller's struct. */
  START(cx, ac_fs_stat, fr->sub.stat, fr->path, &fr->st);
  ac_fs_stat_drop(&fr->sub.stat);
  ac_fs_stat_drop(&fr->sub.stat);
  SCRIPT_END(&fr->s);
}

TEST(fs_stat_and_fstat) {
  run_fs(stat_poll);
}
