#!/usr/bin/env python3
"""Random differential testing of asyncc with csmith programs.

For each seed: generate a program with csmith, build and run it (a program
that does not finish within --orig-timeout is skipped), make it an asyncc
program with asyncify.py (every func_N async, every call awaited, main's
call ac_block_on) and check that its sync view prints what the original
prints, run asyncc on it, and hand it to test/diff/difftest.py, which
compares the sync view with the transformed program, with and without
forced suspension at every await.

Each program ends in one class:

  pass            difftest passed
  refused         asyncc exited 1 with a diagnostic (reported by message)
  crash           asyncc crashed, aborted, hung, or exited > 1
  compile-error   the transformed program does not compile
  mismatch        the transformed program's stdout or exit status (or a
                  crash or timeout) differs from the sync view
  asyncify-error  asyncify.py's sync view differs from the original (a bug
                  in this harness, not in asyncc)
  other-failure   any other difftest failure
  skip-*          csmith failed, the original timed out or crashed, or
                  asyncify.py does not handle the program

A refusal is a failure only with --strict-refusals and a diagnostic not in
BY_DESIGN (the constructs DESIGN §2 refuses on purpose).  Failing programs
are saved in --failures (default BUILD/csmith-failures/CLASS/seed-N/) with
a README of the commands that reproduce them.

  run.py --seeds 1:1001 -j2              seeds 1 to 1000
  run.py --random 200                    200 random seeds (printed)
  run.py --seed-list 5,17,23 -v          these seeds, with details

The last line is 'N passed, M failed, K skipped' (refusals are skipped
unless --strict-refusals makes them failures); the exit status is 1 if
anything failed, 0 otherwise, 2 on a usage error.
"""

import argparse
import collections
import concurrent.futures
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import asyncify  # noqa: E402

# Small-to-medium programs that finish fast: at most 8 functions and
# shallow blocks.  Everything else is left at csmith's defaults (structs,
# unions, bitfields, pointers, volatiles, jumps, packed structs): asyncc
# must handle all of it.
CSMITH_OPTS = ["--max-funcs", "8", "--max-block-depth", "3"]

# Diagnostics for constructs DESIGN §2 refuses on purpose.  csmith programs
# should not contain any, but such a refusal is not a bug; any other
# refusal is a construct that should work.
BY_DESIGN = [
    r"'await' outside an async function",
    r"'await' in .*, which is not evaluated",
    r"'await' in an operand that is not evaluated",
    r"'await' inside the definition of a macro",
    r"'await' in a macro argument that the macro uses more than once",
    r"variable-length array .* would live across this await",
    r"setjmp in an async function that awaits",
    r"alloca in an async function that awaits",
    r"async function .* is variadic",
    r"async function .* used as a value",
]

FAIL_CLASSES = ("crash", "compile-error", "mismatch", "asyncify-error",
                "other-failure")


