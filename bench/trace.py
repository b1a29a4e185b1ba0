#!/usr/bin/env python3
"""Counts what the trace hooks cost the executor while tracing is off,
with callgrind.

runtime/executor.c calls the trace (runtime/trace.c) through one-line
AC__TRACE hooks: a relaxed load of a flag and a branch not taken.  This
builds the runtime twice from runtime/*.c, as it is and with the hook
lines removed from executor.c (the baseline), links two programs against
each, and counts their instructions with callgrind, in the same run:

  yield  10^5 awaits of ac_yield(), the worst case: every await is a wake,
         a poll and a turn of the loop, each passing a hook;
  gen    the program of bench/gen.py (awaits in loops, branches, chains).

It prints each count and the ratio with/without.

    trace.py [--asyncc PATH] [--cc CC] [--work DIR]
"""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402
from budget import instructions, run  # noqa: E402

YIELD = """#include <asyncc.h>
#include <stdio.h>

static async int spin(int n) {
  for (int i = 0; i < n; i++)
    await(ac_yield());
  return n;
}

int main(void) {
  printf("%d\\n", ac_block_on(spin(100000)));
  return 0;
}
"""

HOOK = re.compile(r"^ *AC__TRACE\(.*\);\n", re.M)


def runtime(args, variant, strip):
    """Builds the runtime into <work>/<variant>/libasyncc.a; returns it."""
    out = os.path.join(args.work, variant)
    os.makedirs(out, exist_ok=True)
    objs = []
    for src in sorted(glob.glob(os.path.join(SOURCE, "runtime", "*.c"))):
        name = os.path.basename(src)
        if name.startswith("sync_view"):
            continue
        if strip and name == "executor.c":
            with open(src) as f:
                text, n = HOOK.subn("", f.read())
            if n == 0:
                sys.exit("trace: no AC__TRACE hook in executor.c")
            src = os.path.join(out, name)
            with open(src, "w") as f:
                f.write(text)
        obj = os.path.join(out, name + ".o")
        run(shlex.split(args.cc) + [
            "-O3", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
            "-I", os.path.join(SOURCE, "include"),
            "-I", os.path.join(SOURCE, "runtime"), "-c", src, "-o", obj])
        objs.append(obj)
    lib = os.path.join(out, "libasyncc.a")
    if os.path.exists(lib):
        os.remove(lib)
    run(["ar", "rcs", lib] + objs)
    return lib


def program(args, name, source, libs):
    """Transpiles a program and links it with each runtime."""
    src = os.path.join(args.work, name + ".c")
    with open(src, "w") as f:
        f.write(source)
    out = os.path.join(args.work, name + ".out.c")
    run([args.asyncc, src, "-o", out])
    exes = []
    for variant, lib in libs:
        exe = os.path.join(args.work, "%s.%s" % (name, variant))
        run(shlex.split(args.cc) + ["-O2", "-I", os.path.join(SOURCE, "include"),
                                    out, lib, "-luv", "-lpthread", "-o", exe])
        exes.append(exe)
    if run([exes[0]]) != run([exes[1]]):
        sys.exit("trace: %s prints differently without the hooks" % name)
    return exes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asyncc",
                    default=os.path.join(SOURCE, "build", "bin", "asyncc"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--work", default=os.path.join(SOURCE, "build",
                                                   "bench-trace"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    libs = [("with", runtime(args, "with", False)),
            ("without", runtime(args, "without", True))]
    for name, source in (("yield", YIELD), ("gen", gen.generate(5000))):
        with_exe, without_exe = program(args, name, source, libs)
        w = instructions(with_exe, with_exe + ".callgrind")
        wo = instructions(without_exe, without_exe + ".callgrind")
        print("%-5s with %14s  without %14s  ratio %.3f" %
              (name, format(w, ","), format(wo, ","), w / wo))


if __name__ == "__main__":
    main()
