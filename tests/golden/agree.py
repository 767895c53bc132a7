#!/usr/bin/env python3
"""The golden cases of the checks ClickHouse itself enforces when a view is
created, judged against chDB: for every case of tests/golden/check/CHECK
(CHECK = not-aggregated, nested-aggregate), ClickHouse must refuse the
case's DDL exactly when mvdc reports error[CHECK] (ok-* near misses
included: they must be accepted by both).

    agree.py --chdb-query BIN [--ch18]

With --ch18, the cases written for `option clickhouse = '18.16'` are
judged on a real 18.16 server the script starts (tests/engines/ch18.sh)
too: one whose .err holds no error must be accepted statement by
statement, one with an error must be refused by at least one (the codes
printed); a CASE.ch18 beside it holds statements run after its DDL, as a
CASE.chdb does (an insert that an error about the data fails). Prints `PASS agree/CHECK/CASE` / `FAIL ...` lines."""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pipelines"))
import run as pipelines  # noqa: E402  (run_chdb, Result)

CHECKS = {"not-aggregated": 215, "nested-aggregate": 184}

# Cases of other checks, judged one by one (the families real schemas met,
# issue 15): the code chDB must refuse the DDL with, or None where it must
# accept every statement (an error there is about the data, which the
# case's CASE.chdb shows). A CASE.chdb beside a case holds statements run
# after its DDL, one a line; a line `=> TEXT` is the exact output the
# statement before it must print (tabs written as \\t, newlines as \\n).
# A list of codes: each statement refused in turn, one code each.
CASES = {
    "invalid-type/ok-real-schema-types": None,
    "invalid-type/ok-datetime-tz-then-more": None,
    "invalid-type/simple-nested-lowcardinality": 36,
    "engine/ok-is-deleted-bool": None,
    "engine/ok-ttl-forms": None,
    "engine/ttl-set-unknown-column": 16,
    "arity/ok-real-schema-calls": None,
    "type-mismatch/ok-real-schema-outputs": None,
    "type-mismatch/signed-into-unsigned": None,
    "type-mismatch/simple-state-function": None,
    "type-mismatch/ok-untyped-udf": None,
    "type-mismatch/untyped-udf-narrowing": None,
    "version/select-new-enough": None,
    "trigger/mv-except": 397,
    "trigger/ok-mv-union-modes": None,
    "trigger/mv-except-in-from": 397,
    "type-mismatch/ok-real-schema-narrowing": None,
    "type-mismatch/ok-real-schema-unsigned-counts": None,
    "syntax/ok-real-schema-dollar-names": None,
    "type-mismatch/ok-real-schema-null-guarded-array": None,
    "type-mismatch/null-guard-other-column": None,
    "arity/ok-real-schema-arrayjoin-map": None,
    "type-mismatch/ok-real-schema-flag-into-bool": None,
    "type-mismatch/ok-real-schema-array-combinator-state": None,
    "type-mismatch/array-combinator-state-of-array": 70,
    "type-mismatch/ok-real-schema-guarded-expiry": None,
    "type-mismatch/guarded-expiry-other-column": 349,  # the .chdb's insert, not the DDL
    "arity/ok-real-schema-parse-precision": None,
    "unknown-column/ok-real-schema-kafka-virtual": None,
    "unknown-column/kafka-virtual-elsewhere": 47,
    "type-mismatch/ok-decimal-integer-digits": 407,  # the .chdb's value too large, not the DDL
    "invalid-type/ok-real-schema-sized-group-array": None,
    "invalid-type/simple-aggregate-parameters": 133,
    "type-mismatch/ok-real-schema-parse-precision-zero": None,
    "type-mismatch/ok-real-schema-kafka-timestamp-own-name": None,
    "type-mismatch/ok-real-schema-null-guarded-alias": None,
    "unknown-column/ok-real-schema-projection-part-offset": None,
    "type-mismatch/ok-real-schema-simple-column-read": None,
    "arity/uniq-up-to-bound": 69,
    "arity/parameter-bounds": [12, 69, 36, 69, 12, 12],
    "arity/ok-parameter-bounds": None,
    "invalid-type/aggregate-parameter-bounds": [69, 12, 69],
    "invalid-type/ok-aggregate-parameter-bounds": None,
    "arity/ok-parameter-conversion": None,
    "arity/parameter-kind": [36, 2, 70, 36],
    "invalid-type/ok-group-array-size-unbounded": None,
    "arity/ok-resample": None,
    "arity/resample": [42, 42, 42, 69, 69],
    "invalid-type/resample-state-bounds": [69, 69],
    "syntax/ok-real-schema-trailing-comma-tuple": None,
    "target-column-missing/ok-real-schema-nested-fields": None,
    "target-column-missing/nested-whole-output": 8,
    "arity/fraction-bounds": [69, 69, 69, 69, 70],
    "version/ok-aggregate-forms-new-enough": None,
}


