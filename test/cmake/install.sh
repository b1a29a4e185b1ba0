#!/usr/bin/env bash
# Tests `cmake --install`: the files of the package land where
# docs/cmake.md says, pkg-config builds a program against them, and the
# prefix still works once moved.  Leaves the prefix in $AC_PREFIX for
# consumer.sh (the ctest fixture asyncc_prefix).
set -euo pipefail
name=install
work=$CMAKE_WORK/$name
rm -rf "$work" "$AC_PREFIX"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: cmake.$name: $*" >&2; exit 1; }

"$CMAKE" --install "$AC_BUILD" --prefix "$AC_PREFIX" >install.log ||
  { cat install.log >&2; fail "cmake --install failed"; }

expected=(bin/asyncc include/asyncc.h lib/libasyncc.a lib/libasyncc.so
  lib/libasyncc_sync.a lib/cmake/asyncc/asyncc-config.cmake
  lib/cmake/asyncc/asyncc-config-version.cmake
  lib/cmake/asyncc/asyncc-targets.cmake
  lib/cmake/asyncc/AsynccTranspile.cmake
  lib/pkgconfig/asyncc.pc lib/pkgconfig/asyncc-static.pc
  lib/pkgconfig/asyncc-sync.pc)
for h in "$AC_SOURCE"/include/asyncc/*.h; do
  expected+=("include/asyncc/$(basename "$h")")
done
for f in "${expected[@]}"; do
  [ -f "$AC_PREFIX/$f" ] || fail "$f is not installed"
done
[ -x "$AC_PREFIX/bin/asyncc" ] || fail "bin/asyncc is not executable"
"$AC_PREFIX/bin/asyncc" --version | grep -q '^asyncc [0-9]' ||
  fail "the installed asyncc does not run"

# pkg-config: the Makefile way, with the tool named by the .pc file.
export PKG_CONFIG_PATH=$AC_PREFIX/lib/pkgconfig
tool=$(pkg-config --variable=asyncc asyncc)
[ "$(realpath "$tool")" = "$(realpath "$AC_PREFIX/bin/asyncc")" ] ||
  fail "pkg-config names the tool $tool"
"$tool" "$AC_SOURCE/samples/hello/hello.c" -o hello.c
# docs/cmake.md's recipe as it stands: the program must start without
# LD_LIBRARY_PATH, so asyncc.pc gives the linker the library's directory
# as the run path.
# shellcheck disable=SC2046,SC2086 # lists of flags
"$AC_CC" $AC_SANFLAGS $(pkg-config --cflags asyncc) hello.c \
  $(pkg-config --libs asyncc) -o hello
env -u LD_LIBRARY_PATH ./hello >hello.out ||
  fail "hello, built with pkg-config, failed"
cmp -s hello.out "$AC_SOURCE/samples/hello/expected.txt" ||
  fail "hello, built with pkg-config, printed: $(cat hello.out)"
readelf -d hello >hello.dyn
grep -q 'NEEDED.*libasyncc\.so' hello.dyn ||
  fail "hello, built with asyncc.pc, does not use libasyncc.so"
# asyncc-static links libasyncc.a into the program: it needs no
# libasyncc.so at all, which is checked by hiding the installed one.
# shellcheck disable=SC2046,SC2086
"$AC_CC" $AC_SANFLAGS $(pkg-config --cflags asyncc-static) hello.c \
  $(pkg-config --libs asyncc-static) -o hello_static
readelf -d hello_static >hello_static.dyn
grep -q 'NEEDED.*libasyncc' hello_static.dyn &&
  fail "hello, built with asyncc-static.pc, needs libasyncc.so"
mv "$AC_PREFIX/lib/libasyncc.so" "$AC_PREFIX/lib/libasyncc.so.hidden"
status=0
./hello_static >hello_static.out || status=$?
mv "$AC_PREFIX/lib/libasyncc.so.hidden" "$AC_PREFIX/lib/libasyncc.so"
[ $status -eq 0 ] || fail "hello, built with asyncc-static.pc, failed"
cmp -s hello_static.out "$AC_SOURCE/samples/hello/expected.txt" ||
  fail "hello_static printed: $(cat hello_static.out)"
# shellcheck disable=SC2046,SC2086
"$AC_CC" $AC_SANFLAGS $(pkg-config --cflags asyncc-sync) \
  "$AC_SOURCE/samples/hello/hello.c" $(pkg-config --libs asyncc-sync) \
  -o hello_sync
./hello_sync >hello_sync.out || fail "hello_sync failed"
cmp -s hello_sync.out "$AC_SOURCE/samples/hello/expected.txt" ||
  fail "hello_sync printed: $(cat hello_sync.out)"

# Move the prefix: the tool finds asyncc.h in its new place, without -I.
cp -a "$AC_PREFIX" moved
printf '%s\n' '#include <asyncc.h>' \
  'async int f(void) { await(ac_yield()); return 1; }' >probe.c
moved/bin/asyncc probe.c -o probe.out.c -MF probe.d ||
  fail "the moved asyncc fails"
grep -qF "$work/moved/include/asyncc.h" probe.d ||
  fail "the moved asyncc does not use its own asyncc.h: $(cat probe.d)"
PKG_CONFIG_PATH=$work/moved/lib/pkgconfig pkg-config --cflags asyncc |
  grep -qF "$work/moved/lib/pkgconfig/../../include" ||
  fail "the moved asyncc.pc does not point into the moved prefix"
echo "PASS: cmake.$name"
