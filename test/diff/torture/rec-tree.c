// Covers: recursion over heap-allocated binary trees (insert, sum, depth, free) where recursive awaits sit in conditions and expressions.
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  int key;
  struct node *l, *r;
};

static async struct node *insert(struct node *t, int key) {
  if (!t) {
    struct node *n = malloc(sizeof *n);
    n->key = key;
    n->l = n->r = NULL;
    await(ac_yield());
    return n;
  }
  if (key < t->key)
    t->l = await(insert(t->l, key));
  else
    t->r = await(insert(t->r, key));
  return t;
}

static async long sum(struct node *t) {
  if (!t)
    return 0;
  return t->key + await(sum(t->l)) + await(sum(t->r));
}

static async int depth(struct node *t) {
  if (!t)
    return 0;
  int a = await(depth(t->l));
  int b = await(depth(t->r));
  return 1 + (a > b ? a : b);
}

static async int contains(struct node *t, int key) {
  while (t) {
    if (t->key == key)
      return 1;
    t = key < t->key ? t->l : t->r;
    await(ac_yield());
  }
  return 0;
}

static async void walk(struct node *t, unsigned *h) {
  if (!t)
    return;
  await(walk(t->l, h));
  *h = *h * 31u + (unsigned)t->key;
  await(walk(t->r, h));
}

static async void release(struct node *t) {
  if (!t)
    return;
  await(release(t->l));
  await(release(t->r));
  free(t);
}

static async int main_async(void) {
  struct node *root = NULL;
  unsigned x = 12345;
  for (int i = 0; i < 200; i++) {
    x = x * 1103515245u + 12345u;
    root = await(insert(root, (int)(x >> 16) % 1000));
  }
  unsigned h = 7;
  await(walk(root, &h));
  printf("sum=%ld depth=%d h=%u\n", await(sum(root)), await(depth(root)), h);
  int hits = 0;
  for (int k = 0; k < 1000; k += 7)
    hits += await(contains(root, k));
  printf("hits=%d\n", hits);
  await(release(root));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
