#!/usr/bin/env python3
"""backfill_bench: mvrun's backfill against a raw INSERT ... SELECT (`make bench`).

    backfill_bench.py BIN_DIR URL WORK ROWS RUNS

On the server at URL (ClickHouse 18.16 started by tests/bench/run.sh), a
source `bfbench.orders` of ROWS rows and a `backfill` MV over it. Each run:

  raw   the fill's own statement, `INSERT INTO bfbench.totals (sku, qty)
        SELECT ...` (read from the plan, byte for byte), sent over HTTP
        after a TRUNCATE of the target: the floor;
  fill  the MV dropped, then `mvrun --json PLAN`: the plan's truncate,
        backfill and create steps; the backfill step's `ms` in the JSON
        (what the fill costs inside mvrun) and the whole run's wall time.

Best of RUNS for each. Prints a table and one line
`backfill target: ... PASS|MISS (ratio)`, ratio = raw ms / fill ms (the
fill's throughput over the raw insert's); the target is >= 0.9.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

PROJECT = """option clickhouse = '18.16';
option registry = '_mvd_bfbench';
database bfbench;
table orders (ts DateTime, sku String, qty UInt32) engine = MergeTree order by ts;
table totals (sku String, qty UInt64) engine = SummingMergeTree order by sku;
materialized view totals_mv pulls_from orders pushes_to totals backfill
as select sku, sum(qty) as qty from orders group by sku;
"""

# Plan format 2 has no step number (format 1 had one).
STEP = re.compile(rb"^-- @step (?:\d+ )?\w+ (\S+) \S+ (\S+) .* bytes=(\d+) sha256=\S+.*\n", re.M)


class Http:
    """One connection per statement: the server closes an idle one after
    3 s (keep_alive_timeout), as happens while mvrun runs; connecting on
    the loopback costs well under a millisecond."""

    def __init__(self, url):
        self.url = urllib.parse.urlsplit(url)

    def query(self, sql):
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port or 8123)
        conn.request("POST", "/", body=sql.encode())
        r = conn.getresponse()
        body = r.read().decode()
        conn.close()
        if r.status != 200:
            sys.exit("backfill_bench.py: %s: %s" % (sql[:80], body[:500]))
        return body


def fill_statement(plan):
    data = open(plan, "rb").read()
    for m in STEP.finditer(data):
        if m.group(1) == b"backfill":
            return data[m.end():m.end() + int(m.group(3)) - 1].decode()
    sys.exit("backfill_bench.py: no backfill step in %s" % plan)


def main():
    bin_dir, url, work, rows, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    src = os.path.join(work, "bfbench")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "shop.mvd"), "w") as f:
        f.write(PROJECT)
    plan = os.path.join(work, "bfbench.sql")
    subprocess.run([os.path.join(bin_dir, "mvdc"), "build", "--no-previous", "-o", plan, src],
                   check=True, capture_output=True)
    fill = fill_statement(plan)
    h = Http(url)
    h.query("DROP DATABASE IF EXISTS bfbench")
    h.query("DROP DATABASE IF EXISTS _mvd_bfbench")
    mvrun = [os.path.join(bin_dir, "mvrun"), "--url", url, "--json", plan]
    r = subprocess.run(mvrun, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("backfill_bench.py: mvrun on the empty server: %s" % r.stderr[-1000:])
    h.query("DROP TABLE bfbench.totals_mv")
    # 1000 skus, so the fill writes 1000 rows and the cost is the read.
    h.query("INSERT INTO bfbench.orders SELECT toDateTime('2024-01-01 00:00:00') + number, "
            "concat('sku', toString(number %% 1000)), number %% 7 FROM system.numbers LIMIT %d" % rows)
    h.query("OPTIMIZE TABLE bfbench.orders FINAL")
    want = h.query("SELECT sku, sum(qty) FROM bfbench.orders GROUP BY sku ORDER BY sku")
    raw_ms = fill_ms = run_ms = None
    for _ in range(runs):
        h.query("TRUNCATE TABLE bfbench.totals")
        t = time.monotonic()
        h.query(fill)
        ms = (time.monotonic() - t) * 1000
        raw_ms = ms if raw_ms is None else min(raw_ms, ms)
        h.query("DROP TABLE IF EXISTS bfbench.totals_mv")
        t = time.monotonic()
        r = subprocess.run(mvrun, capture_output=True, text=True)
        ms = (time.monotonic() - t) * 1000
        if r.returncode != 0:
            sys.exit("backfill_bench.py: mvrun: %s" % r.stderr[-1000:])
        step = [s for s in json.loads(r.stdout)["steps"] if s["action"] == "backfill" and s["result"] == "ok"]
        if len(step) != 1:
            sys.exit("backfill_bench.py: mvrun did not run the fill: %s" % r.stdout[-1000:])
        got = h.query("SELECT sku, sum(qty) FROM bfbench.totals GROUP BY sku ORDER BY sku")
        if got != want:
            sys.exit("backfill_bench.py: the filled target differs from the query over the source")
        fill_ms = step[0]["ms"] if fill_ms is None else min(fill_ms, step[0]["ms"])
        run_ms = ms if run_ms is None else min(run_ms, ms)
    h.query("DROP DATABASE bfbench")
    h.query("DROP DATABASE _mvd_bfbench")
    ratio = raw_ms / max(fill_ms, 1)
    row = "%-44s %-9s %s"
    print("\nbackfill: %d source rows, 1000 groups, on ClickHouse 18.16, best of %d runs" % (rows, runs))
    print(row % ("what", "ms", "rows/s"))
    print(row % ("raw INSERT INTO target SELECT (the floor)", "%.0f" % raw_ms, "%.0f" % (rows / raw_ms * 1000)))
    print(row % ("mvrun's backfill step", fill_ms, "%.0f" % (rows / max(fill_ms, 1) * 1000)))
    print(row % ("mvrun, whole run (truncate, fill, create)", "%.0f" % run_ms, ""))
    print("backfill target: throughput at least 0.9x a raw INSERT ... SELECT: %s (%.2fx)"
          % ("PASS" if ratio >= 0.9 else "MISS", ratio))


if __name__ == "__main__":
    main()
