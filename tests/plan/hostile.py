#!/usr/bin/env python3
"""Hostile values in every field a plan's comment lines carry.

   hostile.py MVDC MVRUN WORKDIR

A project whose database, table, view, MV and column names, enum values,
tuple element names and source path hold newlines, quotes, backquotes,
backslashes, spaces, dots, `$`, a would-be `-- @step` line and non-ASCII
bytes. For each variant: `mvdc build` writes a plan; every line outside a
statement is a comment (the plan's own reader, `mvrun verify`, accepts it
and counts exactly the steps mvdc planned); the plan applied to chDB
succeeds and a second run finds nothing to do (so mvrun read every
`@column` name and type back exactly as system.columns has them: else it
would report drift); the next `mvdc build` with that plan as --previous
gives the same bytes (mvdc reads them back exactly too). Registry and
cluster options with such values are refused by mvdc. Prints PASS/FAIL
lines.
"""
import os
import re
import shutil
import subprocess
import sys

MVDC, MVRUN, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0

HOSTILE = [
    "line\nbreak",
    "-- @step setup create table victim.users",
    "it's",
    "back`quote",
    "back\\slash",
    "a.b",
    "$x",
    "sp ace",
    "caf\u00e9",
    "tab\there",
    "\u65e5\u672c",
]


def report(name, ok, detail=""):
    global failures
    print("%s plan-hostile/%s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        failures += 1
        for line in str(detail).splitlines()[:20]:
            print("    " + line)


def q(name):
    """A name in .mvd source: backquoted, with escapes."""
    out = name.replace("\\", "\\\\").replace("`", "\\`").replace("\n", "\\n").replace("\t", "\\t")
    return "`" + out + "`"


def s(text):
    """A string literal in .mvd source."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t") + "'"


def source(v):
    cols = ",\n    ".join("%s String" % q("c%d %s" % (i, h)) for i, h in enumerate(HOSTILE))
    enum = ", ".join("%s = %d" % (s(h), i + 1) for i, h in enumerate(HOSTILE))
    db, t, view, tgt, mv = q("db " + v), q("t " + v), q("v " + v), q("tgt " + v), q("mv " + v)
    return f"""option clickhouse = '26.5';
database {db};

table {t} (
    {cols},
    e Enum8({enum}),
    tu Tuple({q(v)} String, plain UInt8),
    {q(v)} UInt64,
)
engine = MergeTree
order by tuple();

table {tgt} (
    {q(v)} UInt64,
    n UInt64,
)
engine = SummingMergeTree
order by {q(v)};

view {view} pulls_from {t} as select * from {t};

materialized view {mv}
    pulls_from {t}
    pushes_to {tgt}
as select {q(v)}, 1 as n from {t};
"""


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, errors="replace", **kw)


def lines_ok(path):
    """Every line outside a statement is empty or a comment; the steps
    counted by their framing."""
    data = open(path, "rb").read().decode("utf-8")
    lines = data.split("\n")
    i, steps = 2, 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"-- @step .* bytes=(\d+) ", line)
        if m:
            steps += 1
            body = data.encode()[sum(len(x.encode()) + 1 for x in lines[: i + 1]):][: int(m.group(1))]
            i += 1 + body.count(b"\n") + 2
            continue
        if line and not line.startswith("--"):
            return False, "line %d is not a comment: %r" % (i + 1, line), steps
        i += 1
    return True, "", steps


def variant(k, v):
    d = os.path.join(WORK, "v%d" % k)
    shutil.rmtree(d, ignore_errors=True)
    # The source path itself is hostile too (src= is %-encoded).
    srcdir = os.path.join(d, "src", "dir " + v.replace("/", "_"))
    os.makedirs(srcdir)
    with open(os.path.join(srcdir, "p\u00e9 .mvd"), "w") as f:
        f.write(source(v))
    plan = os.path.join(d, "plan.sql")
    r = run(MVDC, "build", "-o", plan, os.path.join(d, "src"))
    name = "v%d" % k
    if r.returncode != 0:
        report(name + "/build", False, r.stderr)
        return
    ok, why, steps = lines_ok(plan)
    report(name + "/comment-lines", ok and steps == 5, why or "%d steps framed, expected 5" % steps)
    r = run(MVRUN, "verify", plan)
    report(name + "/verify", r.returncode == 0 and ", 5 steps " in r.stdout, r.stdout + r.stderr)
    url = "chdb:" + os.path.join(d, "db")
    r = run(MVRUN, "--url", url, plan)
    report(name + "/apply", r.returncode == 0, r.stderr)
    r = run(MVRUN, "--url", url, plan)
    report(name + "/converged", r.returncode == 0 and "nothing to do" in r.stderr, r.stderr)
    before = open(plan, "rb").read()
    r = run(MVDC, "build", "-o", plan, "--previous", plan, os.path.join(d, "src"))
    report(name + "/rebuild", r.returncode == 0 and open(plan, "rb").read() == before, r.stderr)


def refused_options():
    d = os.path.join(WORK, "options")
    os.makedirs(d, exist_ok=True)
    for opt in ("registry", "cluster"):
        for k, v in enumerate(HOSTILE):
            path = os.path.join(d, "%s%d.mvd" % (opt, k))
            with open(path, "w") as f:
                f.write("option %s = %s;\ndatabase web;\n" % (opt, s(v)))
            plan = os.path.join(d, "plan.sql")
            if os.path.exists(plan):
                os.unlink(plan)
            r = run(MVDC, "build", "-o", plan, path)
            ok = (r.returncode == 1 and "error[option]" in r.stderr and "must be a plain name" in r.stderr
                  and not os.path.exists(plan))
            # A cluster's name may have '.' and '-': those are plain here.
            if opt == "cluster" and v == "a.b":
                ok = r.returncode == 0 and "-- @option cluster a.b\n" not in open(plan).read() \
                    and "-- @option cluster `a.b`\n" in open(plan).read()
            report("option-%s-%d" % (opt, k), ok, r.stderr)


def main():
    os.makedirs(WORK, exist_ok=True)
    for k, v in enumerate([HOSTILE[0], HOSTILE[1], HOSTILE[3] + HOSTILE[4] + HOSTILE[2],
                           HOSTILE[5] + HOSTILE[6] + HOSTILE[7], HOSTILE[8] + HOSTILE[9] + HOSTILE[10]]):
        variant(k, v)
    refused_options()
    return 1 if failures else 0


sys.exit(main())
