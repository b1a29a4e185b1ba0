#!/usr/bin/env python3
"""Times asyncc against clang's parser on one generated file.

Generates a file of about 5,000 lines with bench/gen.py, then runs, several
times each, `asyncc FILE -o OUT` and `clang-19 -fsyntax-only FILE` with the
same include path and standard, and prints the median wall-clock time of
each and their ratio.  clang's parse is the floor: asyncc parses the file
with the same front end (libclang) before it transforms anything.  With
--callgrind it also counts instructions with valgrind, which varies far less
than time, and splits asyncc's count into libclang's parse, asyncc's own
passes and the rest (start-up, exit).  See bench/README.md.

    bench.py [--asyncc PATH] [--clang PATH] [--lines N] [--runs N]
             [--callgrind] [--work DIR] [--smoke]

--smoke generates a small file, runs asyncc once, checks that it succeeds
and that clang accepts its output, and times nothing (ctest's
tool.bench-smoke).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402


def run(cmd):
    """Runs cmd and returns its wall-clock time; fails loudly."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s" %
                 (" ".join(cmd), proc.returncode, proc.stderr))
    return elapsed


def instructions(cmd, work, name):
    """Counts the instructions cmd executes, with callgrind."""
    out = os.path.join(work, "callgrind.%s.out" % name)
    run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
        + cmd)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("bench: no instruction count in " + out)


def asyncc_split(out):
    """Splits asyncc's instructions, from its callgrind file, into libclang's
    parse (run on a thread of libclang's own), asyncc's work after it (in
    main), and the rest (loading the libraries, exit).  None without
    callgrind_annotate."""
    if not shutil.which("callgrind_annotate"):
        return None
    proc = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                          capture_output=True, text=True)
    parse = work = None
    for line in proc.stdout.splitlines():
        fields = line.split()
        if len(fields) < 3 or not fields[0].replace(",", "").isdigit():
            continue
        count = int(fields[0].replace(",", ""))
        if parse is None and fields[2].endswith(":start_thread"):
            parse = count
        if (work is None and fields[2].endswith(":main") and len(fields) > 3
                and fields[3].endswith("/asyncc]")):
            work = count
    if parse is None or work is None:
        return None
    return parse, work


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asyncc",
                    default=os.path.join(SOURCE, "build", "bin", "asyncc"))
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--work", default=os.path.join(SOURCE, "build", "bench"))
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    src = os.path.join(args.work, "generated.c")
    out = os.path.join(args.work, "generated.out.c")
    lines = 300 if args.smoke else args.lines
    with open(src, "w") as f:
        f.write(gen.generate(lines))
    flags = ["-I" + os.path.join(SOURCE, "include"), "-std=c11"]
    asyncc = [args.asyncc] + flags + [src, "-o", out]
    clang = [args.clang, "-fsyntax-only"] + flags + [src]
    with open(src) as f:
        nlines = sum(1 for _ in f)
        f.seek(0)
        nawaits = f.read().count("await(")

    if args.smoke:
        run(asyncc)
        if shutil.which(args.clang):
            run([args.clang, "-fsyntax-only"] + flags + [out])
        print("bench smoke: asyncc transpiled %d lines with %d awaits"
              % (nlines, nawaits))
        return

    print("input: %s, %d lines, %d awaits" % (src, nlines, nawaits))
    run(asyncc)  # warm the page cache
    run(clang)
    t_asyncc = statistics.median(run(asyncc) for _ in range(args.runs))
    t_clang = statistics.median(run(clang) for _ in range(args.runs))
    print("median of %d runs: asyncc %.3f s, clang -fsyntax-only %.3f s, "
          "ratio %.2f" % (args.runs, t_asyncc, t_clang, t_asyncc / t_clang))
    if args.callgrind:
        if not shutil.which("valgrind"):
            sys.exit("bench: --callgrind needs valgrind")
        i_asyncc = instructions(asyncc, args.work, "asyncc")
        i_clang = instructions(clang, args.work, "clang")
        print("instructions: asyncc %.3g, clang -fsyntax-only %.3g, "
              "ratio %.2f" % (i_asyncc, i_clang, i_asyncc / i_clang))
        split = asyncc_split(os.path.join(args.work,
                                          "callgrind.asyncc.out"))
        if split:
            parse, work = split
            print("asyncc's instructions: libclang's parse %.3g, asyncc's "
                  "passes %.3g, start-up and exit %.3g"
                  % (parse, work, i_asyncc - parse - work))


if __name__ == "__main__":
    main()
