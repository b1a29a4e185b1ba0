#!/usr/bin/env python3
"""Turns a csmith-generated C program into an asyncc program.

Every function defined in the file (csmith's func_N), except main and
variadic functions, becomes `async` in its prototypes and its definition;
every call of one from another becomes `await(call)`, and every call of one
from main becomes `ac_block_on(call)`.  `#include <asyncc.h>` is added after
the last #include.  csmith.h's helpers (safe math, crc) are declared in the
header, not defined in the file, so they stay synchronous.

The rewrite works on tokens, with parentheses matched, and only inserts
text: everything else is kept byte for byte.  In the sync view (async an
annotation, await(e) and ac_block_on(e) just e) the result computes what
the original does, which `--check` verifies by building and running both.

  asyncify.py in.c [-o out.c]
  asyncify.py in.c -o out.c --check --include DIR --sync-lib LIB

Exit status: 0 on success, 1 if --check finds a difference, 2 on a usage
error, 3 if the program has a construct this rewrite does not handle (a
function used other than by calling it, or a variadic function that calls
an async one).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

CSMITH_INCLUDE = "/usr/include/csmith"

# Specifiers that may stand before the return type; `async` goes after them.
STORAGE = {"static", "extern", "inline", "__inline", "__inline__",
           "_Noreturn"}

TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+|\n)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>[LuU8]*"(?:\\.|[^"\\\n])*")
  | (?P<char>[LuU]?'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
  | (?P<punct>\.\.\.|->|.)
""", re.VERBOSE | re.DOTALL)


class Unsupported(Exception):
    pass


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def __repr__(self):
        return "%s(%r)" % (self.kind, self.text)


def tokenize(src):
    """Returns the significant tokens of `src`: no whitespace or comments,
    and each preprocessor directive (with its continuations) as one token
    of kind 'pp'."""
    toks = []
    pos, n = 0, len(src)
    line_start = True
    while pos < n:
        if line_start:
            m = re.match(r"[ \t]*#", src[pos:pos + 256])
            if m:
                end = pos
                while True:
                    nl = src.find("\n", end)
                    if nl < 0:
                        end = n
                        break
                    if src[nl - 1] == "\\":
                        end = nl + 1
                        continue
                    end = nl
                    break
                toks.append(Tok("pp", src[pos:end], pos, end))
                pos = end
                continue
        m = TOKEN_RE.match(src, pos)
        kind = m.lastgroup
        text = m.group()
        if kind == "ws":
            line_start = text == "\n" or (line_start and "\n" not in text)
        elif kind == "comment":
            line_start = line_start and "\n" not in text
        else:
            line_start = False
            toks.append(Tok(kind, text, pos, m.end()))
        pos = m.end()
    return toks


def match_paren(toks, i):
    """toks[i] is '(' (or '{'); returns the index of its partner."""
    opener = toks[i].text
    closer = {"(": ")", "{": "}", "[": "]"}[opener]
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j].text
        if toks[j].kind != "punct":
            continue
        if t == opener:
            depth += 1
        elif t == closer:
            depth -= 1
            if depth == 0:
                return j
    raise Unsupported("unbalanced '%s' at offset %d" % (opener,
                                                          toks[i].start))


def is_punct(tok, text):
    return tok.kind == "punct" and tok.text == text


def file_scope_functions(toks):
    """Yields (name index, '(' index, ')' index, is_definition) for every
    function declarator at file scope: an identifier outside any braces or
    parentheses followed by a parameter list, then by '{', ';' or ','."""
    depth = 0
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "punct" and t.text == "{":
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth -= 1
        elif t.kind == "punct" and t.text == "(" and depth == 0:
            # Skip parenthesised groups that are not a declarator's
            # parameter list (attributes, abstract declarators).
            close = match_paren(toks, i)
            prev = toks[i - 1] if i else None
            nxt = toks[close + 1] if close + 1 < len(toks) else None
            if (prev is not None and prev.kind == "ident" and
                    prev.text != "__attribute__" and nxt is not None and
                    nxt.kind == "punct" and nxt.text in ("{", ";", ",")):
                yield i - 1, i, close, nxt.text == "{"
            i = close
        i += 1


def is_variadic(toks, lparen, rparen):
    return any(is_punct(toks[k], "...") for k in range(lparen, rparen))


def decl_start(toks, name_index):
    """Index of the first token of the declaration holding the declarator
    at name_index, past storage-class specifiers and attributes."""
    k = name_index
    while k > 0:
        p = toks[k - 1]
        if p.kind == "pp" or (p.kind == "punct" and p.text in (";", "}")):
            break
        k -= 1
    while toks[k].kind == "ident" and toks[k].text in STORAGE:
        k += 1
    return k


