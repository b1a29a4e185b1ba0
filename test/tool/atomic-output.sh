#!/usr/bin/env bash
# Tests asyncc's exit statuses (0 done, 1 input errors, 2 usage errors) and
# that a failed run leaves an existing output, and the directory, untouched.
. "$(dirname "$0")/lib.sh"

# Success replaces the output and leaves no temporary file.
echo "old contents" >out.c
status 0 "$ASYNCC" "$inputs/resume.c" -o out.c -MF out.d
grep -q 'add_later_poll' out.c || fail "out.c was not replaced"
[ -s out.d ] || fail "no depfile"

# An input error: status 1, the previous output intact, no temporary file,
# no depfile.
cp out.c before.c
rm -f out.d
status 1 "$ASYNCC" "$inputs/refused.c" -o out.c -MF out.d
grep -q "refused.c:11:22: error: 'await' in the operand" stderr ||
  fail "no diagnostic for refused.c"
same before.c out.c "a failed run changed out.c"
[ ! -e out.d ] || fail "a failed run wrote the depfile"
[ ! -e fresh.c ] || fail "fresh.c exists already"
status 1 "$ASYNCC" "$inputs/refused.c" -o fresh.c
[ ! -e fresh.c ] || fail "a failed run created its output"

# A libclang error, a missing input, a directory as input, an unwritable
# output: status 1.
printf 'int f(void) { return 1 }\n' >syntax.c
status 1 "$ASYNCC" syntax.c -o out.c
grep -q "syntax.c:1:23: error: expected ';'" stderr ||
  fail "no diagnostic for syntax.c"
status 1 "$ASYNCC" missing.c -o out.c
grep -q "cannot open 'missing.c'" stderr || fail "no error for missing.c"
mkdir -p a-directory.c
status 1 "$ASYNCC" a-directory.c -o out.c
grep -q "'a-directory.c' is a directory" stderr ||
  fail "no error for a directory as input"
same before.c out.c "a failed run changed out.c"
status 1 "$ASYNCC" "$inputs/resume.c" -o no-such-dir/out.c
same before.c out.c "a failed run changed out.c"

# Of several inputs, a bad one is not written, and the status is 1.
mkdir -p dir
status 1 "$ASYNCC" "$inputs/resume.c" "$inputs/refused.c" -o dir
[ -s dir/resume.c ] && [ ! -e dir/refused.c ] ||
  fail "with a bad input among several, wrong outputs: $(ls dir)"

# Usage errors: status 2, and nothing written.
status 2 "$ASYNCC" "$inputs/resume.c"
grep -q "no output file" stderr || fail "no usage error for a missing -o"
status 2 "$ASYNCC" -o out.c
status 2 "$ASYNCC" --emit=pdf "$inputs/resume.c" -o out.c
grep -q "use --emit=c, dot, layout, svg or html" stderr ||
  fail "no usage error for an unknown --emit"
status 2 "$ASYNCC" "$inputs/resume.c" "$inputs/type_error.c" -o out.c
status 2 "$ASYNCC" "$inputs/resume.c" "$inputs/type_error.c" -o dir -MF d
status 2 "$ASYNCC" "$inputs/resume.c" -o
same before.c out.c "a usage error changed out.c"
status 0 "$ASYNCC" --help >/dev/null
status 0 "$ASYNCC" --version >/dev/null

leftovers=$(find . -name '*.tmp*')
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"
echo "PASS: $test_name"