def parse_seeds(args):
    if args.seeds:
        m = re.fullmatch(r"(\d+):(\d+)", args.seeds)
        if not m:
            sys.exit("run.py: --seeds wants START:END (END excluded)")
        return list(range(int(m.group(1)), int(m.group(2))))
    if args.seed_list:
        return [int(s) for s in args.seed_list.split(",") if s]
    rng = random.SystemRandom()
    return [rng.randrange(1, 2**31) for _ in range(args.random)]


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Differential tests of asyncc on csmith programs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--seeds", help="START:END, END excluded")
    g.add_argument("--seed-list", help="comma-separated seeds")
    g.add_argument("--random", type=int, metavar="N", help="N random seeds")
    p.add_argument("--build", default=os.path.join(SRC_ROOT, "build"),
                   help="build directory (default: the source's build/)")
    p.add_argument("--asyncc", help="default: BUILD/bin/asyncc")
    p.add_argument("--rt-lib", help="default: BUILD/lib/libasyncc.a")
    p.add_argument("--sync-lib", help="default: BUILD/lib/libasyncc_sync.a")
    p.add_argument("--include", default=os.path.join(SRC_ROOT, "include"))
    p.add_argument("--difftest",
                   default=os.path.join(SRC_ROOT, "test", "diff",
                                        "difftest.py"))
    p.add_argument("--csmith", default=shutil.which("csmith") or "csmith")
    p.add_argument("--csmith-include", default=asyncify.CSMITH_INCLUDE,
                   help="the directory of csmith.h (Debian: libcsmith-dev)")
    p.add_argument("--csmith-opt", action="append", default=[],
                   help="extra csmith option (repeatable), after the "
                   "defaults: " + " ".join(CSMITH_OPTS))
    p.add_argument("--cc", default=os.environ.get("CC", "cc"))
    p.add_argument("--cflags", default="",
                   help="extra flags for every build (sanitizers)")
    p.add_argument("--ldflags", default=None,
                   help="link flags for transformed programs (default: "
                   "pkg-config --libs libuv, else -luv)")
    p.add_argument("--orig-timeout", type=float, default=2.0,
                   help="seconds the original may run; slower ones are "
                   "skipped (default 2)")
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds each difftest run may take, at least "
                   "(default 20; raised to 25x the original's time)")
    p.add_argument("--failures",
                   help="where failing programs go (default "
                   "BUILD/csmith-failures)")
    p.add_argument("--strict-refusals", action="store_true",
                   help="count a refusal whose diagnostic is not BY_DESIGN "
                   "as a failure")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print each program's class and details")
    args = p.parse_args(argv)
    b = os.path.abspath(args.build)
    args.asyncc = os.path.abspath(args.asyncc or
                                  os.path.join(b, "bin", "asyncc"))
    args.rt_lib = os.path.abspath(args.rt_lib or
                                  os.path.join(b, "lib", "libasyncc.a"))
    args.sync_lib = os.path.abspath(args.sync_lib or
                                    os.path.join(b, "lib",
                                                 "libasyncc_sync.a"))
    args.failures = os.path.abspath(args.failures or
                                    os.path.join(b, "csmith-failures"))
    if args.ldflags is None:
        try:
            args.ldflags = subprocess.run(
                ["pkg-config", "--libs", "libuv"], stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True,
                check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            args.ldflags = "-luv"
    for what, path in (("asyncc", args.asyncc), ("runtime", args.rt_lib),
                       ("sync-view library", args.sync_lib),
                       ("difftest", args.difftest),
                       ("csmith.h (Debian package libcsmith-dev)",
                        os.path.join(args.csmith_include, "csmith.h"))):
        if not os.path.exists(path):
            p.error("no %s at %s" % (what, path))
    if not shutil.which(args.csmith):
        p.error("csmith not found (Debian package csmith)")
    args.seed_values = parse_seeds(args)
    return args


def normalize_diag(msg):
    """A diagnostic without its location and csmith's numbered names, so
    that refusals group by cause."""
    msg = re.sub(r"'(?:func|l|g|p|si|ui|S|U)_?\d+'", "'N'", msg)
    return msg.strip()


def diagnostics(stderr):
    out = []
    for line in stderr.splitlines():
        m = re.match(r"[^:]+:\d+:\d+: error: (.*)", line)
        if m:
            out.append(normalize_diag(m.group(1)))
    return out


def by_design(msg):
    return any(re.search(pat, msg) for pat in BY_DESIGN)


class Result:
    def __init__(self, seed, cls, detail="", diags=()):
        self.seed, self.cls, self.detail = seed, cls, detail
        self.diags = list(diags)


class Runner:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.csmith_inc = "-I" + args.csmith_include
        self.cflags = shlex.split(args.cflags)

    def run(self, cmd, timeout, **kw):
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout,
                              stdin=subprocess.DEVNULL, **kw)

    def test(self, seed):
        d = os.path.join(self.tmp, "seed-%d" % seed)
        os.makedirs(d, exist_ok=True)
        try:
            return self.test_in(seed, d)
        except Exception:  # a harness failure must not end the batch
            return Result(seed, "other-failure", traceback.format_exc())
        finally:
            if not self.args.verbose:
                shutil.rmtree(d, ignore_errors=True)

    def test_in(self, seed, d):
        a = self.args
        orig = os.path.join(d, "cs%d.orig.c" % seed)
        prog = os.path.join(d, "cs%d.c" % seed)
        try:
            r = self.run([a.csmith, "--seed", str(seed)] + CSMITH_OPTS +
                         a.csmith_opt + ["-o", orig], 60, cwd=d)
        except subprocess.TimeoutExpired:
            return Result(seed, "skip-csmith", "csmith timed out")
        if r.returncode != 0 or not os.path.exists(orig):
            return Result(seed, "skip-csmith", r.stderr.decode()[-500:])

        # The original: it must finish, and its time scales the timeout.
        exe = os.path.join(d, "orig")
        r = self.run([a.cc, "-std=c11", "-w", self.csmith_inc, orig, "-o",
                      exe] + self.cflags, 300)
        if r.returncode != 0:
            return Result(seed, "skip-original",
                          "the original does not compile:\n" +
                          r.stderr.decode(errors="replace")[-2000:])
        t0 = time.monotonic()
        try:
            r = self.run([exe], a.orig_timeout, cwd=d)
        except subprocess.TimeoutExpired:
            return Result(seed, "skip-original", "the original timed out")
        elapsed = time.monotonic() - t0
        if r.returncode != 0:
            return Result(seed, "skip-original",
                          "the original exited with %d" % r.returncode)

        with open(orig, encoding="utf-8", errors="surrogateescape") as f:
            src = f.read()
        try:
            out = asyncify.asyncify(src)
        except asyncify.Unsupported as e:
            return Result(seed, "skip-asyncify", str(e))
        with open(prog, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(out)
        msg = asyncify.check(orig, prog, a.include, a.sync_lib, a.cc,
                             timeout=max(10, 10 * elapsed),
                             csmith_include=a.csmith_include,
                             cflags=self.cflags)
        if msg:
            return self.fail(seed, d, "asyncify-error", msg)

        # asyncc alone first, to tell a refusal from a crash.
        cmd = [a.asyncc, "-std=c11", "-I" + a.include, self.csmith_inc,
               "--no-color", prog, "-o", os.path.join(d, "out.c")]
        try:
            r = self.run(cmd, 120)
        except subprocess.TimeoutExpired:
            return self.fail(seed, d, "crash", "asyncc hung (120 s)")
        stderr = r.stderr.decode(errors="replace")
        if r.returncode == 1 and diagnostics(stderr):
            diags = diagnostics(stderr)
            res = Result(seed, "refused", stderr, diags)
            if a.strict_refusals and not all(map(by_design, diags)):
                self.save(seed, d, "refused", stderr)
            return res
        if r.returncode != 0:
            how = ("signal %d" % -r.returncode if r.returncode < 0 else
                   "exit status %d" % r.returncode)
            return self.fail(seed, d, "crash", "asyncc ended by %s:\n%s" %
                             (how, stderr[-3000:]))

        return self.difftest(seed, d, prog, max(a.timeout, 25 * elapsed))

    def difftest(self, seed, d, prog, timeout):
        a = self.args
        cmd = [sys.executable, a.difftest, "--asyncc", a.asyncc,
               "--include", a.include, "--rt-lib", a.rt_lib,
               "--sync-lib", a.sync_lib, "--cc", a.cc,
               "--cflags", shlex.join([self.csmith_inc, "-w"] + self.cflags),
               "--ldflags", a.ldflags,
               "--asyncc-flag=" + self.csmith_inc,
               "--timeout", "%g" % timeout,
               "--workdir", os.path.join(d, "diff"), "-j", "1", prog]
        try:
            r = self.run(cmd, 4 * timeout + 600)
        except subprocess.TimeoutExpired:
            return self.fail(seed, d, "other-failure", "difftest hung")
        out = r.stdout.decode(errors="replace")
        if r.returncode == 0:
            return Result(seed, "pass")
        return self.fail(seed, d, classify(out), out)

    def fail(self, seed, d, cls, detail):
        self.save(seed, d, cls, detail)
        return Result(seed, cls, detail)

    def save(self, seed, d, cls, detail):
        a = self.args
        dest = os.path.join(a.failures, cls, "seed-%d" % seed)
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        for name in os.listdir(d):
            src = os.path.join(d, name)
            if name.endswith(".c"):
                shutil.copy(src, dest)
            elif name == "diff":
                shutil.copytree(src, os.path.join(dest, "diff"),
                                ignore=shutil.ignore_patterns("*.sync",
                                                              "*.async",
                                                              "*.suspend"))
        prog = os.path.join(dest, "cs%d.c" % seed)
        with open(os.path.join(dest, "README"), "w") as f:
            f.write("csmith seed %d: %s\n\n" % (seed, cls))
            f.write("csmith %s -o cs%d.orig.c\n" % (" ".join(
                ["--seed", str(seed)] + CSMITH_OPTS + a.csmith_opt), seed))
            f.write("asyncify.py cs%d.orig.c -o cs%d.c\n\n" % (seed, seed))
            f.write("Reproduce:\n  %s\n\n" % " ".join(shlex.quote(c) for c in [
                sys.executable, a.difftest, "--asyncc", a.asyncc,
                "--include", a.include, "--rt-lib", a.rt_lib,
                "--sync-lib", a.sync_lib,
                "--cflags", self.csmith_inc + " -w", "--ldflags", a.ldflags,
                "--asyncc-flag=" + self.csmith_inc, prog]))
            f.write(detail)
            f.write("\n")


def classify(out):
    """The class of a difftest failure, from its report."""
    first = next((l for l in out.splitlines() if l.startswith("FAIL")), "")
    if re.search(r": asyncc.*(failed|timed out)", first):
        if "exit status 1)" in first:
            return "other-failure"  # refused in one variant only
        return "crash"
    if re.search(r"compiling the \w+ output", first):
        return "compile-error"
    if "differ" in first:
        return "mismatch"
    return "other-failure"


def summarize(results, args, wall):
    counts = collections.Counter(r.cls for r in results)
    refusals = collections.Counter()
    unexpected = set()
    for r in results:
        if r.cls == "refused":
            for msg in sorted(set(r.diags)):
                refusals[msg] += 1
                if not by_design(msg):
                    unexpected.add(r.seed)
    failed = sum(counts[c] for c in FAIL_CLASSES)
    if args.strict_refusals:
        failed += len(unexpected)
    passed = counts["pass"]
    skipped = len(results) - passed - failed
    print("\n%d programs in %.0f s (csmith %s)" % (
        len(results), wall, " ".join(CSMITH_OPTS + args.csmith_opt)))
    for cls in ("pass", "refused") + FAIL_CLASSES + (
            "skip-original", "skip-asyncify", "skip-csmith"):
        if counts[cls]:
            seeds = [r.seed for r in results if r.cls == cls]
            shown = ""
            if cls != "pass" and not cls.startswith("skip"):
                shown = "  seeds " + " ".join(map(str, seeds[:20])) + (
                    " ..." if len(seeds) > 20 else "")
            print("  %-15s %5d%s" % (cls, counts[cls], shown))
    if refusals:
        print("refusals by diagnostic (programs):")
        for msg, n in refusals.most_common():
            print("  %5d  %s%s" % (n, msg,
                                   "" if by_design(msg) else
                                   "  [should work]"))
    if failed:
        print("failing programs saved in %s" % args.failures)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return failed


def main(argv):
    args = parse_args(argv)
    seeds = args.seed_values
    if args.random:
        print("seeds: " + ",".join(map(str, seeds)), flush=True)
    tmp = tempfile.mkdtemp(prefix="asyncc-csmith-")
    runner = Runner(args, tmp)
    results = []
    t0 = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for res in pool.map(runner.test, seeds):
                results.append(res)
                bad = res.cls in FAIL_CLASSES
                if args.verbose or bad:
                    print("%-15s seed %d" % (res.cls.upper(), res.seed),
                          flush=True)
                    if args.verbose and res.detail:
                        print(indent(res.detail), flush=True)
                    elif bad:
                        print(indent(res.detail, 15), flush=True)
    finally:
        if not args.verbose:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("work files kept in %s" % tmp)
    failed = summarize(results, args, time.monotonic() - t0)
    return 1 if failed else 0


def indent(text, lines=None):
    parts = text.rstrip().splitlines()
    if lines is not None and len(parts) > lines:
        parts = parts[:lines] + ["[... %d more lines]" % (len(parts) - lines)]
    return "\n".join("    " + l for l in parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