class Asyncifier:
    def __init__(self, src):
        self.src = src
        self.toks = tokenize(src)
        self.inserts = []  # (offset, order, text)

    def insert(self, offset, text, order):
        """order breaks ties: closers (0) before openers (1) at one
        offset, so `f(g(x))` nests properly."""
        self.inserts.append((offset, order, len(self.inserts), text))

    def run(self):
        toks = self.toks
        decls = list(file_scope_functions(toks))
        defined = {toks[n].text for n, _, _, is_def in decls if is_def}
        variadic = {toks[n].text for n, l, r, _ in decls
                    if is_variadic(toks, l, r)}
        self.async_fns = defined - {"main"} - variadic
        if not self.async_fns:
            raise Unsupported("no function to make async")

        # Prototypes and definitions: `static T f(...)` -> `static async T
        # f(...)`.  Several declarators in one declaration share one insert.
        starts = set()
        for n, _, _, _ in decls:
            if toks[n].text in self.async_fns:
                starts.add(decl_start(toks, n))
        for k in sorted(starts):
            self.insert(toks[k].start, "async ", 1)

        # Bodies: wrap calls.
        bodies = [(l, r, toks[n].text, close)
                  for n, l, r, is_def in decls if is_def
                  for close in [match_paren(toks, r + 1)]]
        for _, r, fname, close in bodies:
            if fname in self.async_fns:
                wrapper = "await("
            elif fname == "main":
                wrapper = "ac_block_on("
            else:
                wrapper = None  # a variadic function: it cannot await
            self.wrap_calls(r + 1, close, fname, wrapper)
        self.check_no_other_uses(bodies)
        self.add_include()
        return self.apply()

    def wrap_calls(self, lo, hi, fname, wrapper):
        """Wraps each call of an async function in toks[lo:hi], the body
        of fname, as wrapper + call + ')'."""
        toks = self.toks
        for i in range(lo, hi):
            t = toks[i]
            if t.kind != "ident" or t.text not in self.async_fns:
                continue
            if i > 0 and toks[i - 1].kind == "punct" and \
                    toks[i - 1].text in (".", "->"):
                continue
            if not (i + 1 < hi and is_punct(toks[i + 1], "(")):
                raise Unsupported("%s is used other than by a call in %s" %
                                  (t.text, fname))
            if wrapper is None:
                raise Unsupported("variadic %s calls async %s" %
                                  (fname, t.text))
            close = match_paren(toks, i + 1)
            self.insert(t.start, wrapper, 1)
            self.insert(toks[close].end, ")", 0)

    def check_no_other_uses(self, bodies):
        """An async function named outside every body (say in a global
        initialiser, as a function pointer) cannot be rewritten."""
        inside = set()
        for l, _, _, close in bodies:
            inside.update(range(l, close + 1))
        decl_names = {n for n, _, _, _ in file_scope_functions(self.toks)}
        for i, t in enumerate(self.toks):
            if (t.kind == "ident" and t.text in self.async_fns and
                    i not in inside and i not in decl_names):
                raise Unsupported("%s is used outside a function body" %
                                  t.text)

    def add_include(self):
        last = None
        for t in self.toks:
            if t.kind == "pp" and re.match(r"\s*#\s*include\b", t.text):
                last = t
        if last is None:
            self.insert(0, "#include <asyncc.h>\n", 1)
        else:
            self.insert(last.end, "\n#include <asyncc.h>", 1)

    def apply(self):
        out = []
        pos = 0
        for offset, _, _, text in sorted(self.inserts):
            out.append(self.src[pos:offset])
            out.append(text)
            pos = offset
        out.append(self.src[pos:])
        return "".join(out)


def asyncify(src):
    """Returns the asyncc program for the csmith program `src`; raises
    Unsupported if it cannot."""
    return Asyncifier(src).run()


def build_and_run(cmd, exe, timeout):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    if r.returncode != 0:
        return None, "compile failed: %s\n%s" % (" ".join(cmd), r.stderr)
    try:
        p = subprocess.run([exe], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL,
                           stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return (p.returncode, p.stdout), None


def check(orig, converted, include, sync_lib, cc="cc", timeout=10,
          csmith_include=CSMITH_INCLUDE, cflags=()):
    """Builds and runs `orig` and the sync view of `converted` (with the
    extra compiler flags `cflags`); returns None if they agree, else a
    message."""
    with tempfile.TemporaryDirectory(prefix="asyncify-") as d:
        a, b = os.path.join(d, "orig"), os.path.join(d, "sync")
        ra, err = build_and_run([cc, "-std=c11", "-w", "-I" + csmith_include,
                                 orig, "-o", a] + list(cflags), a, timeout)
        if err:
            return "original: " + err
        rb, err = build_and_run([cc, "-std=c11", "-w", "-I" + include,
                                 "-I" + csmith_include, converted, "-o", b,
                                 sync_lib] + list(cflags), b, timeout)
        if err:
            return "sync view: " + err
        if ra != rb:
            return "sync view differs: original %r, sync view %r" % (ra, rb)
    return None


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("input")
    p.add_argument("-o", "--output", default="-")
    p.add_argument("--check", action="store_true",
                   help="build the original and the sync view of the "
                   "output, run both, and require equal stdout and status")
    p.add_argument("--include", help="asyncc's include directory")
    p.add_argument("--sync-lib", help="libasyncc_sync.a")
    p.add_argument("--csmith-include", default=CSMITH_INCLUDE)
    p.add_argument("--cc", default=os.environ.get("CC", "cc"))
    args = p.parse_args(argv)
    if args.check and (not args.include or not args.sync_lib or
                       args.output == "-"):
        p.error("--check needs --include, --sync-lib and -o FILE")
    with open(args.input, encoding="utf-8", errors="surrogateescape") as f:
        src = f.read()
    try:
        out = asyncify(src)
    except Unsupported as e:
        print("asyncify: %s: %s" % (args.input, e), file=sys.stderr)
        return 3
    if args.output == "-":
        sys.stdout.write(out)
    else:
        with open(args.output, "w", encoding="utf-8",
                  errors="surrogateescape") as f:
            f.write(out)
    if args.check:
        msg = check(args.input, args.output, args.include, args.sync_lib,
                    args.cc, csmith_include=args.csmith_include)
        if msg:
            print("asyncify: %s: %s" % (args.input, msg), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
