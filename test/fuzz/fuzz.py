#!/usr/bin/env python3
"""Mutation fuzzer for asyncc's input (DESIGN §6).

It takes C files that asyncc accepts (the torture programs and lit run
tests), mutates them by lines (statements dropped, repeated, moved, and new
ones with awaits inserted: these mostly stay valid C that asyncc must
transform) and by tokens (deletes, duplicates, swaps, replacements drawn
from C's and asyncc's keywords, an identifier wrapped in `await(...)`,
truncation: mostly invalid C that asyncc must report cleanly), and runs
asyncc on each mutant.  A mutant fails
the run when asyncc

  - dies by a signal, exits with a status other than 0 or 1, or times out;
  - prints a sanitizer report;
  - exits 1 without a `file:line:col: error:` diagnostic, or leaves an
    output file behind;
  - exits 0 with output that the C compiler rejects although the compiler
    accepts the mutant's sync view (the untransformed source), that is,
    asyncc transformed code it should have refused.

Every failing mutant is written to --failures with its reason.  The run is
deterministic for a given --seed and corpus.

  fuzz.py --asyncc PATH --include DIR [--count N] [--seed S] corpus...

Exit status: 0 if no mutant failed, 1 otherwise, 2 on a usage error.
"""

import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile

# Identifiers, numbers, string and character literals, and punctuators
# (longest first); whitespace and comments go with the token after them.
TOKEN = re.compile(r"""
    (?P<space>(?:\s+|//[^\n]*|/\*.*?\*/)*)
    (?P<tok>[A-Za-z_]\w*
      | \d[\w.]*
      | "(?:[^"\\\n]|\\.)*"
      | '(?:[^'\\\n]|\\.)*'
      | \.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!=<>]=
      | \#\#|.)
    """, re.S | re.X)

# Tokens a mutation may put in: what async code is made of, and what
# the transformation has to refuse or handle with care.
DICTIONARY = [
    "await", "async", "(", ")", "{", "}", ";", ",", "?", ":", "&", "*",
    "&&", "||", "=", "return", "break", "continue", "goto", "case 1:",
    "default:", "if", "else", "while", "for", "do", "switch", "static",
    "const", "volatile", "register", "_Thread_local", "sizeof", "typeof",
    "_Alignas(16)", "int", "char", "struct", "union", "enum", "0", "1",
    "-1", "[3]", "[n]", "alloca(8)", "setjmp", "ac_spawn", "ac_block_on",
    "...", "#", "\n#define M(x) x\n", "\n#line 1\n", "__attribute__((unused))",
    "({", "})", "?:", "L'x'", "\"s\"", "0x7fffffff", "1e9",
]


def tokenize(text):
    toks = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        toks.append((m.group("space"), m.group("tok")))
        pos = m.end()
    tail = text[pos:]
    return toks, tail


def render(toks, tail=""):
    return "".join(space + tok for space, tok in toks) + tail


def identifiers(toks):
    return [t for _, t in toks if re.fullmatch(r"[A-Za-z_]\w*", t)]


# Statements a line-level mutation may insert where a statement may go.
STATEMENTS = [
    "await(ac_yield());", "(void)await(ac_yield());", "return;",
    "return 0;", "break;", "continue;", "goto out;", "out: ;", "{", "}",
    "if (await(ac_yield()), 1) {", "for (;;) {", "while (0) {",
    "int fz = 0; await(ac_yield()); fz++;",
    "int fza[4] = {0}; await(ac_yield()); fza[1] = fza[0];",
    "static int fzs; fzs += await(ac_yield()), 1;",
    "switch (0) { case 0: await(ac_yield()); }",
]


def mutate_tokens(text, rng):
    """One token-level edit: mostly invalid C, which asyncc must report
    cleanly, and sometimes a new await in an odd position."""
    toks, tail = tokenize(text)
    if not toks:
        return text
    names = identifiers(toks) or ["x"]
    i = rng.randrange(len(toks))
    space, tok = toks[i]
    kind = rng.randrange(8)
    if kind == 0 and len(toks) > 1:
        del toks[i]
    elif kind == 1:
        toks.insert(i, (" ", tok))
    elif kind == 2 and i + 1 < len(toks):
        toks[i], toks[i + 1] = (space, toks[i + 1][1]), (toks[i + 1][0], tok)
    elif kind == 3:
        toks[i] = (space, rng.choice(DICTIONARY))
    elif kind == 4:
        toks.insert(i, (" ", rng.choice(DICTIONARY)))
    elif kind == 5 and re.fullmatch(r"[A-Za-z_]\w*", tok):
        toks[i] = (space, "await(" + tok + ")")
    elif kind == 6:
        toks[i] = (space, rng.choice(names))
    else:
        # Truncation: what an editor's half-typed buffer looks like.
        del toks[i:]
        if not toks:
            toks = [("", "x")]
        tail = ""
    return render(toks, tail)


def mutate_lines(text, rng):
    """One line-level edit: statements moved, repeated, dropped or added,
    which keeps far more mutants valid C that asyncc has to transform."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0 and len(lines) > 1:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2 and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == 3:
        j = rng.randrange(len(lines))
        lines.insert(j, lines.pop(i))
    else:
        # A statement after a line that ends one, or opens a block.
        spots = [k for k, l in enumerate(lines)
                 if l.rstrip().endswith((";", "{"))] or [i]
        lines.insert(rng.choice(spots) + 1, rng.choice(STATEMENTS))
    return "\n".join(lines)


def mutate(text, rng):
    """One to three edits of text, line- or token-level."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if rng.random() < 0.6:
            text = mutate_lines(text, rng)
        else:
            text = mutate_tokens(text, rng)
    return text


