#!/usr/bin/env python3
"""Checks that docs/api.md names every public name of the headers.

Public: identifiers starting with ac_ or AC_ declared or defined in
include/asyncc.h and include/asyncc/*.h, except the ABI's per-future
functions (f_init, f_poll, f_drop and struct f_frame of each future f,
described once in docs/abi.md) and names with a double underscore (private).  Prints the
missing names and exits 1 if there are any.

  check-api.py INCLUDE_DIR API_MD
"""
import glob
import os
import re
import sys


def main(include, api_md):
    headers = [os.path.join(include, "asyncc.h")]
    headers += sorted(glob.glob(os.path.join(include, "asyncc", "*.h")))
    names = set()
    for h in headers:
        text = open(h, encoding="utf-8").read()
        # Names in comments are references, not declarations.
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        names |= set(re.findall(r"\b(?:ac|AC)_[A-Za-z0-9_]+\b", text))
    def abi(n):
        m = re.match(r"(.*)_(init|poll|drop|frame)$", n)
        return m and m.group(1) + "_poll" in names
    wanted = sorted(n for n in names
                    if not n.startswith(("ac__", "AC__")) and not abi(n))
    doc = open(api_md, encoding="utf-8").read()
    missing = [n for n in wanted if not re.search(r"\b%s\b" % n, doc)]
    for n in missing:
        print("%s: %s is public but not in the API reference" % (api_md, n))
    print("%d public names, %d missing" % (len(wanted), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
