#!/usr/bin/env python3
"""Counts what the trace hooks cost the runtime while tracing is off,
with callgrind.

The runtime calls the trace (runtime/trace.c) through one-line AC__TRACE
hooks (runtime/internal.h): a relaxed load of a flag and a branch not
taken.  This builds the runtime twice from runtime/*.c, as it is and
with AC__NO_TRACE_HOOKS defined, which compiles every hook and test of
the flag to nothing (the baseline), links two programs against each, and
counts their instructions with callgrind, in the same run:

  yield  10^5 awaits of ac_yield(), the worst case: every await is a wake
         and a poll, each passing hooks;
  block  10^5 ac_block_on() of a future that completes at once, whose
         only hook is block_on's test of the flag;
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

BLOCK_ON = """#include <asyncc.h>
#include <stdio.h>

static async int add_one(int n) { return n + 1; }

int main(void) {
  int n = 0;
  for (int i = 0; i < 100000; i++)
    n = ac_block_on(add_one(n));
  printf("%d\\n", n);
  return 0;
}
"""


def calls_hooks(obj):
    """Whether an object file calls a trace hook."""
    symbols = run(["nm", obj])
    return re.search(r" U ac__trace_(poll|wake)\b", symbols) is not None


def runtime(args, variant, hooks):
    """Builds the runtime into <work>/<variant>/libasyncc.a; returns it."""
    out = os.path.join(args.work, variant)
    os.makedirs(out, exist_ok=True)
    objs = []
    for src in sorted(glob.glob(os.path.join(SOURCE, "runtime", "*.c"))):
        name = os.path.basename(src)
        if name.startswith("sync_view"):
            continue
        obj = os.path.join(out, name + ".o")
        run(shlex.split(args.cc) + [
            "-O3", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
            "-I", os.path.join(SOURCE, "include"),
            "-I", os.path.join(SOURCE, "runtime"), "-c", src, "-o", obj] +
            ([] if hooks else ["-DAC__NO_TRACE_HOOKS"]))
        if name == "executor.c" and calls_hooks(obj) != hooks:
            sys.exit("trace: executor.c %s the hooks in the %s build" %
                     ("lacks" if hooks else "still calls", variant))
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
    libs = [("with", runtime(args, "with", True)),
            ("without", runtime(args, "without", False))]
    for name, source in (("yield", YIELD), ("block", BLOCK_ON),
                         ("gen", gen.generate(5000))):
        with_exe, without_exe = program(args, name, source, libs)
        w = instructions(with_exe, with_exe + ".callgrind")
        wo = instructions(without_exe, without_exe + ".callgrind")
        print("%-5s with %14s  without %14s  ratio %.3f" %
              (name, format(w, ","), format(wo, ","), w / wo))


if __name__ == "__main__":
    main()
