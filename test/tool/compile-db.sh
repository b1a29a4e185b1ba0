#!/usr/bin/env bash
# Tests -p: asyncc parses an input with the flags of its entry in
# compile_commands.json (here -D and -I), run in the entry's directory.
. "$(dirname "$0")/lib.sh"

mkdir -p build/objs
cat >build/compile_commands.json <<JSON
[
  {
    "directory": "$work/build",
    "arguments": ["cc", "-DANSWER=40", "-I", "$inputs/inc", "-O2", "-c",
      "$inputs/needs_flags.c", "-o", "objs/needs_flags.o"],
    "file": "$inputs/needs_flags.c"
  },
  {
    "directory": "$work/build",
    "command": "cc -I../other -c other.c -o objs/other.o",
    "file": "other.c"
  }
]
JSON

# Without the database the input does not parse.
status 1 "$ASYNCC" "$inputs/needs_flags.c" -o out.c
grep -q "ANSWER is not defined" stderr || fail "parsed without -p"

status 0 "$ASYNCC" -p build "$inputs/needs_flags.c" -o out.c
grep -q 'ANSWER + ANSWER_OFFSET' out.c || fail "unexpected output"
# Flags on the command line come after the database's and win.
status 1 "$ASYNCC" -p build -UANSWER "$inputs/needs_flags.c" -o out2.c

# A directory without a database.
mkdir empty
status 1 "$ASYNCC" -p empty "$inputs/needs_flags.c" -o out.c
grep -q "cannot read empty/compile_commands.json" stderr ||
  fail "no error for a missing database"
echo "PASS: $test_name"
