#!/usr/bin/env bash
# Builds samples/cmake-consumer/ with Ninja, through find_package(asyncc)
# on the prefix that install.sh made, or through add_subdirectory() of
# asyncc's source tree, and tests what asyncc_target_sources() promises:
# the program runs, a second build does nothing, and touching a header
# re-runs asyncc on the sources that include it and on no other.
#
#   consumer.sh find-package|add-subdirectory
set -euo pipefail
route=$1
name=$route
work=$CMAKE_WORK/$name
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: cmake.$name: $*" >&2; exit 1; }

# A copy, so that the test touches no file of the source tree.
cp -r "$AC_SOURCE/samples/cmake-consumer" src
config=(-G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" -DCMAKE_C_COMPILER="$AC_CC"
  -DCMAKE_C_FLAGS="$AC_SANFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$AC_SANFLAGS"
  -DCMAKE_SHARED_LINKER_FLAGS="$AC_SANFLAGS")
case $route in
  find-package) config+=(-DCMAKE_PREFIX_PATH="$AC_PREFIX"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF) ;;
  add-subdirectory) config+=(-DASYNCC_SOURCE_DIR="$AC_SOURCE"
    -DASYNCC_WERROR="${AC_WERROR:-OFF}") ;;
  *) echo "usage: consumer.sh find-package|add-subdirectory" >&2; exit 2 ;;
esac
"$CMAKE" -S src -B build "${config[@]}" >configure.log 2>&1 ||
  { cat configure.log >&2; fail "configuration failed"; }
if [ "$route" = find-package ]; then
  grep -qx "asyncc_DIR:PATH=$AC_PREFIX/lib/cmake/asyncc" build/CMakeCache.txt ||
    fail "find_package found another asyncc:" \
      "$(grep asyncc_DIR build/CMakeCache.txt)"
fi

# build <log>: builds, keeping ninja's output in <log>.
build() {
  "$NINJA" -C build -d explain >"$1" 2>&1 ||
    { cat "$1" >&2; fail "build failed"; }
}
# transpiled <log>: the sources that asyncc ran on, in order of name.
transpiled() {
  grep -o 'Transpiling [a-z]*\.c with' "$1" | cut -d' ' -f2 | sort |
    tr '\n' ' '
}
run() {
  ./build/consumer >run.out || fail "consumer failed"
  cmp -s run.out src/expected.txt ||
    { diff -u src/expected.txt run.out >&2; fail "consumer's output differs"; }
}
nothing_to_do() {
  "$NINJA" -C build >noop.log 2>&1
  grep -q 'no work to do' noop.log ||
    { cat noop.log >&2; fail "a build after $1 is not a no-op"; }
}
stamp() { stat -c %y "build/asyncc/consumer/$1"; }

build first.log
[ "$(transpiled first.log)" = "fetch.c main.c " ] ||
  fail "the first build transpiled: $(transpiled first.log)"
run
nothing_to_do "the first build"

# delay.h is included by fetch.c alone.
main_before=$(stamp main.c)
fetch_before=$(stamp fetch.c)
sleep 1
touch src/delay.h
build delay.log
[ "$(transpiled delay.log)" = "fetch.c " ] ||
  { cat delay.log >&2; fail "after touching delay.h: $(transpiled delay.log)"; }
grep -q 'explain: .*delay\.h' delay.log ||
  { cat delay.log >&2; fail "ninja does not blame delay.h"; }
[ "$(stamp main.c)" = "$main_before" ] || fail "main.c was generated again"
[ "$(stamp fetch.c)" != "$fetch_before" ] || fail "fetch.c is not regenerated"
run
nothing_to_do "touching delay.h"

# fetch.h is included by both sources.
sleep 1
touch src/fetch.h
build fetch.log
[ "$(transpiled fetch.log)" = "fetch.c main.c " ] ||
  fail "after touching fetch.h: $(transpiled fetch.log)"
run
nothing_to_do "touching fetch.h"

# A changed header changes the program: FETCH_DELAY_MS becomes a type error
# that only the transpiled fetch.c, rebuilt, can report.
sed -i 's/#define FETCH_DELAY_MS 5/#define FETCH_DELAY_MS "5"/' src/delay.h
if "$NINJA" -C build >bad.log 2>&1; then
  fail "the build ignores the change to delay.h"
fi
echo "PASS: cmake.$name"
