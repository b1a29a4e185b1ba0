#!/usr/bin/env python3
"""Checks asyncc's explorer page (--emit=html) of one C file in headless
Chromium.

The page, opened with #selftest, clicks every line of both panes itself and
writes into the DOM what each click selected, with the geometry of the
panes and of the graph.  This script reads that back (chromium --dump-dom)
and compares it with what asyncc's other outputs say, computed here
independently:

- both panes are there, side by side, with every source line and every
  line of `asyncc --for-reading`, in order;
- clicking a source line selects exactly the generated lines that the
  #line directives of `asyncc FILE -o -` attribute to it, and clicking a
  generated line selects the source line it came from (none for lines
  generated from nothing);
- the graph has exactly the states and transitions of `--emit=dot`, every
  edge drawn, no two states of a function overlapping.

  explorer.py --asyncc BIN --source FILE --work DIR [--flag=F ...]
              [--screenshot PNG --select N]

With --screenshot, it also saves a picture of the page (source line N
selected).  Exits 77 (skipped) when Chromium is not installed.
"""
import argparse
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                          p.stderr))
    return p.stdout


def chromium(browser, args, url, work):
    """Runs headless Chromium on url with a fresh profile; returns stdout."""
    with tempfile.TemporaryDirectory(dir=work) as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-quic", "--no-first-run",
               "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + profile] + args + [url]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit("chromium failed (%d):\n%s" % (p.returncode, p.stderr))
    return p.stdout


def expected_mapping(generated, path, nsrc):
    """For each displayed generated line (directives removed), the source
    line it came from per the #line directives, 0 for none.  A second
    reading of the directives, independent of the page's."""
    directive = re.compile(r'#line (\d+)(?: "((?:[^"\\]|\\.)*)")?\s*$')
    lines, origin = [], []
    nxt, from_input = 1, True
    for text in generated.split("\n")[:-1]:
        m = directive.match(text)
        if m:
            nxt = int(m.group(1))
            name = re.sub(r"\\(.)", r"\1", m.group(2) or "")
            from_input = name == path
            continue
        lines.append(text)
        origin.append(nxt if from_input and nxt <= nsrc else 0)
        nxt += 1
    return lines, origin


def dot_graph(dot):
    """The (function, state) nodes and (function, from, to) edges of a
    --emit=dot text, and each await state's line."""
    nodes, edges, lines = set(), set(), {}
    fn = None
    for text in dot.split("\n"):
        m = re.match(r"\s*subgraph cluster_(\w+) \{", text)
        if m:
            fn = m.group(1)
            continue
        m = re.match(r"\s*(\w+) -> (\w+)(?: \[label=\"line (\d+):)?", text)
        if m and fn:
            edges.add((fn, m.group(1), m.group(2)))
            nodes.update({(fn, m.group(1)), (fn, m.group(2))})
            if m.group(3) and not m.group(2).endswith("_DONE"):
                lines[(fn, m.group(2))] = int(m.group(3))
            continue
        m = re.match(r"\s*(\w+) \[shape=", text)
        if m and fn:
            nodes.add((fn, m.group(1)))
    return nodes, edges, lines


def selftest_result(dom):
    m = re.search(r'<pre id="selftest"[^>]*data-done="1"[^>]*>(.*?)</pre>',
                  dom, re.S)
    if not m:
        sys.exit("the page's self-test did not finish: no result in the DOM")
    return json.loads(html.unescape(m.group(1)))


class Checker:
    def __init__(self, name):
        self.name, self.errors = name, []

    def check(self, ok, msg):
        if not ok:
            self.errors.append(msg)

    def done(self):
        for e in self.errors[:30]:
            print("FAIL: %s: %s" % (self.name, e))
        if self.errors:
            sys.exit(1)
        print("PASS: %s" % self.name)


def check_panes(c, r, nsrc, reading):
    panes = {p["id"]: p for p in r["panes"]}
    c.check(set(panes) == {"src", "gen"}, "panes: %s" % sorted(panes))
    if set(panes) != {"src", "gen"}:
        return
    src, gen = panes["src"], panes["gen"]
    c.check(src["lines"] == nsrc, "source pane has %d lines, the file %d"
            % (src["lines"], nsrc))
    c.check(gen["lines"] == len(reading), "generated pane has %d lines, "
            "--for-reading %d" % (gen["lines"], len(reading)))
    c.check(src["x"] + src["w"] <= gen["x"] and abs(src["y"] - gen["y"]) < 2,
            "panes are not side by side: %s %s" % (src, gen))
    c.check(src["w"] > 200 and gen["w"] > 200 and src["h"] > 200,
            "panes too small: %s %s" % (src, gen))
    c.check(r["genText"] == reading, "the generated pane is not the "
            "--for-reading output")


