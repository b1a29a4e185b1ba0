// Covers: a small bytecode interpreter: switch inside a loop with awaits in cases, gotos, a stack array and an instruction pointer kept across awaits.
#include <asyncc.h>
#include <stdio.h>

enum op { PUSH, ADD, MUL, DUP, SWAP, JNZ, DEC, PRINT, HALT, CALL };

static async int slow_sq(int x) {
  await(ac_yield());
  return x * x;
}

static async int run(const int *code) {
  int stack[32];
  int sp = 0, ip = 0, executed = 0;
  for (;;) {
    executed++;
    switch (code[ip++]) {
    case PUSH:
      stack[sp++] = code[ip++];
      break;
    case ADD:
      sp--;
      stack[sp - 1] += stack[sp];
      break;
    case MUL: {
      int b = stack[--sp];
      await(ac_yield());
      stack[sp - 1] *= b;
      break;
    }
    case DUP:
      stack[sp] = stack[sp - 1];
      sp++;
      break;
    case SWAP: {
      int t = stack[sp - 1];
      stack[sp - 1] = stack[sp - 2];
      stack[sp - 2] = t;
      break;
    }
    case JNZ:
      if (stack[--sp] != 0) {
        ip = code[ip];
        continue;
      }
      ip++;
      break;
    case DEC:
      stack[sp - 1]--;
      break;
    case PRINT:
      printf("print %d (sp=%d)\n", stack[sp - 1], sp);
      break;
    case CALL:
      stack[sp - 1] = await(slow_sq(stack[sp - 1]));
      break;
    case HALT:
      goto done;
    default:
      printf("bad op\n");
      return -1;
    }
  }
done:
  printf("executed=%d\n", executed);
  return sp ? stack[sp - 1] : 0;
}

static async int main_async(void) {
  /* acc = 1; n = 5; loop: acc = acc * n + n^2; n--; while n */
  static const int prog[] = {PUSH, 1, PUSH, 5,          /* acc n */
                             DUP, CALL, SWAP, DUP,     /* 4: acc n^2 n n */
                             PUSH, 0, ADD, PRINT,      /* acc n^2 n n */
                             SWAP, PUSH, 0, ADD, SWAP, /* acc n^2 n n */
                             ADD, PUSH, 0, ADD, SWAP,  /* acc n^2 2n ... */
                             HALT};
  int r = await(run(prog));
  printf("r=%d\n", r);
  static const int prog2[] = {PUSH, 1, PUSH, 6, DUP, PRINT, SWAP, PUSH, 2, MUL, SWAP, DEC, DUP, JNZ, 4, HALT};
  printf("r2=%d\n", await(run(prog2)));
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
