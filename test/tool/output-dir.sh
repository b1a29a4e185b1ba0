#!/usr/bin/env bash
# Tests `-o directory` with several inputs: one output per input, named
# after it, the same as the input transpiled alone.
. "$(dirname "$0")/lib.sh"

mkdir out
status 0 "$ASYNCC" "$inputs/resume.c" "$inputs/type_error.c" -o out
[ "$(ls out | tr '\n' ' ')" = "resume.c type_error.c " ] ||
  fail "unexpected outputs: $(ls out)"
for f in resume.c type_error.c; do
  "$ASYNCC" "$inputs/$f" -o "out/alone-$f"
  sed "s|\"out/alone-$f\"|\"out/$f\"|" "out/alone-$f" >alone.c
  same "out/$f" alone.c "out/$f differs from $f transpiled alone"
done

# The directory may also be named with a trailing slash, and a single input
# with a directory as -o goes into it.
mkdir out2
status 0 "$ASYNCC" "$inputs/resume.c" -o out2/
[ -s out2/resume.c ] || fail "-o out2/ with one input wrote no out2/resume.c"

# The outputs build into one program with the runtime.
build prog out/resume.c
./prog >stdout || fail "the program built from out/ failed"
grep -qx 'doubled = 42' stdout || fail "wrong output: $(cat stdout)"
echo "PASS: $test_name"
