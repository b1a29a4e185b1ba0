#!/usr/bin/env python3
"""Listings in the docs that the build produces: code, generated code,
traces, frame layouts, pictures and explorer pages, never pasted.

A Markdown file marks each listing with its recipe:

    <!-- listing: KIND ARGS... -->
    ...the listing, as the recipe makes it...
    <!-- end listing -->

and this script makes each listing again from files in the tree and the
programs of the build.  Paths in a recipe are relative to the Markdown
file; asyncc runs from the source tree, so the generated code names files
as the tree does.  The kinds:

  source FILE [NAME...]   FILE, or its definitions of NAME (a function,
                          `struct NAME`), with the comment above each
  c FILE FN PART...       parts of `asyncc --for-reading FILE` for the
                          async function FN: enum, frame, init, poll,
                          drop, spawn, block_on
  layout FILE [FN...]     `asyncc --emit=layout FILE`, or the frames of FN
  trace PROGRAM           the output of build/bin/PROGRAM run with
                          ASYNCC_TRACE=1 (stderr and stdout together)
  run PROGRAM             its output, without the trace
  svg FILE OUT            writes `asyncc --emit=svg FILE` to OUT; the
                          listing is the Markdown image of OUT
  html FILE OUT           writes `asyncc --emit=html FILE` to OUT; the
                          listing is a link to OUT

  listings.py --check|--update --root DIR --asyncc BIN --bin DIR FILE.md...

--check fails, with a diff, when a listing or a written file differs from
what its recipe makes now; --update rewrites them (scripts/update-docs).
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

BEGIN = re.compile(r"^<!-- listing: (.*?) -->\n", re.M)
END = "<!-- end listing -->\n"


class Error(Exception):
    pass


class Maker:
    def __init__(self, root, asyncc, bindir):
        self.root, self.asyncc, self.bindir = root, asyncc, bindir
        self.files = {}  # path -> text: files the recipes write

    def tool(self, *args):
        p = subprocess.run([self.asyncc] + list(args), cwd=self.root,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise Error("asyncc %s failed:\n%s" % (" ".join(args), p.stderr))
        return p.stdout

    def program(self, name, trace):
        path = os.path.join(self.bindir, name)
        if not os.access(path, os.X_OK):
            raise Error("no program %s: build first" % path)
        env = dict(os.environ)
        env.pop("ASYNCC_TRACE", None)
        if trace:
            env["ASYNCC_TRACE"] = "1"
        p = subprocess.run([path], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        if p.returncode != 0:
            raise Error("%s exited with %d:\n%s" % (path, p.returncode,
                                                    p.stdout))
        return p.stdout

    def make(self, mddir, recipe):
        kind, args = recipe[0], recipe[1:]
        rel = lambda p: os.path.relpath(os.path.join(mddir, p), self.root)
        if kind == "source" and args:
            return fenced("c", source(self.root, rel(args[0]), args[1:]))
        if kind == "c" and len(args) >= 3:
            text = self.tool("--for-reading", rel(args[0]), "-o", "-")
            return fenced("c", generated(text, args[1], args[2:]))
        if kind == "layout" and args:
            text = self.tool("--emit=layout", rel(args[0]), "-o", "-")
            return fenced("text", frames(text, args[1:]))
        if kind in ("trace", "run") and len(args) == 1:
            out = self.program(args[0], kind == "trace")
            env = "ASYNCC_TRACE=1 " if kind == "trace" else ""
            return fenced("console", "$ %sbuild/bin/%s\n%s"
                          % (env, args[0], out))
        if kind in ("svg", "html") and len(args) == 2:
            out = rel(args[1])
            self.files[out] = self.tool("--emit=" + kind, rel(args[0]),
                                        "-o", "-")
            name = os.path.basename(args[0])
            if kind == "svg":
                return "![The state graphs of %s](%s)\n" % (name, args[1])
            return ("[%s in the explorer](%s) (open the file in a browser)\n"
                    % (name, args[1]))
        raise Error("bad recipe: %s" % " ".join(recipe))


def fenced(lang, text):
    if not text.endswith("\n"):
        text += "\n"
    return "```%s\n%s```\n" % (lang, text)


def definition(lines, start):
    """Lines [a, b) of the definition that starts at line `start`: back over
    the comment right above it, on to the '}' or '};' that ends it."""
    end = start
    while end < len(lines) and lines[end] not in ("}", "};"):
        end += 1
    if end == len(lines):
        raise Error("no end for: %s" % lines[start])
    a = start
    if a > 0 and lines[a - 1].endswith("*/"):
        while a > 0 and not lines[a - 1].startswith("/*"):
            a -= 1
        a -= 1
    return a, end + 1


def find_start(lines, pattern, what):
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            return i
    raise Error("no %s" % what)


def source(root, path, names):
    with open(os.path.join(root, path)) as f:
        text = f.read()
    if not names:
        return text
    lines, parts = text.split("\n"), []
    for name in names:
        pattern = r"^(struct %s \{|\S.*\b%s\(.*\{)$" % (re.escape(name),
                                                       re.escape(name))
        a, b = definition(lines, find_start(lines, pattern,
                                            "definition of %s in %s"
                                            % (name, path)))
        parts.append("\n".join(lines[a:b]))
    return "\n\n".join(parts)


def generated(text, fn, parts):
    """The named parts of the code generated for async function fn."""
    lines, out = text.split("\n"), []
    patterns = {
        "enum": r"^enum %s_state \{$",
        "frame": r"^struct %s_frame \{$",
    }
    for part in parts:
        pattern = patterns.get(part, r"^\S.*\b%%s_%s\(.*\) \{$" % part)
        start = find_start(lines, pattern % re.escape(fn),
                           "%s of %s in the generated code" % (part, fn))
        end = start
        while lines[end] not in ("}", "};"):
            end += 1
        out.append("\n".join(lines[start:end + 1]))
    return "\n\n".join(out)


def frames(text, fns):
    """The --emit=layout reports of the frames of fns (all if none)."""
    reports = [r for r in text.split("\n\n") if r.strip()]
    if not fns:
        return "\n\n".join(reports)
    keep = []
    for fn in fns:
        found = [r for r in reports if r.startswith("struct %s_frame:" % fn)]
        if not found:
            raise Error("no frame of %s in the layout" % fn)
        keep += found
    return "\n\n".join(r.rstrip("\n") for r in keep)


def remake(maker, path):
    """The file's text with every listing made again."""
    with open(path) as f:
        text = f.read()
    out, at = [], 0
    if not BEGIN.search(text):
        raise Error("%s has no listing" % path)
    for m in BEGIN.finditer(text):
        end = text.find(END, m.end())
        if end < 0:
            raise Error("%s: listing without '%s'" % (path, END.strip()))
        out.append(text[at:m.end()])
        out.append(maker.make(os.path.dirname(path), m.group(1).split()))
        at = end
    out.append(text[at:])
    return text, "".join(out)


