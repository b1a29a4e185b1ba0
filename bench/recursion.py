#!/usr/bin/env python3
"""Measures what recursion of async functions costs (docs/language.md).

An awaited call that recurses gets its frame from the task's frame arena,
so no frame is on the C stack; but polling is a call: each level's poll
calls the next level's, so a chain of depth D uses D poll functions' worth
of C stack while it runs, and every resume polls again from the root.
This builds one program and measures:

  depth   the deepest chain that completes, for a 1 MiB and an 8 MiB
          stack (`ulimit -s`), found by bisection;
  work    instructions (callgrind) of a chain of depth D that suspends
          once, at the bottom, and of one that suspends at every level:
          the first grows with D, the second with D squared.

    recursion.py [--asyncc PATH] [--rt-lib PATH] [--cc CC] [--work DIR]
"""
import argparse
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)

PROGRAM = """#include <asyncc.h>
#include <stdio.h>
#include <stdlib.h>

/* Returns n; suspends once at the bottom, or at every level when `every`. */
static async int down(int n, int every) {
  if (n == 0) {
    await(ac_yield());
    return 0;
  }
  if (every)
    await(ac_yield());
  return await(down(n - 1, every)) + 1;
}

int main(int argc, char **argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 1000;
  int every = argc > 2 ? atoi(argv[2]) : 0;
  printf("%d\\n", ac_block_on(down(depth, every)));
  return 0;
}
"""


def run(cmd, check=True, **kw):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)
    if check and proc.returncode != 0:
        sys.exit("recursion: %s failed (%d):\n%s" %
                 (" ".join(cmd), proc.returncode, proc.stderr))
    return proc


def completes(exe, depth, stack_kib):
    proc = run(["bash", "-c", "ulimit -s %d && exec %s %d" %
                (stack_kib, shlex.quote(exe), depth)], check=False)
    return proc.returncode == 0 and proc.stdout.strip() == str(depth)


def deepest(exe, stack_kib):
    lo, hi = 1, 2
    while completes(exe, hi, stack_kib):
        lo, hi = hi, hi * 2
        if hi > 1 << 24:
            return hi
    while hi - lo > max(1, lo // 200):  # within half a percent
        mid = (lo + hi) // 2
        if completes(exe, mid, stack_kib):
            lo = mid
        else:
            hi = mid
    return lo


def instructions(exe, args, out):
    run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, exe]
        + [str(a) for a in args])
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("recursion: no instruction count in " + out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asyncc",
                    default=os.path.join(SOURCE, "build", "bin", "asyncc"))
    ap.add_argument("--rt-lib", default=os.path.join(SOURCE, "build", "lib",
                                                      "libasyncc.a"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--work", default=os.path.join(SOURCE, "build",
                                                   "bench-recursion"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    src = os.path.join(args.work, "recursion.c")
    with open(src, "w") as f:
        f.write(PROGRAM)
    out = os.path.join(args.work, "recursion.out.c")
    run([args.asyncc, src, "-o", out])
    exe = os.path.join(args.work, "recursion")
    run(shlex.split(args.cc) + ["-O2", "-I", os.path.join(SOURCE, "include"),
                                out, args.rt_lib, "-luv", "-o", exe])
    for kib in (1024, 8192):
        print("deepest chain with a %d KiB stack: %d levels" %
              (kib, deepest(exe, kib)))
    base = instructions(exe, [0, 0], os.path.join(args.work, "cg.0"))
    for depth in (1000, 2000, 4000):
        once = instructions(exe, [depth, 0],
                            os.path.join(args.work, "cg.once.%d" % depth))
        every = instructions(exe, [depth, 1],
                             os.path.join(args.work, "cg.every.%d" % depth))
        print("depth %5d: suspending once %12s (%.0f a level), at every "
              "level %14s (%.0f a level)" %
              (depth, format(once - base, ","), (once - base) / depth,
               format(every - base, ","), (every - base) / depth))


if __name__ == "__main__":
    main()