def check_mapping(c, r, origin, nsrc):
    by_src = {s: [] for s in range(1, nsrc + 1)}
    for g, s in enumerate(origin, 1):
        if s:
            by_src[s].append(g)
    for s in range(1, nsrc + 1):
        got = sorted(r["src"].get(str(s), []))
        c.check(got == by_src[s], "click on source line %d selects generated "
                "lines %s, not %s" % (s, got, by_src[s]))
    for g, s in enumerate(origin, 1):
        got = r["gen"].get(str(g))
        want = [s] if s else []
        c.check(got == want, "click on generated line %d selects source "
                "lines %s, not %s" % (g, got, want))


def overlap(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def check_graph(c, r, dot):
    nodes, edges, lines = dot_graph(dot)
    got_nodes = {(n["fn"], n["state"]) for n in r["nodes"]}
    got_edges = {(e["fn"], e["from"], e["to"]) for e in r["edges"]}
    c.check(got_nodes == nodes, "graph states differ from --emit=dot: "
            "missing %s, extra %s" % (sorted(nodes - got_nodes),
                                      sorted(got_nodes - nodes)))
    c.check(got_edges == edges, "graph edges differ from --emit=dot: "
            "missing %s, extra %s" % (sorted(edges - got_edges),
                                      sorted(got_edges - edges)))
    c.check(len(r["edges"]) == len(edges), "%d edges drawn for %d "
            "transitions" % (len(r["edges"]), len(edges)))
    for e in r["edges"]:
        c.check(e["len"] > 10, "edge %s -> %s is not drawn" % (e["from"],
                                                             e["to"]))
    for n in r["nodes"]:
        c.check(n["w"] > 20 and n["h"] > 20, "state %s has no box"
                % n["state"])
        want = lines.get((n["fn"], n["state"]), 0)
        c.check(n["line"] == want, "state %s is at line %d, not %d"
                % (n["state"], n["line"], want))
    for i, a in enumerate(r["nodes"]):
        for b in r["nodes"][i + 1:]:
            c.check(a["fn"] != b["fn"] or not overlap(a, b),
                    "states %s and %s overlap" % (a["state"], b["state"]))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s is not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--asyncc", required=True)
    ap.add_argument("--source", required=True,
                    help="the C file, relative to --root")
    ap.add_argument("--root", default=".", help="where asyncc runs")
    ap.add_argument("--work", required=True)
    ap.add_argument("--flag", action="append", default=[],
                    help="a flag for asyncc, e.g. --flag=-DX=1")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "")
    ap.add_argument("--screenshot")
    ap.add_argument("--select", type=int, default=1)
    a = ap.parse_args()
    if not a.chromium or not os.access(a.chromium, os.X_OK):
        print("SKIP: Chromium is not installed (scripts/bootstrap installs "
              "the Debian package chromium)")
        sys.exit(SKIP)
    os.makedirs(a.work, exist_ok=True)
    work = os.path.abspath(a.work)
    tool = [os.path.abspath(a.asyncc)] + a.flag
    name = os.path.splitext(os.path.basename(a.source))[0]
    page = os.path.join(work, name + ".html")
    run(tool + ["--emit=html", a.source, "-o", page], cwd=a.root)
    if a.screenshot:
        shot = os.path.abspath(a.screenshot)
        chromium(a.chromium, ["--window-size=1400,900",
                              "--hide-scrollbars", "--screenshot=" + shot],
                 "file://%s#line=%d" % (page, a.select), work)
        w, h = png_size(shot)
        if (w, h) != (1400, 900):
            sys.exit("%s is %dx%d, not 1400x900" % (shot, w, h))
        print("PASS: screenshot %s" % shot)
        return
    with open(os.path.join(a.root, a.source), encoding="utf-8",
              errors="replace") as f:
        text = f.read()
    nsrc = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    generated = run(tool + [a.source, "-o", "-"], cwd=a.root)
    reading = run(tool + ["--for-reading", a.source, "-o", "-"],
                  cwd=a.root).split("\n")[:-1]
    dot = run(tool + ["--emit=dot", a.source, "-o", "-"], cwd=a.root)
    lines, origin = expected_mapping(generated, a.source, nsrc)
    dom = chromium(a.chromium, ["--window-size=1400,900",
                                "--virtual-time-budget=10000", "--dump-dom"],
                   "file://%s#selftest" % page, work)
    r = selftest_result(dom)
    c = Checker(a.source)
    c.check(lines == reading, "the #line output without its directives is "
            "not the --for-reading output")
    check_panes(c, r, nsrc, reading)
    check_mapping(c, r, origin, nsrc)
    check_graph(c, r, dot)
    c.done()


if __name__ == "__main__":
    main()
