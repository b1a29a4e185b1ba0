#!/usr/bin/env bash
# Tests --emit=dot: Graphviz accepts the state graph of every async
# function, and the graph has one node per state.
. "$(dirname "$0")/lib.sh"

command -v dot >/dev/null || skip "Graphviz's dot is not installed"
for src in "$inputs/resume.c" "$AC_SOURCE/samples/hello/hello.c"; do
  name=$(basename "$src" .c)
  status 0 "$ASYNCC" --emit=dot "$src" -o "$name.dot"
  dot -Tsvg "$name.dot" -o "$name.svg" 2>dot.err ||
    { cat dot.err >&2; fail "dot rejects $name.dot"; }
  [ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about $name.dot"; }
  grep -q '<svg' "$name.svg" || fail "$name.svg is no SVG"
done
# resume.c: add_later has its await in a loop; main_async awaits add_later.
for state in ADD_LATER_START ADD_LATER_L9 ADD_LATER_DONE MAIN_ASYNC_L16; do
  grep -q "$state" resume.dot || fail "no state $state in resume.dot"
done
echo "PASS: $test_name"
