#!/usr/bin/env python3
"""Runs every pipeline of tests/pipelines (README.md): `mvdc check` against
its golden diagnostics, then its DDL and rows on a real engine, asserting
that an accepted pipeline works and that a rejected one fails exactly as
its run.txt says.

    run.py --mvdc BIN --chdb-query BIN [--ch18-url URL] [NAME...]

Prints `PASS name` / `FAIL name` lines (details indented below) and a last
`# pipelines: ...` summary line. Without --ch18-url, pipelines that need
the 18.16 server FAIL."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STATEMENTS = os.path.join(HERE, "..", "plan", "statements.py")


class Spec:
    """run.txt: what to insert and what the engine must show."""

    def __init__(self, path):
        self.steps = []          # ('insert'|'sql', statement)
        self.queries = []        # (sql, [wanted lines])
        self.create_fails = None
        self.insert_fails = None
        self.engine = None
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f.read().split("\n"), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                word, _, rest = line.partition(" ")
                if word in ("insert", "sql"):
                    self.steps.append((word, rest))
                elif word == "query":
                    self.queries.append((rest, []))
                elif word == "want":
                    if not self.queries:
                        raise SystemExit(f"{path}:{n}: 'want' before any 'query'")
                    self.queries[-1][1].append(rest.replace("\\t", "\t"))
                elif word == "create-fails":
                    self.create_fails = int(rest)
                elif word == "insert-fails":
                    self.insert_fails = int(rest)
                elif word == "engine":
                    self.engine = rest.strip()
                else:
                    raise SystemExit(f"{path}:{n}: unknown directive '{word}'")


class Result:
    def __init__(self, lines, code):
        self.lines = lines  # output lines
        self.code = code    # error code, None when it succeeded


def error_code(text):
    m = re.search(r"Code: (\d+)", text)
    return int(m.group(1)) if m else 0


def run_chdb(chdb_query, statements):
    """Runs the statements in one chDB process; a marker SELECT after each
    one splits the output."""
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for i, s in enumerate(statements):
            parts += [s, ";;", f"SELECT '@@{i}'", ";;"]
        out = subprocess.run([chdb_query, os.path.join(tmp, "db")], input="\n".join(parts) + "\n",
                             capture_output=True, text=True, timeout=300).stdout
    results, current = [], []
    for line in out.split("\n"):
        if re.fullmatch(r"@@\d+", line):
            code = None
            if current and current[0].startswith("ERROR "):
                code = int(current[0].split()[1]) or error_code(current[0])
            results.append(Result(current, code))
            current = []
        elif line or current:
            current.append(line)
    while len(results) < len(statements):
        results.append(Result(["(no output: chdb_query stopped)"] + current, -1))
    return results


def run_ch18(url, database, statements):
    results = []
    for s in statements:
        target = url + "/?wait_end_of_query=1"
        if database and not s.upper().startswith(("CREATE DATABASE", "DROP DATABASE")):
            target += "&database=" + database
        req = urllib.request.Request(target, data=s.encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                body = r.read().decode()
                results.append(Result([l for l in body.split("\n") if l != ""], None))
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            results.append(Result([body.strip().split("\n")[0]], error_code(body)))
    return results


class Pipeline:
    def __init__(self, args, name):
        self.args = args
        self.name = name
        self.dir = os.path.join(HERE, name)
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)

    def check(self):
        files = sorted(f for f in os.listdir(self.dir) if f.endswith(".mvd"))
        got = subprocess.run([self.args.mvdc, "check"] + files, cwd=self.dir, capture_output=True, text=True)
        want_path = os.path.join(self.dir, "check.err")
        want = open(want_path, encoding="utf-8").read() if os.path.exists(want_path) else ""
        rejected = "error[" in want
        ok = got.stderr == want and got.returncode == (1 if rejected else 0)
        if not ok:
            detail = f"exit {got.returncode}; stderr:\n{got.stderr}--- expected check.err:\n{want}"
            report(False, f"pipelines/{self.name}/check", detail)
        else:
            report(True, f"pipelines/{self.name}/check")
        return rejected

    def ddl(self, rejected):
        """The statements that create the pipeline: mvdc's own plan when mvdc
        accepts it, else (mvdc refuses to build) mvd2sql's translation."""
        out = subprocess.run([sys.executable, os.path.join(HERE, "mvd2sql.py"), self.dir],
                             capture_output=True, text=True, check=True).stdout
        version = re.search(r"^-- clickhouse: (.*)$", out, re.M).group(1)
        database = re.search(r"^-- database: (.*)$", out, re.M).group(1)
        source = "mvd2sql"
        if not rejected:
            with tempfile.TemporaryDirectory() as tmp:
                plan = os.path.join(tmp, "plan.sql")
                subprocess.run([self.args.mvdc, "build", "-o", plan, self.dir], capture_output=True, check=True)
                out = subprocess.run([sys.executable, STATEMENTS, plan, "--state", os.path.join(tmp, "state.json")],
                                     capture_output=True, text=True, check=True).stdout
            source = "plan"
        statements = [re.sub(r"^(-- [^\n]*\n)+", "", s).strip() for s in out.split("\n;;\n")]
        return version, database, [s for s in statements if s], source

    def engine(self, rejected):
        spec = Spec(os.path.join(self.dir, "run.txt"))
        version, database, ddl, source = self.ddl(rejected)
        engine = spec.engine or ("ch18" if version == "18.16" else "chdb")
        creates_db = [s for s in ddl if s.startswith("CREATE DATABASE")]
        objects = [s for s in ddl if not s.startswith("CREATE DATABASE")]
        targets = re.findall(r"^CREATE MATERIALIZED VIEW (?:IF NOT EXISTS )?\S+ TO (\S+) AS", "\n".join(objects), re.M)
        steps = [s for _, s in spec.steps]
        checks = [q for q, _ in spec.queries] + [f"SELECT count() FROM {t}" for t in targets]
        if engine == "ch18":
            if not self.args.ch18_url:
                return self.fail("needs the 18.16 server (--ch18-url)")
            drops = [s.replace("CREATE DATABASE IF NOT EXISTS", "DROP DATABASE IF EXISTS") for s in creates_db]
            res = run_ch18(self.args.ch18_url, None, drops + creates_db)
            res = res[len(drops):] + run_ch18(self.args.ch18_url, database, objects + steps + checks)
        else:
            res = run_chdb(self.args.chdb_query, creates_db + [f"USE {database}"] + objects + steps + checks)
            res = res[:len(creates_db)] + res[len(creates_db) + 1:]
        n_ddl, n_steps = len(ddl), len(steps)
        r_ddl, r_steps = res[:n_ddl], res[n_ddl:n_ddl + n_steps]
        r_queries = res[n_ddl + n_steps:n_ddl + n_steps + len(spec.queries)]
        r_counts = res[n_ddl + n_steps + len(spec.queries):]
        self.judge(spec, rejected, f"{engine}, DDL from {source}", ddl, r_ddl, steps, r_steps, r_queries, targets,
                   r_counts)

    def judge(self, spec, rejected, engine, ddl, r_ddl, steps, r_steps, r_queries, targets, r_counts):
        ddl_errors = [(s, r) for s, r in zip(ddl, r_ddl) if r.code is not None]
        step_errors = [(s, r) for s, r in zip(steps, r_steps) if r.code is not None]
        for (sql, want), r in zip(spec.queries, r_queries):
            if r.code is not None or r.lines != want:
                self.fail(f"query: {sql}\n  want: {want}\n  got:  {r.lines}")
        if spec.create_fails is not None:
            # the first failure is the cause; an MV whose table was refused fails after it
            first = ddl_errors[0][1].code if ddl_errors else None
            if first != spec.create_fails:
                self.fail(f"expected CREATE to fail with {spec.create_fails}, got {first}: "
                          + "; ".join(r.lines[0][:160] for _, r in ddl_errors))
            self.summary = f"{engine}: CREATE fails with {spec.create_fails}"
            return
        for s, r in ddl_errors:
            self.fail(f"DDL failed: {s[:100]}\n  {r.lines[0][:200]}")
        if spec.insert_fails is not None:
            codes = sorted({r.code for _, r in step_errors})
            if codes != [spec.insert_fails]:
                self.fail(f"expected an insert to fail with {spec.insert_fails}, got codes {codes}")
            self.summary = f"{engine}: insert fails with {spec.insert_fails}"
            return
        for s, r in step_errors:
            self.fail(f"statement failed: {s[:100]}\n  {r.lines[0][:200]}")
        if rejected:
            if not spec.queries:
                self.fail("a rejected pipeline must show its failure: create-fails, insert-fails or a query")
            self.summary = f"{engine}: everything succeeds, and the queries show the data is wrong"
            return
        rows = []
        for t, r in zip(targets, r_counts):
            n = int(r.lines[0]) if r.code is None and r.lines and r.lines[0].isdigit() else 0
            rows.append(n)
            if n == 0:
                self.fail(f"target {t} received no rows")
        self.summary = f"{engine}: {len(targets)} MV target(s) filled, {sum(rows)} rows"


