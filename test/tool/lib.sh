# lib.sh -- shared by the tool-level tests (test/tool/*.sh), sourced first.
#
# ctest passes the build's paths in the environment (test/tool/CMakeLists.txt):
#   ASYNCC      the asyncc tool
#   AC_SOURCE   asyncc's source tree
#   AC_INCLUDE  asyncc's include directory
#   AC_RT       libasyncc.a
#   AC_LIBS     libuv's link flags
#   AC_CC       the C compiler
#   AC_SANFLAGS the build's sanitizer flags (empty without ASYNCC_SANITIZE)
#   TOOL_WORK   a directory for the tests' scratch files
# Each test gets an empty directory $work, and runs there.
set -euo pipefail

for var in ASYNCC AC_SOURCE AC_INCLUDE AC_RT AC_CC TOOL_WORK; do
  if [ -z "${!var:-}" ]; then
    echo "$0: $var is not set (run the test through ctest)" >&2
    exit 2
  fi
done
AC_LIBS=${AC_LIBS:-}
AC_SANFLAGS=${AC_SANFLAGS:-}
inputs=$(cd "$(dirname "${BASH_SOURCE[0]}")/inputs" && pwd)
test_name=$(basename "$0" .sh)
work=$TOOL_WORK/$test_name
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() {
  echo "FAIL: $test_name: $*" >&2
  exit 1
}

# skip <reason>: ctest reports the test as skipped (SKIP_RETURN_CODE 77).
skip() {
  echo "SKIP: $test_name: $*"
  exit 77
}

# status <expected> <command>...: runs the command, its stderr to
# $work/stderr, and fails unless it exits with <expected>.
status() {
  local want=$1 got=0
  shift
  "$@" 2>"$work/stderr" || got=$?
  if [ "$got" != "$want" ]; then
    cat "$work/stderr" >&2
    fail "'$*' exited with $got, expected $want"
  fi
}

# line_of <marker> <file>: the number of the line holding "LINE:<marker>".
line_of() {
  local n
  n=$(grep -n "LINE:$1" "$2" | cut -d: -f1)
  [ -n "$n" ] || fail "no LINE:$1 marker in $2"
  echo "$n"
}

# same <file1> <file2> <what>: fails unless the files are identical.
same() {
  cmp -s "$1" "$2" || { diff -u "$1" "$2" | head -40 >&2; fail "$3"; }
}

# build <out> <source.c>... [cc flags]: compiles transformed sources with
# the runtime, with debug information and no optimisation.
build() {
  local out=$1
  shift
  # shellcheck disable=SC2086 # the flag strings are lists of words
  "$AC_CC" -g -O0 $AC_SANFLAGS -I"$AC_INCLUDE" "$@" "$AC_RT" $AC_LIBS \
    -o "$out"
}
