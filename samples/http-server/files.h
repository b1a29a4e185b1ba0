/* files.h -- the open-file cache: descriptors and status of the files
 * served, by path, so that a file served again costs no open(2) and no
 * stat(2) (nginx's open_file_cache).  Plain C; http-server.c does the
 * awaiting (opening, and checking an entry again once it is a second
 * old). */
#ifndef HTTP_SERVER_FILES_H
#define HTTP_SERVER_FILES_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "http.h"

struct file {
  struct file *next;                /* hash chain, while cached */
  struct file *all_prev, *all_next; /* every file not yet freed */
  char *path;                       /* below the root, decoded */
  int fd;
  uint64_t size;
  time_t mtime;
  dev_t dev;
  ino_t ino;
  const char *type;                   /* Content-Type */
  char last_modified[HTTP_DATE_SIZE]; /* mtime as an HTTP date */
  uint64_t checked; /* ac_now() of the last check against the disk */
  int refs;         /* the cache's, and one per response using it */
  int cached;       /* in the hash table */
};

#define FILES_BUCKETS 256
#define FILES_MAX 1024 /* files kept open at most */

struct files {
  struct file *buckets[FILES_BUCKETS];
  struct file *all;
  size_t count; /* cached */
};

void files_init(struct files *fs);
/* Closes and frees every file, in use or not (the server's end). */
void files_fini(struct files *fs);
/* The cached file of path, or NULL; the caller takes a reference. */
struct file *files_find(struct files *fs, const char *path);
/* A new file open as fd, cached (with a reference for the caller), or
 * NULL when out of memory (fd is then closed).  A file cached under the
 * same path leaves the cache; past FILES_MAX files, another one does. */
struct file *files_add(struct files *fs, const char *path, int fd,
                       uint64_t size, time_t mtime, dev_t dev, ino_t ino,
                       const char *type);
/* Takes f out of the cache (it stays valid for its users). */
void files_forget(struct files *fs, struct file *f);
/* Drops a reference; the last one closes and frees the file. */
void files_release(struct files *fs, struct file *f);

#endif /* HTTP_SERVER_FILES_H */
