#!/usr/bin/env python3
"""A change to one object changes only that object's lines in the plan.

For each edit below, the example project is built, the one object is
changed in its source file (each edit also adds a line, so the objects
declared after it in the same file move down), the project is built again
with the first plan as the previous one, and every line the diff shows must
be line 2 (the plan's hash), a manifest line of that object (`@object`,
`@state` and the `@column` lines under it) or a step on that object (its
header and statement). Prints the number of changed lines per edit.

    one_change.py MVDC WORKDIR
"""
import difflib
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "web-analytics")

# (label, file, old text, new text, kind, qualified name)
EDITS = [
    ("add a column to the first table of a file", "events.mvd",
     "    user_id     UInt64,\n", "    user_id     UInt64,\n    tenant      UInt32 default 0,\n",
     "table", "web.page_views"),
    ("add a column to the last table of a file", "events.mvd",
     "    channel         LowCardinality(String),\n",
     "    channel         LowCardinality(String),\n    region          String,\n",
     "table", "web.campaigns"),
    ("change a view's query", "reports.mvd",
     "limit 100;\n", "--- Fifty are enough.\nlimit 50;\n",
     "view", "web.top_pages"),
]


def owner_of_lines(text):
    """Each line of a plan with the (kind, qname) it belongs to, or None
    for lines of no object (lines 1-2, options, comments). A step's
    statement runs to the empty line after it, which is the step's too (no
    statement of the example holds an empty line); @column lines belong to their @state."""
    owners = []
    owner, in_step = None, False
    for line in text.split("\n"):
        m = re.match(r"-- @(?:object|state|removed|dropped) (\S+) (\S+)", line)
        s = re.match(r"-- @step \S+ \S+ (\S+) (\S+) ", line)
        if m or s:
            owner, in_step = (m or s).group(1, 2), bool(s)
        elif line == "":  # a step's framing: its empty line is its own
            owners.append(owner if in_step else None)
            owner, in_step = None, False
            continue
        elif not in_step and not line.startswith("-- @column"):
            owner = None
        owners.append(owner)
    return owners


def main():
    mvdc, work = sys.argv[1], sys.argv[2]
    failed = 0
    for label, fname, old, new, kind, qname in EDITS:
        base = os.path.join(work, "base")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(EXAMPLE, base)
        os.remove(os.path.join(base, "plan.sql"))
        shutil.rmtree(os.path.join(base, ".releases"), ignore_errors=True)
        p1, p2 = os.path.join(work, "p1.sql"), os.path.join(work, "p2.sql")
        subprocess.run([mvdc, "build", "--no-previous", "-o", p1, "base"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        path = os.path.join(base, fname)
        src = open(path).read()
        if src.count(old) != 1:
            print("FAIL plan/one-change: %s: the edit no longer applies to %s" % (label, fname))
            failed += 1
            continue
        open(path, "w").write(src.replace(old, new))
        subprocess.run([mvdc, "build", "--previous", p1, "-o", p2, "base"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        a, b = open(p1).read(), open(p2).read()
        oa, ob = owner_of_lines(a), owner_of_lines(b)
        la, lb = a.split("\n"), b.split("\n")
        bad, changed = [], 0
        matcher = difflib.SequenceMatcher(None, la, lb, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            for side, lines, owners, lo, hi in (("-", la, oa, i1, i2), ("+", lb, ob, j1, j2)):
                for k in range(lo, hi):
                    changed += 1
                    if k == 1 and lines[k].startswith("-- plan-sha256: "):
                        continue
                    if owners[k] != (kind, qname):
                        bad.append("%s%d: %s" % (side, k + 1, lines[k][:160]))
        name = "plan/one-change: %s (%s): %d changed lines" % (label, qname, changed)
        if bad or changed == 0:
            print("FAIL " + name)
            for line in bad[:20] or ["nothing changed"]:
                print("    " + line)
            failed += 1
        else:
            print("PASS " + name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
