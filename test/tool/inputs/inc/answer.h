/* answer.h -- found only through -I inc (test/tool/inputs/needs_flags.c). */
#ifndef ANSWER_H
#define ANSWER_H

#define ANSWER_OFFSET 0

#endif
