#!/usr/bin/env python3
"""Checks that the code a page shows from the samples is the samples' code.

A page includes a sample by path: a line

  <!-- from samples/mini-redis/mini-redis.c -->

right before a fenced code block says that the block is an excerpt of
that file, and the block's lines must appear in the file, in order and
contiguous, exactly.  So the page cannot drift from the code ctest runs.
Prints every excerpt that does not match and exits 1 if there is one.

  check-excerpts.py SOURCE_DIR PAGE.md...
"""
import os
import re
import sys

MARK = re.compile(r"^<!-- from (\S+) -->$")


def excerpts(page):
    """(line number, path, block lines) of every marked block of page."""
    lines = open(page, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        m = MARK.match(line)
        if not m:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            yield i + 1, m.group(1), None
            continue
        end = i + 2
        while end < len(lines) and lines[end] != "```":
            end += 1
        yield i + 1, m.group(1), lines[i + 2:end]


def contains(text_lines, block):
    n = len(block)
    return any(text_lines[i:i + n] == block
               for i in range(len(text_lines) - n + 1))


def main(source_dir, pages):
    bad = count = 0
    for page in pages:
        for line, path, block in excerpts(page):
            count += 1
            where = "%s:%d" % (page, line)
            full = os.path.join(source_dir, path)
            if block is None:
                print("%s: the mark is not followed by a code block" % where)
                bad += 1
            elif not os.path.exists(full):
                print("%s: %s does not exist" % (where, path))
                bad += 1
            elif not block or not contains(
                    open(full, encoding="utf-8").read().split("\n"), block):
                print("%s: the excerpt is not in %s as it stands" % (where, path))
                bad += 1
    print("%d excerpts, %d not matching their file" % (count, bad))
    return 1 if bad or count == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
