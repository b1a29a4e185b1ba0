#!/usr/bin/env python3
"""Differential tests of asyncc against the sync view (DESIGN §1, §6).

For each program it builds three executables:

  sync     the untransformed source, linked with the sync-view runtime
           (async functions are plain functions, await(e) is e);
  async    the output of `asyncc`, linked with the asyncc runtime and libuv;
  suspend  the output of `asyncc --test-suspend` (every await suspends once
           before it completes), linked likewise;

runs each with a timeout, and requires the stdout and exit status of async
and suspend to equal those of sync.  On a mismatch it prints a unified diff.
A build failure is a failure, and so is an asyncc diagnostic: every program
given here is expected to transform.

  difftest.py [paths options] prog.c...      test these programs
  difftest.py [paths options] --dir DIR      test DIR/*.c, print a summary

Exit status: 0 if every program passed, 1 otherwise, 2 on a usage error.
"""

import argparse
import concurrent.futures
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

VARIANTS = (
    # name, extra asyncc flags
    ("async", []),
    ("suspend", ["--test-suspend"]),
)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Differential tests: transformed program vs sync view.")
    p.add_argument("programs", nargs="*", metavar="prog.c")
    p.add_argument("--dir", help="test every *.c file in DIR and print "
                   "'N passed, M failed'")
    p.add_argument("--asyncc", required=True, help="the asyncc tool")
    p.add_argument("--include", required=True,
                   help="asyncc's include directory (asyncc.h)")
    p.add_argument("--rt-lib", required=True,
                   help="the asyncc runtime library (libasyncc.a)")
    p.add_argument("--sync-lib", required=True,
                   help="the sync-view runtime library (libasyncc_sync.a)")
    p.add_argument("--cc", default=os.environ.get("CC", "cc"),
                   help="C compiler (default: $CC or cc)")
    p.add_argument("--std", default="c11", help="C standard (default c11)")
    p.add_argument("--cflag", action="append", default=[],
                   help="extra compiler flag for all three builds, e.g. "
                   "--cflag=-fsanitize=address (repeatable)")
    p.add_argument("--cflags", default="",
                   help="extra compiler flags as one shell-quoted string")
    p.add_argument("--ldflag", action="append", default=[],
                   help="link flag for transformed programs, e.g. "
                   "--ldflag=-luv (repeatable)")
    p.add_argument("--ldflags", default="",
                   help="link flags for transformed programs as one "
                   "shell-quoted string (e.g. `pkg-config --libs libuv`)")
    p.add_argument("--asyncc-flag", action="append", default=[],
                   help="extra flag for asyncc (repeatable)")
    p.add_argument("--werror-output", action="store_true",
                   help="also fail when the transformed program compiles "
                   "with warnings under -Wall -Wextra that the sync view "
                   "does not have (DESIGN §2)")
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds each program may run (default 20)")
    p.add_argument("--build-timeout", type=float, default=300.0,
                   help="seconds each asyncc or cc step may take")
    p.add_argument("--workdir",
                   help="keep the intermediate files in DIR/<name>/ "
                   "(default: a temporary directory, removed afterwards)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="programs tested in parallel in --dir mode")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print every command")
    args = p.parse_args(argv)
    if not args.programs and not args.dir:
        p.error("give programs or --dir")
    for name in ("include", "rt_lib", "sync_lib"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    if os.sep in args.asyncc:
        args.asyncc = os.path.abspath(args.asyncc)
    args.cflag += shlex.split(args.cflags)
    args.ldflag += shlex.split(args.ldflags)
    return args


class Failure(Exception):
    pass


def warning_messages(stderr):
    """The warning texts of a compiler's output, without their locations."""
    found = []
    for line in stderr.splitlines():
        i = line.find("warning: ")
        if i >= 0 and line[i:] not in found:
            found.append(line[i:])
    return found


def head(text, lines=80):
    parts = text.splitlines()
    if len(parts) > lines:
        parts = parts[:lines] + ["[... %d more lines ...]" % (
            len(parts) - lines)]
    return "\n".join(parts)


def tail(text, lines=60):
    parts = text.splitlines()
    if len(parts) > lines:
        parts = ["[... %d lines cut ...]" % (len(parts) - lines)] + \
            parts[-lines:]
    return "\n".join(parts)


class Tester:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir

    def log(self, out, cmd):
        if self.args.verbose:
            out.append("$ " + " ".join(shlex.quote(c) for c in cmd))

    def build_step(self, out, what, cmd):
        """Runs a build command; returns its stderr (warnings)."""
        self.log(out, cmd)
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               errors="replace",
                               timeout=self.args.build_timeout)
        except subprocess.TimeoutExpired:
            raise Failure("%s timed out after %gs:\n  %s" % (
                what, self.args.build_timeout, " ".join(cmd)))
        except OSError as e:
            raise Failure("%s could not start: %s" % (what, e))
        if r.returncode != 0:
            status = ("signal %d" % -r.returncode if r.returncode < 0
                      else "exit status %d" % r.returncode)
            raise Failure("%s failed (%s):\n  %s\n%s" % (
                what, status, " ".join(shlex.quote(c) for c in cmd),
                tail(r.stderr + r.stdout)))
        return r.stderr

    def cc(self, out, what, src, exe, libs, warn, srcdir):
        """Compiles and links `src`; `srcdir` (the original source's
        directory) stays on the include path, as for asyncc_transpile."""
        a = self.args
        cmd = [a.cc, "-std=" + a.std, "-I" + a.include, "-I" + srcdir]
        if warn:
            cmd += ["-Wall", "-Wextra"]
        cmd += a.cflag + [src, "-o", exe] + libs
        return self.build_step(out, what, cmd)

    def run(self, out, exe):
        self.log(out, [exe])
        env = dict(os.environ)
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        try:
            r = subprocess.run([exe], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=self.args.timeout, env=env,
                               cwd=os.path.dirname(exe))
        except subprocess.TimeoutExpired as e:
            stdout = (e.stdout or b"").decode("utf-8", "replace")
            stderr = (e.stderr or b"").decode("utf-8", "replace")
            return ("timeout after %gs" % self.args.timeout, stdout, stderr)
        status = ("signal %d" % -r.returncode if r.returncode < 0
                  else "exit %d" % r.returncode)
        return (status, r.stdout.decode("utf-8", "replace"),
                r.stderr.decode("utf-8", "replace"))

    def test(self, src):
        """Returns (ok, report lines)."""
        name = os.path.splitext(os.path.basename(src))[0]
        out = []
        d = os.path.join(self.workdir, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        a = self.args
        srcdir = os.path.dirname(os.path.abspath(src))
        try:
            exe = os.path.join(d, name + ".sync")
            sync_warnings = warning_messages(self.cc(
                out, "compiling the sync view", src, exe, [a.sync_lib],
                a.werror_output, srcdir))
            ref = self.run(out, exe)
            if not ref[0].startswith("exit "):
                raise Failure("the sync view itself ended by %s\n%s" % (
                    ref[0], tail(ref[2])))
            mismatches = []
            for variant, flags in VARIANTS:
                gen = os.path.join(d, "%s.%s.c" % (name, variant))
                tool = ([a.asyncc, "-std=" + a.std, "-I" + a.include] +
                        a.asyncc_flag + flags + [src, "-o", gen])
                self.build_step(out, "asyncc%s" % (
                    " " + " ".join(flags) if flags else ""), tool)
                exe = os.path.join(d, "%s.%s" % (name, variant))
                warnings = self.cc(out, "compiling the %s output" % variant,
                                   gen, exe, [a.rt_lib] + a.ldflag,
                                   a.werror_output, srcdir)
                if a.werror_output:
                    extra = [w for w in warning_messages(warnings)
                             if w not in sync_warnings]
                    if extra:
                        raise Failure(
                            "the %s output compiles with warnings that the "
                            "sync view does not have:\n%s" % (
                                variant, "\n".join(extra)))
                got = self.run(out, exe)
                if got[:2] != ref[:2]:
                    mismatches.append((variant, got))
            for variant, got in mismatches:
                out.append("--- %s: %s vs sync: %s" % (variant, got[0],
                                                       ref[0]))
                if got[1] != ref[1]:
                    diff = difflib.unified_diff(
                        ref[1].splitlines(), got[1].splitlines(),
                        "%s (sync view)" % name, "%s (%s)" % (name, variant),
                        lineterm="")
                    out.append(head("\n".join(diff)))
                if got[2].strip():
                    out.append("stderr of %s:\n%s" % (variant,
                                                      tail(got[2], 30)))
            if mismatches:
                return False, ["FAIL %s: %s differ%s from the sync view" % (
                    name, " and ".join(v for v, _ in mismatches),
                    "s" if len(mismatches) == 1 else "")] + out
            return True, ["PASS %s" % name] + out
        except Failure as e:
            return False, ["FAIL %s: %s" % (name, e)] + out


def main(argv):
    args = parse_args(argv)
    programs = list(args.programs)
    if args.dir and not os.path.isdir(args.dir):
        print("difftest: no such directory: %s" % args.dir, file=sys.stderr)
        return 2
    if args.dir:
        programs += sorted(os.path.join(args.dir, f)
                           for f in os.listdir(args.dir) if f.endswith(".c"))
    if not programs:
        print("difftest: no programs", file=sys.stderr)
        return 2
    for p in programs:
        if not os.path.isfile(p):
            print("difftest: no such file: %s" % p, file=sys.stderr)
            return 2

    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
        workdir, cleanup = os.path.abspath(args.workdir), False
    else:
        workdir, cleanup = tempfile.mkdtemp(prefix="asyncc-diff-"), True
    tester = Tester(args, workdir)
    failed = []
    try:
        jobs = max(1, args.jobs if len(programs) > 1 else 1)
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for p, (ok, lines) in zip(programs, pool.map(tester.test,
                                                         programs)):
                print("\n".join(lines), flush=True)
                if not ok:
                    failed.append(os.path.basename(p))
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(programs) > 1 or args.dir:
        if failed:
            print("failed: " + " ".join(failed))
        print("%d passed, %d failed" % (len(programs) - len(failed),
                                        len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
