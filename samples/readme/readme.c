#include <asyncc.h>
#include <stdio.h>

static async int fetch_number(int x) {          /* an async function: calling it does nothing yet */
    await(ac_sleep(100));                 /* suspend until the timer fires */
    return x * 2;
}

static async int main_async(int argc, char **argv) {
    (void)argv;
    int n = await(fetch_number(21)) + argc;  /* await is an expression, usable anywhere */
    printf("%d\n", n);
    return 0;
}

int main(int argc, char **argv) {
    return ac_block_on(main_async(argc, argv));   /* run one async call to completion */
}