def case_sql(path):
    """The statements mvd2sql makes of a case, the CREATE DATABASE first."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "..", "pipelines", "mvd2sql.py"), path],
                         capture_output=True, text=True, check=True).stdout
    database = next(l for l in out.split("\n") if l.startswith("-- database: "))[len("-- database: "):]
    stmts = [s.strip() for s in out.split("\n;;\n") if s.strip()]
    stmts = ["\n".join(l for l in s.split("\n") if not l.startswith("-- ")) for s in stmts]
    stmts = [s for s in stmts if s]
    creates = [s for s in stmts if s.startswith("CREATE DATABASE")]
    rest = [s for s in stmts if not s.startswith("CREATE DATABASE")]
    return creates + [f"USE {database}"] + rest


def read_after(path):
    """CASE.chdb: (statement, expected output or None) pairs."""
    steps = []
    if os.path.exists(path):
        for line in open(path, encoding="utf-8").read().split("\n"):
            if line.startswith("=> ") and steps:
                steps[-1] = (steps[-1][0], line[3:].replace("\\t", "\t").replace("\\n", "\n"))
            elif line.strip() and not line.startswith("--"):
                steps.append((line, None))
    return steps


def judge_case(chdb_query, case, want_code):
    folder, name = case.split("/")
    base = os.path.join(HERE, "check", folder, name)
    stmts = case_sql(base + ".mvd")
    after = read_after(base + ".chdb")
    results = pipelines.run_chdb(os.path.abspath(chdb_query), stmts + [s for s, _ in after])
    codes = [r.code for r in results if r.code is not None]
    problems = []
    if want_code is None and codes:
        problems.append(f"chDB refused a statement: codes {codes}")
    want = want_code if isinstance(want_code, list) else [want_code]
    if want_code is not None and codes != want:
        problems.append(f"chDB error codes {codes}, expected {want}")
    for (stmt, want), r in zip(after, results[len(stmts):]):
        if want is not None and "\n".join(r.lines).strip() != want:
            problems.append(f"{stmt}: printed {r.lines!r}, expected {want!r}")
    label = f"agree/{case}"
    print(("FAIL " if problems else "PASS ") + label)
    for p in problems:
        print("    " + p)
    for r in results:
        if r.code is not None and problems:
            print("    " + r.lines[0][:200])
    return 1 if problems else 0


def ch18_cases():
    """The check goldens written for option clickhouse = '18.16'."""
    root = os.path.join(HERE, "check")
    for folder in sorted(f for f in os.listdir(root) if os.path.isdir(os.path.join(root, f))):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            path = os.path.join(root, folder, name)
            if name.endswith(".mvd") and b"option clickhouse = '18.16'" in open(path, "rb").read():
                yield folder + "/" + name[:-4], path


def judge_ch18(url, case, path):
    """18.16 refuses the case's DDL exactly when mvdc reports an error.
    A case mvd2sql cannot write as SQL (a `local table`, a dictionary, a
    declared function) is said to be left out."""
    try:
        stmts = case_sql(path)
    except subprocess.CalledProcessError as e:
        print(f"PASS agree/ch18/{case} (left out: {e.stderr.strip().split(chr(10))[-1][:80]})")
        return 0
    database = next(s for s in stmts if s.startswith("USE "))[4:]
    stmts = [s for s in stmts if not s.startswith("USE ")] + [s for s, _ in read_after(path[:-4] + ".ch18")]
    pipelines.run_ch18(url, None, [f"DROP DATABASE IF EXISTS {database}"])
    results = pipelines.run_ch18(url, database, stmts)
    codes = [r.code for r in results if r.code is not None]
    want_error = "error[" in open(path[:-4] + ".err", encoding="utf-8").read()
    ok = bool(codes) == want_error
    print(("PASS " if ok else "FAIL ") + f"agree/ch18/{case}" + (f" (codes {codes})" if codes and ok else ""))
    if not ok:
        print(f"    mvdc: {'error' if want_error else 'no error'}; 18.16 error codes: {codes}")
        for r in results:
            if r.code is not None:
                print("    " + r.lines[0][:200])
    return 0 if ok else 1


def run_ch18_cases():
    with tempfile.TemporaryDirectory() as tmp:
        ch18 = os.path.join(HERE, "..", "engines", "ch18.sh")
        start = subprocess.run(["bash", ch18, "start", os.path.join(tmp, "ch18")], capture_output=True, text=True)
        if start.returncode != 0:
            print("FAIL agree/ch18/server")
            print("    " + (start.stderr or start.stdout)[:400])
            return 1
        try:
            url = start.stdout.strip().split("\n")[-1]
            return sum(judge_ch18(url, case, path) for case, path in ch18_cases())
        finally:
            subprocess.run(["bash", ch18, "stop", os.path.join(tmp, "ch18")], capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chdb-query", required=True)
    ap.add_argument("--ch18", action="store_true")
    args = ap.parse_args()
    failed = run_ch18_cases() if args.ch18 else 0
    for check, code in CHECKS.items():
        folder = os.path.join(HERE, "check", check)
        for name in sorted(f for f in os.listdir(folder) if f.endswith(".mvd")):
            case = name[:-4]
            want_error = f"error[{check}]" in open(os.path.join(folder, case + ".err"), encoding="utf-8").read()
            results = pipelines.run_chdb(os.path.abspath(args.chdb_query), case_sql(os.path.join(folder, name)))
            codes = [r.code for r in results if r.code is not None]
            refused = code in codes
            ok = refused == want_error and all(c == code for c in codes)
            label = f"agree/{check}/{case}"
            print(("PASS " if ok else "FAIL ") + label)
            if not ok:
                failed += 1
                print(f"    mvdc: {'error' if want_error else 'no error'}; chDB error codes: {codes}")
                for r in results:
                    if r.code is not None:
                        print("    " + r.lines[0][:200])
    for case, code in CASES.items():
        failed += judge_case(args.chdb_query, case, code)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
