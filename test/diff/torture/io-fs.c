// Covers: files through ac_fs_*: create exclusively, write at the position and at offsets, read back at offsets and to the end, the errors of a missing file, an existing file, a bad descriptor and a closed one, and a write larger than one chunk.
#include <asyncc.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char big[AC_FS_CHUNK + 1000];

static async long copy_size(int fd) {
  char buf[4096];
  long total = 0;
  ptrdiff_t n;
  int64_t off = 0;
  while ((n = await(ac_fs_read(fd, buf, sizeof buf, off))) > 0) {
    total += n;
    off += n;
  }
  return n < 0 ? (long)n : total;
}

static async int files(const char *path) {
  int fd = await(ac_fs_open(path, O_RDWR | O_CREAT | O_EXCL, 0600));
  printf("open: %s\n", fd >= 0 ? "fd" : "error");
  if (fd < 0)
    return 1;
  printf("exclusive again: %d\n",
         await(ac_fs_open(path, O_RDWR | O_CREAT | O_EXCL, 0600)));
  printf("write: %d\n", (int)await(ac_fs_write(fd, "hello world", 11, -1)));
  printf("write at 6: %d\n", (int)await(ac_fs_write(fd, "async", 5, 6)));
  char buf[32] = {0};
  printf("read at 0: %d\n", (int)await(ac_fs_read(fd, buf, sizeof buf - 1, 0)));
  printf("text: %s\n", buf);
  printf("read past the end: %d\n", (int)await(ac_fs_read(fd, buf, 4, 100)));
  printf("read of 0 bytes: %d\n", (int)await(ac_fs_read(fd, NULL, 0, 0)));
  printf("null buffer: %d %d\n", (int)await(ac_fs_read(fd, NULL, 4, 0)),
         (int)await(ac_fs_write(fd, NULL, 4, 0)));

  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (char)('a' + i % 26);
  printf("big write: %d\n", (int)await(ac_fs_write(fd, big, sizeof big, 0)));
  printf("big read: %d (at most one chunk)\n",
         (int)await(ac_fs_read(fd, big, sizeof big, 0)));
  printf("size: %ld\n", await(copy_size(fd)));
  printf("close: %d\n", await(ac_fs_close(fd)));
  printf("close again: %d\n", await(ac_fs_close(fd)));
  printf("read closed: %d\n", (int)await(ac_fs_read(fd, buf, 4, 0)));
  printf("write to -1: %d\n", (int)await(ac_fs_write(-1, "x", 1, -1)));
  printf("unlink: %d\n", unlink(path));
  printf("missing: %d\n", await(ac_fs_open(path, O_RDONLY, 0)));
  printf("null path: %d\n", await(ac_fs_open(NULL, O_RDONLY, 0)));
  return 0;
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/asyncc-io-fs-%ld", (long)getpid());
  return ac_block_on(files(path));
}
