#!/usr/bin/env bash
# Tests -MF: a make-style depfile whose target is the output and whose
# prerequisites are the input and every header it includes, which make
# reads, spaces in file names included.
. "$(dirname "$0")/lib.sh"

mkdir -p "src dir/inc"
cp "$inputs/needs_flags.c" "src dir/"
cp "$inputs/inc/answer.h" "src dir/inc/"
status 0 "$ASYNCC" -DANSWER=1 -I "src dir/inc" "src dir/needs_flags.c" \
  -o out.c -MF out.d
head -1 out.d | grep -qx 'out.c: \\' ||
  fail "the target is not out.c: $(head -1 out.d)"
for dep in 'src\ dir/needs_flags.c' 'src\ dir/inc/answer.h' '/asyncc.h'; do
  grep -qF "$dep" out.d || fail "out.d does not list $dep"
done

command -v make >/dev/null || skip "make is not installed"
printf 'out.c:\n\t@echo transpile\ninclude out.d\n' >Makefile
[ -z "$(make -s out.c)" ] || fail "make: out.c is out of date at once"
sleep 1
touch "src dir/inc/answer.h"
[ "$(make -s out.c)" = transpile ] ||
  fail "make: touching answer.h does not make out.c out of date"
echo "PASS: $test_name"
