#!/usr/bin/env python3
"""Sweep: the corpus's calls with their column arguments swapped for columns
of every other kind, judged by chDB.

For each expression of exprs.txt whose outermost part is a call, every
argument that is a bare fixture column is replaced, one at a time, by each
sample column below. chDB says which variants it accepts and their types;
mvdc checks and describes one view selecting them all.

    accepted, and mvdc reports arity        FAIL (a false error)
    accepted, and mvdc infers another type  FAIL (unless Unknown)
    refused, and mvdc reports arity         counted: the check caught it

Usage: tests/types/sweep.py [--limit N] [--engine ch18]   (run from anywhere;
prints PASS/FAIL lines and a summary; exit status 1 on any FAIL). With
--engine ch18 the variants run on an 18.16 server started for the run, over
fixture-18.mvd (slower: one HTTP request per variant; not part of make test).
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MVDC = os.environ.get("MVDC", os.path.join(ROOT, "bin/mvdc"))
QUERY = os.environ.get("CHDB_QUERY", os.path.join(ROOT, "build/engines/chdb_query"))
SAMPLES = ["u8", "i64", "f64", "d", "s", "fs", "lc", "ns", "nu", "date", "dt", "dt64", "b", "uuid",
           "arr", "arrs", "tup", "m", "e", "sst"]
CH18 = "--engine" in sys.argv and sys.argv[sys.argv.index("--engine") + 1] == "ch18"
FIXTURE = "tests/types/fixture-18.mvd" if CH18 else "tests/types/fixture.mvd"
if CH18:
    SAMPLES = [c for c in SAMPLES if c not in ("dt64", "b", "m")]


def split_args(text):
    """Top-level comma-separated parts of text (quotes and brackets respected)."""
    parts, depth, cur, quote = [], 0, "", None
    for ch in text:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
            continue
        if ch in "'`\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def outer_call(expr):
    """(prefix, args) for `name(args)` or `name(params)(args)`, else None."""
    m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*(?:\([^()]*\))?)\((.*)\)$", expr)
    if not m:
        return None
    head, inner = m.group(1), m.group(2)
    depth = 0
    for ch in inner:  # the parentheses must match: f(a)(b) is not f(...)
        depth += ch == "(" and 1 or ch == ")" and -1 or 0
        if depth < 0:
            return None
    return head, split_args(inner)


def variants(exprs, columns):
    seen, out = set(exprs), []
    for e in exprs:
        call = outer_call(e)
        if not call:
            continue
        head, args = call
        for i, a in enumerate(args):
            if a.strip() not in columns:
                continue
            for c in SAMPLES:
                v = head + "(" + ", ".join(x.strip() if k != i else c for k, x in enumerate(args)) + ")"
                if v not in seen:
                    seen.add(v)
                    out.append(v)
    return out


def fixture_columns():
    text = open(os.path.join(ROOT, FIXTURE)).read()
    body = text[text.index("table t (") + 9:text.index(") engine")]
    cols = [c.strip() for c in split_args(body) if c.strip()]
    return body, {c.split()[0] for c in cols}


def run_ch18(tmp, cols, exprs):
    import urllib.parse
    import urllib.request
    d = os.path.join(tmp, "ch18")
    url = subprocess.run(["bash", os.path.join(ROOT, "tests/engines/ch18.sh"), "start", d],
                         capture_output=True, text=True).stdout.strip()
    url += "/?allow_experimental_low_cardinality_type=1"

    def q(sql):
        try:
            return urllib.request.urlopen(url, sql.encode(), timeout=30).read().decode()
        except Exception:
            return ""
    try:
        q("CREATE TABLE default.t (%s) ENGINE = Memory" % cols)
        q("INSERT INTO default.t (u8) VALUES (0)")
        return {i: q("SELECT toTypeName(%s) FROM default.t" % e).rstrip("\n") or None
                for i, e in enumerate(exprs)}, q("SELECT version()").strip()
    finally:
        subprocess.run(["bash", os.path.join(ROOT, "tests/engines/ch18.sh"), "stop", d], capture_output=True)


def run_engine(tmp, body, exprs):
    cols = " ".join(l.split("--")[0] for l in body.splitlines()).strip().rstrip(",")
    if CH18:
        types, version = run_ch18(tmp, cols, exprs)
        # The server's zone, which 18.16 names in DateTime results, is what
        # mvdc's plain DateTime means (known-differences.txt says more).
        return {i: t.replace("\\'", "'").replace("DateTime('Etc/UTC')", "DateTime")
                for i, t in types.items() if t}, version
    sql = ["CREATE DATABASE IF NOT EXISTS types_test",
           "CREATE TABLE types_test.t (%s) ENGINE = Memory" % cols,
           "INSERT INTO types_test.t (u8) SELECT 0"]
    sql += ["SELECT 'R%d', toTypeName(%s) FROM types_test.t" % (i, e) for i, e in enumerate(exprs)]
    out = subprocess.run([QUERY, "-l", os.path.join(tmp, "chdb")], input="\n".join(sql) + "\n",
                         capture_output=True, text=True).stdout
    types = {}
    for line in out.splitlines():
        m = re.match(r"^R(\d+)\t(.*)$", line)
        if m:
            t = m.group(2)
            t = re.sub(r"\(\\n *", "(", t)
            t = re.sub(r",\\n *", ", ", t)
            t = re.sub(r"\\n *\)", ")", t).replace("\\'", "'")
            types[int(m.group(1))] = t
    return types


def run_mvdc(tmp, version, exprs):
    proj = os.path.join(tmp, "project")
    os.makedirs(proj, exist_ok=True)
    with open(os.path.join(ROOT, FIXTURE)) as f, open(os.path.join(proj, "fixture.mvd"), "w") as g:
        g.write("option clickhouse = '%s';\n" % version + f.read())
    first = 3  # the line of the first expression in v.mvd
    with open(os.path.join(proj, "v.mvd"), "w") as g:
        g.write("database types_test;\nview v pulls_from t as select\n")
        g.write(",\n".join("    %s as e%d" % (e, i) for i, e in enumerate(exprs)))
        g.write("\nfrom t;\n")
    r = subprocess.run([MVDC, "describe", ".", "types_test.v"], cwd=proj, capture_output=True, text=True)
    types = dict(l.split("\t", 1) for l in r.stdout.splitlines() if "\t" in l)
    errors = {}
    for line in r.stderr.splitlines():
        m = re.match(r"^(?:\./)?v\.mvd:(\d+):\d+: error\[([a-z-]+)\]: (.*)$", line)
        if m:
            errors.setdefault(int(m.group(1)) - first, []).append((m.group(2), m.group(3)))
    return types, errors


def main():
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    exprs = [l.rstrip("\n") for l in open(os.path.join(ROOT, "tests/types/exprs.txt"))
             if l.strip() and not l.startswith("#")]
    body, columns = fixture_columns()
    cand = variants(exprs, columns)[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        if CH18:
            engine, version = run_engine(tmp, body, cand)
        else:
            engine = run_engine(tmp, body, ["version()"] + cand)
            version = subprocess.run([QUERY, "-l", os.path.join(tmp, "v")], input="SELECT version()\n",
                                     capture_output=True, text=True).stdout.strip()
            engine = {i - 1: t for i, t in engine.items() if i > 0}
        version = ".".join(version.split(".")[:2])
        types, errors = run_mvdc(tmp, version, cand)
    failed = accepted = caught = refused = agree = unknown = 0
    for i, e in enumerate(cand):
        want, got = engine.get(i), types.get("e%d" % i, "Unknown")
        arity = [m for c, m in errors.get(i, []) if c == "arity"]
        if want is None:
            refused += 1
            caught += bool(arity)
            continue
        accepted += 1
        if arity:
            failed += 1
            print("FAIL sweep/%s: the engine accepts it (%s), mvdc says: %s" % (e, want, arity[0]))
        elif got == "Unknown":
            unknown += 1
        elif got != want:
            failed += 1
            print("FAIL sweep/%s: mvdc says %s, the engine says %s" % (e, got, want))
        else:
            agree += 1
    if "--dump" in sys.argv:  # every variant: expression, chDB's type or -, mvdc's type, arity message
        with open(sys.argv[sys.argv.index("--dump") + 1], "w") as f:
            for i, e in enumerate(cand):
                arity = [m for c, m in errors.get(i, []) if c == "arity"]
                f.write("%s\t%s\t%s\t%s\n" % (e, engine.get(i, "-"), types.get("e%d" % i, "Unknown"),
                                                arity[0] if arity else ""))
    if not failed:
        print("PASS types/sweep (%d variants)" % len(cand))
    print("# sweep on %s: %d variants; the engine accepts %d (%d agree, %d not inferred), refuses %d (arity "
          "catches %d); %d FAIL" % ("18.16" if CH18 else "chDB", len(cand), accepted, agree, unknown, refused, caught,
                                    failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