class Fuzzer:
    def __init__(self, args, workdir):
        self.a = args
        self.work = workdir

    def compile_ok(self, path):
        cmd = [self.a.cc, "-std=" + self.a.std, "-fsyntax-only", "-w",
               "-I" + self.a.include, "-I" + os.path.dirname(path), path]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=self.a.timeout)
        except subprocess.TimeoutExpired:
            return False
        return r.returncode == 0

    def check(self, index, text, srcdir):
        """Returns how asyncc behaved ("refused", "compiled" or "cc
        rejects" when the C compiler rejects even the untransformed
        mutant), or the reason it misbehaved."""
        base = os.path.join(self.work, "m%05d" % index)
        src = base + ".c"
        out = base + ".out.c"
        with open(src, "w") as f:
            f.write(text)
        # Headers next to the original (lit's Inputs, a torture helper)
        # stay reachable.
        cmd = [self.a.asyncc, "--no-color", "-I" + self.a.include,
               "-I" + srcdir, src, "-o", out]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=self.a.timeout, errors="replace")
        except subprocess.TimeoutExpired:
            return "asyncc took longer than %ds" % self.a.timeout
        err = r.stderr
        if r.returncode < 0:
            return "asyncc died by signal %d\n%s" % (-r.returncode, err)
        if r.returncode not in (0, 1):
            return "asyncc exited %d\n%s" % (r.returncode, err)
        if "Sanitizer" in err or "runtime error:" in err:
            return "sanitizer report\n" + err
        if r.returncode == 1:
            if not re.search(r"^[^\n:]+:\d+:\d+: (fatal )?error: ", err, re.M):
                return "exit 1 without a file:line:col error\n" + err
            if os.path.exists(out):
                return "exit 1 but the output file was written"
            os.unlink(src)
            return "refused"
        if not os.path.exists(out):
            return "exit 0 but no output file"
        if self.compile_ok(out):
            outcome = "compiled"
        elif not self.compile_ok(src):
            outcome = "cc rejects"
        else:
            r = subprocess.run(
                [self.a.cc, "-std=" + self.a.std, "-fsyntax-only", "-w",
                 "-I" + self.a.include, "-I" + srcdir, out],
                capture_output=True, text=True, errors="replace")
            return ("the sync view compiles but asyncc's output does not\n"
                    + r.stderr[:4000])
        os.unlink(src)
        os.unlink(out)
        return outcome


def main(argv):
    p = argparse.ArgumentParser(description="Mutation fuzzer for asyncc.")
    p.add_argument("corpus", nargs="+", help="C files or directories of them")
    p.add_argument("--asyncc", required=True)
    p.add_argument("--include", required=True, help="asyncc's include dir")
    p.add_argument("--cc", default="cc")
    p.add_argument("--std", default="gnu11")
    p.add_argument("--count", type=int, default=200,
                   help="mutants to try (default 200)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=int, default=30,
                   help="seconds one asyncc or cc run may take")
    p.add_argument("-j", type=int, default=os.cpu_count() or 1)
    p.add_argument("--failures", help="directory for failing mutants "
                   "(default: a temporary directory that is kept)")
    a = p.parse_args(argv)

    files = []
    for path in a.corpus:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, n) for n in os.listdir(path)
                            if n.endswith(".c"))
        else:
            files.append(path)
    if not files:
        p.error("the corpus is empty")
    sources = [(f, open(f, encoding="utf-8", errors="replace").read())
               for f in files]

    rng = random.Random(a.seed)
    mutants = []
    for i in range(a.count):
        path, text = rng.choice(sources)
        mutants.append((i, path, mutate(text, rng)))

    with tempfile.TemporaryDirectory(prefix="asyncc-fuzz-") as work:
        fz = Fuzzer(a, work)
        failed = []
        outcomes = {"refused": 0, "compiled": 0, "cc rejects": 0}
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
            jobs = {ex.submit(fz.check, i, text, os.path.dirname(
                os.path.abspath(path))): (i, path, text)
                for i, path, text in mutants}
            for job in concurrent.futures.as_completed(jobs):
                reason = job.result()
                if reason in outcomes:
                    outcomes[reason] += 1
                else:
                    failed.append(jobs[job] + (reason,))
        failed.sort()
        if failed:
            dest = a.failures or tempfile.mkdtemp(prefix="asyncc-fuzz-fail-")
            os.makedirs(dest, exist_ok=True)
            for i, path, text, reason in failed:
                name = os.path.join(dest, "mutant%05d.c" % i)
                with open(name, "w") as f:
                    f.write(text)
                with open(name + ".why", "w") as f:
                    f.write("from %s (seed %d)\n%s\n" % (path, a.seed, reason))
                print("FAIL %s (from %s): %s" % (
                    name, os.path.basename(path), reason.splitlines()[0]))
    print("%d mutants: %d refused with a diagnostic, %d transformed and "
          "compiled, %d transformed but rejected by cc like their sync "
          "view, %d failed" % (len(mutants), outcomes["refused"],
                               outcomes["compiled"], outcomes["cc rejects"],
                               len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
