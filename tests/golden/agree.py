#!/usr/bin/env python3
"""The golden cases of the checks ClickHouse itself enforces when a view is
created, judged against chDB: for every case of tests/golden/check/CHECK
(CHECK = not-aggregated, nested-aggregate), ClickHouse must refuse the
case's DDL exactly when mvdc reports error[CHECK] (ok-* near misses
included: they must be accepted by both).

    agree.py --chdb-query BIN

Prints `PASS agree/CHECK/CASE` / `FAIL ...` lines."""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pipelines"))
import run as pipelines  # noqa: E402  (run_chdb, Result)

CHECKS = {"not-aggregated": 215, "nested-aggregate": 184}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chdb-query", required=True)
    args = ap.parse_args()
    failed = 0
    for check, code in CHECKS.items():
        folder = os.path.join(HERE, "check", check)
        for name in sorted(f for f in os.listdir(folder) if f.endswith(".mvd")):
            case = name[:-4]
            want_error = f"error[{check}]" in open(os.path.join(folder, case + ".err"), encoding="utf-8").read()
            out = subprocess.run([sys.executable, os.path.join(HERE, "..", "pipelines", "mvd2sql.py"),
                                  os.path.join(folder, name)], capture_output=True, text=True, check=True).stdout
            database = next(l for l in out.split("\n") if l.startswith("-- database: "))[len("-- database: "):]
            stmts = [s.strip() for s in out.split("\n;;\n") if s.strip()]
            stmts = ["\n".join(l for l in s.split("\n") if not l.startswith("-- ")) for s in stmts]
            stmts = [s for s in stmts if s]
            creates = [s for s in stmts if s.startswith("CREATE DATABASE")]
            rest = [s for s in stmts if not s.startswith("CREATE DATABASE")]
            results = pipelines.run_chdb(os.path.abspath(args.chdb_query), creates + [f"USE {database}"] + rest)
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
