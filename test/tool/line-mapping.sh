#!/usr/bin/env bash
# Tests #line: gcc reports an error inside a transformed async function at
# the original file and line; with --no-line, at the generated file.
. "$(dirname "$0")/lib.sh"

src=$inputs/type_error.c
line=$(line_of type-error "$src")
status 0 "$ASYNCC" "$src" -o out.c
status 1 "$AC_CC" -c -Werror=incompatible-pointer-types -I"$AC_INCLUDE" \
  out.c -o out.o
grep -q "^$src:$line:[0-9]*: error: .*incompatible pointer type" stderr ||
  { cat stderr >&2; fail "gcc does not report $src:$line"; }
# gcc quotes the original line, read through the #line file name.
grep -q 'long \*p = &total; /\* LINE:type-error \*/' stderr ||
  { cat stderr >&2; fail "gcc does not quote the original line"; }

status 0 "$ASYNCC" --no-line "$src" -o plain.c
status 1 "$AC_CC" -c -Werror=incompatible-pointer-types -I"$AC_INCLUDE" \
  plain.c -o plain.o
gen=$(grep -n 'long \*p = &fr->total;' plain.c | cut -d: -f1)
[ -n "$gen" ] || fail "plain.c has no rewritten line"
grep -q "^plain.c:$gen:[0-9]*: error: " stderr ||
  { cat stderr >&2; fail "with --no-line, gcc does not report plain.c:$gen"; }
grep -q '#line' plain.c && fail "--no-line output has #line directives"
echo "PASS: $test_name"
