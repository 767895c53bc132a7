#!/usr/bin/env python3
"""crash_hunt.py: does any real SQL crash or hang mvdc? A report, not a test.

    python3 tests/bench/crash_hunt.py DIR [--jobs N] [--timeout S]

DIR is a folder of .sql files, such as tests/queries/0_stateless of
ClickHouse's repository (or tests/clickhouse-reference of
ClickHouse/clickhouse-node-parser). Two passes, both only reading DIR:

  1. every statement of every file through build/release/select_print (the
     SELECT parser and the plan's printer), in batches; a batch that ends
     by a signal is split in halves until the statement is found;
  2. every file through `bin/mvdc import` (each file a chain of one), and
     what it wrote through `bin/mvdc check`.

A diagnostic, an import error, any exit status below 124 is a normal
answer: only a signal (a crash) or the timeout (a hang) is reported, with
the statement or the file. Exits 1 when there is one.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests/bench"))
from select_fidelity import split_statements  # noqa: E402

SELECT_PRINT = os.path.join(ROOT, "build/release/select_print")
MVDC = os.path.join(ROOT, "bin/mvdc")


def sql_files(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".sql"))


def statements(files):
    out = []
    for f in files:
        with open(f, errors="replace") as h:
            out += [s.strip() for s in split_statements(h.read()) if s.strip() and ";;" not in s]
    return out


def printer_dies(batch, timeout):
    """True when select_print ends by a signal or the timeout on batch."""
    text = "".join(s + "\n;;\n" for s in batch)
    try:
        p = subprocess.run([SELECT_PRINT], input=text.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return True
    return p.returncode < 0


def hunt_printer(batch, timeout, found):
    if not printer_dies(batch, timeout * len(batch)):
        return
    if len(batch) == 1:
        found.append("select_print: " + batch[0][:300].replace("\n", " "))
        return
    half = len(batch) // 2
    hunt_printer(batch[:half], timeout, found)
    hunt_printer(batch[half:], timeout, found)


def run_one(argv, timeout):
    """The outcome of one mvdc run: None when it answered, else what went wrong."""
    try:
        p = subprocess.run(argv, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "no answer in %d s" % timeout
    return "signal %d" % -p.returncode if p.returncode < 0 else None


def import_and_check(path, timeout):
    out = tempfile.mkdtemp(prefix="mvd-hunt-")
    try:
        bad = run_one([MVDC, "import", "-o", out, path], timeout)
        if bad:
            return "import %s: %s" % (bad, path)
        if any(f.endswith(".mvd") for f in os.listdir(out)):
            bad = run_one([MVDC, "check", out], timeout)
            if bad:
                return "check %s: %s" % (bad, path)
        return None
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=10, help="seconds per file, or per statement")
    a = ap.parse_args()
    for tool in (SELECT_PRINT, MVDC):
        if not os.access(tool, os.X_OK):
            sys.exit("crash_hunt: %s is missing (make bin/mvdc build/release/select_print)" % tool)
    files = sql_files(a.dir)
    stmts = statements(files)
    found = []
    for i in range(0, len(stmts), 2000):
        hunt_printer(stmts[i:i + 2000], a.timeout, found)
    print("printer: %d statements of %d files, %d crashed or hung" % (len(stmts), len(files), len(found)))
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        bad = [b for b in pool.map(lambda f: import_and_check(f, a.timeout), files) if b]
    print("import and check: %d files, %d crashed or hung" % (len(files), len(bad)))
    for line in found + bad:
        print("  " + line)
    return 1 if found or bad else 0


if __name__ == "__main__":
    sys.exit(main())
