#!/usr/bin/env python3
"""Counts what the cooperative budget costs generated code, with callgrind.

Generated polls spend one unit of the task's budget at the top of each
turn of a loop that awaits (docs/abi.md): an inline decrement and branch.
This transpiles two programs, removes those checks from the output to make
a baseline, and counts the instructions of both variants of each with
callgrind, in the same run:

  loop  10^7 awaits of an async function that returns at once, the worst
        case: each turn does nothing but await;
  gen   the program of bench/gen.py (awaits in loops, branches, chains).

It prints each count and the ratio with/without.

    budget.py [--asyncc PATH] [--rt-lib PATH] [--cc CC] [--work DIR]
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402

LOOP = """#include <asyncc.h>
#include <stdio.h>

static async int ready(int x) { return x + 1; }

static async int spin(int n) {
  int acc = 0;
  for (int i = 0; i < n; i++)
    acc = await(ready(acc));
  return acc;
}

int main(void) {
  printf("%d\\n", ac_block_on(spin(10000000)));
  return 0;
}
"""

# The check, up to the label the task resumes at (which the dispatch
# still names): `if (ac__budget_enter(cx) == AC_PENDING) { ... }`.
CHECK = re.compile(r"^( *)if \(ac__budget_enter\(cx\) == AC_PENDING\) \{\n"
                   r"(?:\1  .*\n)*?\1\}\n", re.M)


def run(cmd, **kw):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)
    if proc.returncode != 0:
        sys.exit("budget: %s failed (%d):\n%s" %
                 (" ".join(cmd), proc.returncode, proc.stderr))
    return proc.stdout


def instructions(exe, out):
    run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, exe])
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("budget: no instruction count in " + out)


def variants(args, name, source):
    """Builds <name>.with and <name>.without; returns their paths."""
    src = os.path.join(args.work, name + ".c")
    with open(src, "w") as f:
        f.write(source)
    out = os.path.join(args.work, name + ".with.c")
    run([args.asyncc, "--no-line", src, "-o", out])
    with open(out) as f:
        text = f.read()
    if not CHECK.search(text):
        sys.exit("budget: no budget check in %s" % out)
    base = os.path.join(args.work, name + ".without.c")
    with open(base, "w") as f:
        f.write(CHECK.sub("", text))
    exes = []
    for variant, c in (("with", out), ("without", base)):
        exe = os.path.join(args.work, "%s.%s" % (name, variant))
        run(shlex.split(args.cc) + ["-O2", "-I", os.path.join(SOURCE, "include"),
                                    c, args.rt_lib, "-luv", "-o", exe])
        exes.append(exe)
    if run([exes[0]]) != run([exes[1]]):
        sys.exit("budget: %s prints differently without the check" % name)
    return exes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asyncc",
                    default=os.path.join(SOURCE, "build", "bin", "asyncc"))
    ap.add_argument("--rt-lib", default=os.path.join(SOURCE, "build", "lib",
                                                      "libasyncc.a"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--work", default=os.path.join(SOURCE, "build",
                                                   "bench-budget"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    programs = [("loop", LOOP), ("gen", gen.generate(5000))]
    for name, source in programs:
        with_exe, without_exe = variants(args, name, source)
        w = instructions(with_exe, with_exe + ".callgrind")
        wo = instructions(without_exe, without_exe + ".callgrind")
        print("%-5s with %14s  without %14s  ratio %.3f" %
              (name, format(w, ","), format(wo, ","), w / wo))


if __name__ == "__main__":
    main()
