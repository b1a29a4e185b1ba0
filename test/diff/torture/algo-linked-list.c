// Covers: a malloc'd linked list built, traversed, filtered and freed with awaits inside traversal loops and pointer-chasing conditions.
#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

struct item {
  int v;
  struct item *next;
};

static async int val(int x) {
  await(ac_yield());
  return x;
}

static async struct item *push(struct item *head, int v) {
  struct item *n = malloc(sizeof *n);
  n->v = await(val(v));
  n->next = head;
  return n;
}

static async struct item *drop_odd(struct item *head) {
  struct item **pp = &head;
  while (*pp) {
    if (await(val((*pp)->v)) % 2) {
      struct item *dead = *pp;
      *pp = dead->next;
      free(dead);
    } else {
      pp = &(*pp)->next;
    }
  }
  return head;
}

static async int main_async(void) {
  struct item *head = NULL;
  for (int i = 0; i < 20; i++)
    head = await(push(head, i * 7 % 13));
  int n = 0;
  long s = 0;
  for (struct item *p = head; p; p = p->next) {
    s = s * 3 + await(val(p->v));
    n++;
  }
  printf("n=%d s=%ld\n", n, s);
  head = await(drop_odd(head));
  for (struct item *p = head; p != NULL; p = p->next)
    printf("%d ", await(val(p->v)));
  printf("\n");
  while (head) {
    struct item *next = head->next;
    await(ac_yield());
    free(head);
    head = next;
  }
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