RESULTS = {"pass": 0, "fail": 0}


def report(ok, name, detail=None):
    RESULTS["pass" if ok else "fail"] += 1
    print(("PASS " if ok else "FAIL ") + name)
    if detail and not ok:
        for line in detail.rstrip().split("\n")[:30]:
            print("    " + line)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mvdc", required=True)
    ap.add_argument("--chdb-query", required=True)
    ap.add_argument("--ch18-url")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    args.mvdc = os.path.abspath(args.mvdc)
    args.chdb_query = os.path.abspath(args.chdb_query)
    names = args.names or sorted(d for d in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, d)))
    accepted = rejected = 0
    for name in names:
        p = Pipeline(args, name)
        is_rejected = p.check()
        p.summary = ""
        try:
            p.engine(is_rejected)
        except (subprocess.SubprocessError, OSError, ValueError) as e:
            p.fail(f"could not run: {e}")
        kind = "rejected" if is_rejected else "accepted"
        report(not p.failures, f"pipelines/{name}/engine ({kind}; {p.summary})", "\n".join(p.failures))
        if not p.failures:
            if is_rejected:
                rejected += 1
            else:
                accepted += 1
    print(f"# pipelines: {accepted} accepted and run on an engine, {rejected} rejected with the engine's failure "
          f"shown, {len(names) - accepted - rejected} failed")


if __name__ == "__main__":
    main()
