/* files.c -- the open-file cache: a hash table of files by path, and a
 * list of every file still open, cached or not, so that the server's end
 * closes them all. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

static size_t bucket(const char *path) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char *p = path; *p != '\0'; p++)
    h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
  return (size_t)(h % FILES_BUCKETS);
}

void files_init(struct files *fs) { memset(fs, 0, sizeof *fs); }

static void file_free(struct files *fs, struct file *f) {
  if (f->all_prev != NULL)
    f->all_prev->all_next = f->all_next;
  else
    fs->all = f->all_next;
  if (f->all_next != NULL)
    f->all_next->all_prev = f->all_prev;
  close(f->fd);
  free(f->path);
  free(f);
}

void files_fini(struct files *fs) {
  while (fs->all != NULL)
    file_free(fs, fs->all);
  files_init(fs);
}

struct file *files_find(struct files *fs, const char *path) {
  for (struct file *f = fs->buckets[bucket(path)]; f != NULL; f = f->next)
    if (strcmp(f->path, path) == 0)
      return f;
  return NULL;
}

void files_forget(struct files *fs, struct file *f) {
  if (!f->cached)
    return;
  for (struct file **p = &fs->buckets[bucket(f->path)]; *p != NULL;
       p = &(*p)->next) {
    if (*p == f) {
      *p = f->next;
      break;
    }
  }
  f->cached = 0;
  fs->count--;
  files_release(fs, f);
}

void files_release(struct files *fs, struct file *f) {
  if (--f->refs == 0)
    file_free(fs, f);
}

/* Makes room for one more: forgets the first file of the fullest bucket
 * that nobody is using. */
static void evict(struct files *fs) {
  for (size_t i = 0; i < FILES_BUCKETS && fs->count >= FILES_MAX; i++)
    for (struct file *f = fs->buckets[i]; f != NULL; f = f->next)
      if (f->refs == 1) {
        files_forget(fs, f);
        break;
      }
}

struct file *files_add(struct files *fs, const char *path, int fd,
                       uint64_t size, time_t mtime, dev_t dev, ino_t ino,
                       const char *type) {
  struct file *f = calloc(1, sizeof *f);
  char *copy = strdup(path);
  if (f == NULL || copy == NULL) {
    free(f);
    free(copy);
    close(fd);
    return NULL;
  }
  struct file *old = files_find(fs, path);
  if (old != NULL)
    files_forget(fs, old);
  if (fs->count >= FILES_MAX)
    evict(fs);
  *f = (struct file){.path = copy,
                     .fd = fd,
                     .size = size,
                     .mtime = mtime,
                     .dev = dev,
                     .ino = ino,
                     .type = type,
                     .refs = 2,
                     .cached = 1};
  http_date(mtime, f->last_modified);
  size_t b = bucket(path);
  f->next = fs->buckets[b];
  fs->buckets[b] = f;
  f->all_next = fs->all;
  if (fs->all != NULL)
    fs->all->all_prev = f;
  fs->all = f;
  fs->count++;
  return f;
}
