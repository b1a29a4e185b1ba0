#!/usr/bin/env bash
# Tests debugging through #line: gdb stops at a breakpoint set on the
# original line after an await, once the function has resumed, and prints
# a local saved in the frame across the await and a plain local.
. "$(dirname "$0")/lib.sh"

command -v gdb >/dev/null || skip "gdb is not installed"
case $AC_SANFLAGS in
  *thread*) skip "ThreadSanitizer programs do not run under gdb" ;;
esac
# LeakSanitizer cannot run under ptrace.
export ASAN_OPTIONS=detect_leaks=0

cp "$inputs/resume.c" .
line=$(line_of after-await resume.c)
status 0 "$ASYNCC" resume.c -o resume.out.c
build resume resume.out.c

# add_later awaits ac_yield() twice in a loop, so its poll function is
# entered three times before the line after the loop runs.
cat >cmds.gdb <<GDB
set pagination off
set confirm off
break add_later_poll
commands
silent
continue
end
break resume.c:$line
run
info breakpoints
print fr->sum
next
print doubled
kill
GDB
gdb -batch -nx -x cmds.gdb ./resume >gdb.out 2>&1 ||
  { cat gdb.out >&2; fail "gdb failed"; }
check() {
  grep -Eq "$1" gdb.out || { cat gdb.out >&2; fail "$2"; }
}
check "^Breakpoint 2 at .*: file .*resume\\.c, line $line\\.\$" \
  "the breakpoint is not at resume.c:$line"
check "^Breakpoint 2, add_later_poll .* at .*resume\\.c:$line\$" \
  "the breakpoint was not hit at resume.c:$line"
check "^$line[[:space:]]+int doubled = sum \\* 2;" \
  "gdb does not show the original source line"
# The first breakpoint's hit count comes first in `info breakpoints`.
check "already hit 3 times" "not stopped after the second resume"
check '^\$1 = 21$' "the saved local sum is not 21"
check '^\$2 = 42$' "the local doubled is not 42 after 'next'"
echo "PASS: $test_name"
