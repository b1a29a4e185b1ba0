/* needs_flags.c -- parses only with -DANSWER=... and -I inc, the flags its
 * compile command in a compile_commands.json gives (test/tool/compile-db.sh,
 * depfile.sh). */
#include <asyncc.h>

#include "answer.h"

#ifndef ANSWER
#error "ANSWER is not defined: the compile command was not used"
#endif

async int answer(void) {
  await(ac_yield());
  return ANSWER + ANSWER_OFFSET;
}
