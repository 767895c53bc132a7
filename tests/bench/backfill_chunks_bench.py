#!/usr/bin/env python3
"""backfill_chunks_bench: mvrun's fill chunk by chunk against a raw INSERT ... SELECT (`make bench`).

    backfill_chunks_bench.py BIN_DIR CHDB_QUERY WORK ROWS CHUNK_ROWS RUNS

On chDB 26.5 (a data directory in WORK), a source `bfchunks.orders` of
ROWS rows in monthly partitions and a `backfill` MV over it. The plan for
26.5 fills its target chunk by chunk (one source partition at a time into
a stage, moved into the target: docs/mv-changes.md). Each run:

  raw   `INSERT INTO bfchunks.totals (sku, qty) SELECT ...`, the MV's query
        over the whole source as one statement (the fill of the same plan
        built for 18.16, which has no chunks), after a TRUNCATE; timed by
        the engine's clock (now64 before and after, in one chdb_query);
  fill  the MV dropped, then `mvrun --json --chunk-rows CHUNK_ROWS PLAN`:
        the backfill step's `ms` (every chunk's statement, the stage's moves
        and the registry rows).

Best of RUNS for each. Prints a table and one line
`backfill by chunks target: ... PASS|MISS (ratio)`, ratio = raw ms / fill
ms; the target is >= 0.9.
"""
import json
import os
import re
import subprocess
import sys

PROJECT = """option clickhouse = '%s';
option registry = '_mvd_bfchunks';
database bfchunks;
table orders (ts DateTime, sku String, qty UInt32) engine = MergeTree partition by toYYYYMM(ts) order by ts;
table totals (sku String, qty UInt64) engine = SummingMergeTree order by sku;
materialized view totals_mv pulls_from orders pushes_to totals backfill
as select sku, sum(qty) as qty from orders group by sku;
"""

STEP = re.compile(rb"^-- @step \w+ (\S+) \S+ (\S+) .* bytes=(\d+) sha256=\S+.*\n", re.M)


def build(bin_dir, work, version):
    src = os.path.join(work, "bfchunks-" + version)
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "shop.mvd"), "w") as f:
        f.write(PROJECT % version)
    plan = src + ".sql"
    subprocess.run([os.path.join(bin_dir, "mvdc"), "build", "--no-previous", "-o", plan, src],
                   check=True, capture_output=True)
    return plan


def fill_statement(plan):
    data = open(plan, "rb").read()
    for m in STEP.finditer(data):
        if m.group(1) == b"backfill":
            return data[m.end():m.end() + int(m.group(3)) - 1].decode()
    sys.exit("backfill_chunks_bench.py: no backfill step in %s" % plan)


def chdb(tool, db, *statements):
    out = subprocess.run([tool, db], input="\n;;\n".join(statements), capture_output=True, text=True,
                         timeout=3600)
    if out.returncode != 0 or "ERROR" in out.stdout:
        sys.exit("backfill_chunks_bench.py: %s: %s %s" % (statements[-1][:80], out.stdout[-500:], out.stderr[-500:]))
    return out.stdout


def main():
    bin_dir, tool, work = sys.argv[1], sys.argv[2], sys.argv[3]
    rows, chunk_rows, runs = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    plan = build(bin_dir, work, "26.5")
    text = open(plan).read()
    if " chunks=bfchunks.orders" not in text:
        sys.exit("backfill_chunks_bench.py: the 26.5 plan does not fill by chunks")
    raw = fill_statement(build(bin_dir, work, "18.16"))
    db = os.path.join(work, "chdb-bfchunks")
    mvrun = [os.path.join(bin_dir, "mvrun"), "--url", "chdb:" + db, "--json", "--chunk-rows", str(chunk_rows), plan]
    r = subprocess.run(mvrun, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("backfill_chunks_bench.py: mvrun on the empty engine: %s" % r.stderr[-1000:])
    # 1000 skus, one row a second (a month is some 2.6M rows): the cost is the read.
    chdb(tool, db, "DROP TABLE bfchunks.totals_mv",
         "INSERT INTO bfchunks.orders SELECT toDateTime('2024-01-01 00:00:00') + number, "
         "concat('sku', toString(number %% 1000)), number %% 7 FROM numbers(%d)" % rows,
         "OPTIMIZE TABLE bfchunks.orders FINAL")
    parts = chdb(tool, db, "SELECT uniqExact(partition_id) FROM system.parts WHERE active AND "
                           "database = 'bfchunks' AND table = 'orders'").strip()
    want = chdb(tool, db, "SELECT sku, sum(qty) FROM bfchunks.orders GROUP BY sku ORDER BY sku")
    raw_ms = fill_ms = None
    for _ in range(runs):
        out = chdb(tool, db, "TRUNCATE TABLE bfchunks.totals", "SELECT toUnixTimestamp64Micro(now64(6))", raw,
                   "SELECT toUnixTimestamp64Micro(now64(6))").split()
        ms = (int(out[-1]) - int(out[-2])) / 1000
        raw_ms = ms if raw_ms is None else min(raw_ms, ms)
        chdb(tool, db, "DROP TABLE IF EXISTS bfchunks.totals_mv")
        r = subprocess.run(mvrun, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("backfill_chunks_bench.py: mvrun: %s" % r.stderr[-1000:])
        step = [s for s in json.loads(r.stdout)["steps"] if s["action"] == "backfill" and s["result"] == "ok"]
        if len(step) != 1:
            sys.exit("backfill_chunks_bench.py: mvrun did not run the fill: %s" % r.stdout[-1000:])
        got = chdb(tool, db, "SELECT sku, sum(qty) FROM bfchunks.totals GROUP BY sku ORDER BY sku")
        if got != want:
            sys.exit("backfill_chunks_bench.py: the filled target differs from the query over the source")
        fill_ms = step[0]["ms"] if fill_ms is None else min(fill_ms, step[0]["ms"])
    ratio = raw_ms / max(fill_ms, 1)
    row = "%-44s %-9s %s"
    print("\nbackfill by chunks: %d source rows in %s partitions, chunks of at least %d rows, 1000 groups, "
          "on chDB 26.5, best of %d runs" % (rows, parts, chunk_rows, runs))
    print(row % ("what", "ms", "rows/s"))
    print(row % ("raw INSERT INTO target SELECT (the floor)", "%.0f" % raw_ms, "%.0f" % (rows / raw_ms * 1000)))
    print(row % ("mvrun's backfill step, by chunks", fill_ms, "%.0f" % (rows / max(fill_ms, 1) * 1000)))
    print("backfill by chunks target: throughput at least 0.9x a raw INSERT ... SELECT: %s (%.2fx)"
          % ("PASS" if ratio >= 0.9 else "MISS", ratio))


if __name__ == "__main__":
    main()
