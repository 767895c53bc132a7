#!/usr/bin/env python3
"""backfill_chunks_bench: mvrun's fill chunk by chunk against a raw INSERT ... SELECT (`make bench`).

    backfill_chunks_bench.py BIN_DIR CHDB_QUERY WORK ROWS CHUNK_ROWS RUNS

On chDB 26.5 (a data directory in WORK), a source `bfchunks.orders` of
ROWS rows in monthly partitions and a `backfill` MV over it. The plan for
26.5 fills its target chunk by chunk (partitions grouped into chunks,
each inserted into a stage and moved into the target: docs/mv-changes.md).
CHUNK_ROWS is a comma-separated list of chunk sizes, each a fill of its
own: a number is mvrun's --chunk-rows, `default` runs mvrun without it
(the chunk size a user gets). Each round runs, in an order that turns by
one each round (so that none always comes first):

  raw   `INSERT INTO bfchunks.totals (sku, qty) SELECT ...`, the MV's query
        over the whole source as one statement (the fill of the same plan
        built for 18.16, which has no chunks), after a TRUNCATE; timed by
        the engine's clock (now64 before and after, in one chdb_query);
  tested the raw statement with `WHERE _partition_id IN [every partition]`:
        the same rows, plus the per-row test each chunk of a fill in
        several chunks carries (printed, not judged);
  fill  for each chunk size: the MV dropped, then `mvrun --json PLAN`:
        the backfill step's `ms` (every chunk's statement, the stage made,
        moved and dropped, and the registry rows).

Both run with the engine's default settings in a new process each (the
same library, the same data directory, the same statement text but for
the chunk filter and the table written). Prints, per chunk size, the best
ms of each side and the ratio raw / fill of each round (its median and
its best), and one line `backfill by chunks target: ... PASS|MISS` for
the first chunk size, judged on the median ratio (target >= 0.9).
"""
import json
import os
import re
import statistics
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


def raw_ms(tool, db, raw):
    out = chdb(tool, db, "TRUNCATE TABLE bfchunks.totals", "SELECT toUnixTimestamp64Micro(now64(6))", raw,
               "SELECT toUnixTimestamp64Micro(now64(6))").split()
    return (int(out[-1]) - int(out[-2])) / 1000


def fill_ms(tool, db, mvrun, want):
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
    return step[0]["ms"]


def main():
    bin_dir, tool, work = sys.argv[1], sys.argv[2], sys.argv[3]
    rows, sizes, runs = int(sys.argv[4]), sys.argv[5].split(","), int(sys.argv[6])
    plan = build(bin_dir, work, "26.5")
    text = open(plan).read()
    if " chunks=bfchunks.orders" not in text:
        sys.exit("backfill_chunks_bench.py: the 26.5 plan does not fill by chunks")
    raw = fill_statement(build(bin_dir, work, "18.16"))
    db = os.path.join(work, "chdb-bfchunks")
    mvrun = [os.path.join(bin_dir, "mvrun"), "--url", "chdb:" + db, "--json"]
    r = subprocess.run(mvrun + [plan], capture_output=True, text=True)
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
    # The raw statement again with the chunk's test over every partition:
    # the same rows read, only the per-row test added (what each of
    # several chunks pays, whatever their size).
    ids = chdb(tool, db, "SELECT groupArray(partition_id) FROM (SELECT DISTINCT partition_id FROM system.parts "
                         "WHERE active AND database = 'bfchunks' AND table = 'orders' ORDER BY partition_id)").strip()
    tested = raw.replace("FROM bfchunks.orders", "FROM bfchunks.orders WHERE _partition_id IN %s" % ids, 1)
    if tested == raw:
        sys.exit("backfill_chunks_bench.py: no FROM bfchunks.orders in the raw statement")
    sides = [("raw", lambda: raw_ms(tool, db, raw)), ("tested", lambda: raw_ms(tool, db, tested))]
    for size in sizes:
        cmd = mvrun + ([] if size == "default" else ["--chunk-rows", size]) + [plan]
        sides.append((size, lambda cmd=cmd: fill_ms(tool, db, cmd, want)))
    times = {name: [] for name, _ in sides}
    for r in range(runs):
        for name, run in sides[r % len(sides):] + sides[:r % len(sides)]:
            times[name].append(run())
    raws = times["raw"]
    row = "%-46s %-8s %-11s %s"
    print("\nbackfill by chunks: %d source rows in %s partitions, 1000 groups, on chDB 26.5, %d rounds "
          "(each side in turn, the order turning)" % (rows, parts, runs))
    print(row % ("what", "best ms", "rows/s", "raw / fill per round: median (best)"))
    print(row % ("raw INSERT INTO target SELECT (the floor)", "%.0f" % min(raws),
                 "%.0f" % (rows / min(raws) * 1000), ""))
    ratios = sorted(a / max(b, 1) for a, b in zip(raws, times["tested"]))
    print(row % ("the same with the chunk's _partition_id test", "%.0f" % min(times["tested"]),
                 "%.0f" % (rows / max(min(times["tested"]), 1) * 1000),
                 "%.2fx (%.2fx)" % (statistics.median(ratios), ratios[-1])))
    verdict = None
    for size in sizes:
        ratios = sorted(a / max(b, 1) for a, b in zip(raws, times[size]))
        median = statistics.median(ratios)
        label = "mvrun's fill, --chunk-rows %s" % size if size != "default" else \
            "mvrun's fill, default --chunk-rows (1G)"
        print(row % (label, "%.0f" % min(times[size]), "%.0f" % (rows / max(min(times[size]), 1) * 1000),
                     "%.2fx (%.2fx)" % (median, ratios[-1])))
        if verdict is None:
            verdict = (size, median)
    print("backfill by chunks target (%s): throughput at least 0.9x a raw INSERT ... SELECT: %s (%.2fx, median)"
          % ("default --chunk-rows" if verdict[0] == "default" else "--chunk-rows " + verdict[0],
             "PASS" if verdict[1] >= 0.9 else "MISS", verdict[1]))


if __name__ == "__main__":
    main()