def differs(name, old, new):
    if old == new:
        return False
    diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                name + " (in the tree)", name + " (made now)")
    sys.stdout.writelines(list(diff)[:200])
    return True


def main():
    ap = argparse.ArgumentParser()
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--update", action="store_true")
    ap.add_argument("--root", required=True)
    ap.add_argument("--asyncc", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("docs", nargs="+")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    maker = Maker(root, os.path.abspath(a.asyncc), os.path.abspath(a.bin))
    stale = []
    try:
        for doc in a.docs:
            path = os.path.relpath(os.path.abspath(doc), root)
            old, new = remake(maker, os.path.join(root, path))
            if a.update and old != new:
                with open(os.path.join(root, path), "w") as f:
                    f.write(new)
                print("updated %s" % path)
            elif a.check and differs(path, old, new):
                stale.append(path)
    except (Error, subprocess.TimeoutExpired) as e:
        sys.exit("listings: %s" % e)
    for out, text in sorted(maker.files.items()):
        full = os.path.join(root, out)
        old = open(full).read() if os.path.exists(full) else ""
        if a.update and old != text:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
            print("updated %s" % out)
        elif a.check and differs(out, old, text):
            stale.append(out)
    if stale:
        sys.stdout.flush()
        sys.exit("listings: out of date: %s; run scripts/update-docs "
                 "(never edit listings by hand)" % ", ".join(stale))


if __name__ == "__main__":
    main()
