#!/usr/bin/env bash
# Tests that asyncc's output depends on its input alone: the same bytes on
# every run, in every emit mode, and for every output path once the path
# itself (named by #line directives) is set aside.
. "$(dirname "$0")/lib.sh"

cp "$inputs/resume.c" "$inputs/type_error.c" .
for src in resume.c type_error.c; do
  for emit in c dot layout svg html; do
    "$ASYNCC" --emit=$emit "$src" -o out
    mv out first.out
    "$ASYNCC" --emit=$emit "$src" -o out
    same first.out out "$src --emit=$emit: two runs differ"
  done

  # Another output path: with --no-line the bytes are the same; with #line
  # they differ only where they name the output file.
  mkdir -p sub
  "$ASYNCC" --no-line "$src" -o a.c
  "$ASYNCC" --no-line "$src" -o sub/b.c
  same a.c sub/b.c "$src --no-line: output depends on the output path"
  "$ASYNCC" --emit=html "$src" -o a.html
  "$ASYNCC" --emit=html "$src" -o sub/b.html
  same a.html sub/b.html "$src --emit=html: page depends on the output path"
  "$ASYNCC" "$src" -o a.c
  "$ASYNCC" "$src" -o sub/b.c
  "$ASYNCC" "$src" -o - >stdout.c
  grep -q '#line [0-9]* "a.c"' a.c || fail "a.c names no output line"
  sed 's|"sub/b.c"|"a.c"|' sub/b.c >b-renamed.c
  same a.c b-renamed.c "$src: outputs differ beyond the output path"
  sed 's|"<stdout>"|"a.c"|' stdout.c >stdout-renamed.c
  same a.c stdout-renamed.c "$src: -o - differs beyond the output path"
done
echo "PASS: $test_name"
