#!/usr/bin/env python3
"""PostHog's ClickHouse schema through mvdc, as tests/bench/real_schemas.sh
measures any project's: raw DDL on chDB against import -> check -> build.

    tests/bench/posthog_sweep.py SOURCE [OUT]

SOURCE is PostHog's schema snapshot (posthog/clickhouse/test/__snapshots__/
test_schema.ambr, one CREATE statement per snapshot), a bare git directory
of PostHog (the snapshot is read from its HEAD), or a folder of .sql files
already in the form below. Nothing of it is committed: OUT (default
/tmp/posthog_sweep) gets the statements, rewritten so that one chDB without
PostHog's clusters and Kafka named collections takes them:

  - each object once (the snapshot repeats a Kafka table per test case);
  - Replicated*MergeTree('/path', '{replica}', ...) -> *MergeTree(...);
  - Kafka(named_collection, kafka_topic_list = ..., ...) -> Kafka('kafka:9092',
    topic, group, format);
  - Distributed(cluster, ...) -> MergeTree ORDER BY tuple() (no cluster here);
    an MV writing to a writable_X table still writes to a table of X's columns;
  - ON CLUSTER removed; tables first, then views, then materialized views.

Then: the statements on one fresh chDB (what ClickHouse refuses, listed),
mvdc import of the same files, mvdc check, and its diagnostics tallied by
check name (OUT/check.out has them in full). An error of mvdc on a statement
chDB took is a false error until shown otherwise. (real_schemas.sh goes on
to deploy and compare rows; it cannot here: its generated rows would be
produced into PostHog's Kafka tables.)
"""
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MVDC = os.path.join(ROOT, "bin", "mvdc")
CHDB = os.path.join(ROOT, "build", "engines", "chdb_query")
SNAPSHOT = "posthog/clickhouse/test/__snapshots__/test_schema.ambr"


def read_source(src):
    if os.path.isdir(src) and os.path.exists(os.path.join(src, "HEAD")):
        return subprocess.run(["git", "--git-dir", src, "show", "HEAD:" + SNAPSHOT],
                              check=True, capture_output=True, text=True).stdout
    with open(src, encoding="utf-8") as f:
        return f.read()


def snapshots(text):
    """The body of every '''-quoted snapshot, its two-space indent removed."""
    for m in re.finditer(r"^  '''\n(.*?)^  '''", text, re.S | re.M):
        yield "\n".join(line[2:] if line.startswith("  ") else line.strip()
                        for line in m.group(1).split("\n"))


CREATE = re.compile(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?(TABLE|MATERIALIZED\s+VIEW|VIEW|DICTIONARY)"
                    r"\s+(IF\s+NOT\s+EXISTS\s+)?([`\w.]+)", re.I)


def statements(text):
    for body in snapshots(text):
        for part in re.split(r";\s*(?:\n|$)", body):
            if CREATE.match(part):
                yield part.strip()


def kafka_args(m):
    args = m.group(1)
    if args.lstrip().startswith("'"):
        return m.group(0)
    named = dict(re.findall(r"(kafka_\w+)\s*=\s*('[^']*')", args))
    return "Kafka('kafka:9092', %s, %s, %s)" % (
        named.get("kafka_topic_list", "'t'"), named.get("kafka_group_name", "'g'"),
        named.get("kafka_format", "'JSONEachRow'"))


def rewrite(sql):
    sql = re.sub(r"ON CLUSTER +('[^']*'|\"[^\"]*\"|[\w{}]+)", "", sql, flags=re.I)
    sql = re.sub(r"Replicated(\w*MergeTree)\(\s*'[^']*'\s*,\s*'[^']*'\s*,?\s*", r"\1(", sql)
    sql = re.sub(r"Kafka\(((?:[^()]|\([^()]*\))*)\)", kafka_args, sql)
    m = re.search(r"ENGINE\s*=\s*Distributed\(", sql)
    if m:
        depth, i = 1, m.end()
        while depth and i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        sql = sql[:m.start()] + "ENGINE = MergeTree ORDER BY tuple()" + sql[i:]
    return sql


def rank(sql):
    kind = CREATE.match(sql).group(2).upper()
    return {"TABLE": 0, "DICTIONARY": 1, "VIEW": 2}.get(kind, 3)


def main():
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/posthog_sweep"
    sqldir = os.path.join(out, "sql")
    os.makedirs(sqldir, exist_ok=True)
    for f in os.listdir(sqldir):
        os.remove(os.path.join(sqldir, f))
    options = ["--database", "posthog_test"]
    if os.path.isdir(src) and not os.path.exists(os.path.join(src, "HEAD")):
        sqldir, options = src, []
    else:
        seen = {}
        for st in statements(read_source(src)):
            name = CREATE.match(st).group(4).replace("`", "").split(".")[-1]
            seen.setdefault(name, rewrite(st))
        objs = sorted(seen.items(), key=lambda kv: rank(kv[1]))
        with open(os.path.join(sqldir, "0000_database.sql"), "w") as f:
            f.write("CREATE DATABASE IF NOT EXISTS posthog_test;\nUSE posthog_test;\n")
        for i, (name, st) in enumerate(objs):
            with open(os.path.join(sqldir, "%04d_%s.sql" % (i + 1, name)), "w") as f:
                f.write(st + ";\n")
        print("%d objects written to %s" % (len(objs), sqldir))
    raw_apply(sqldir, os.path.join(out, "raw"))
    mvd = os.path.join(out, "mvd")
    subprocess.run(["rm", "-rf", mvd], check=True)
    imp = subprocess.run([MVDC, "import", "-o", mvd, "--clickhouse", "26.5"] + options + [sqldir],
                         capture_output=True, text=True)
    print(imp.stderr.strip().split("\n")[-1])
    check = subprocess.run([MVDC, "check", mvd], capture_output=True, text=True).stderr
    with open(os.path.join(out, "check.out"), "w") as f:
        f.write(check)
    tally = collections.Counter(re.findall(r"\b(error|warning)\[([\w-]+)\]", check))
    for (sev, name), n in sorted(tally.items()):
        print("%5d %s[%s]" % (n, sev, name))
    print("details: %s" % os.path.join(out, "check.out"))


def raw_apply(sqldir, db):
    """Every statement on a fresh chDB, in file order: ClickHouse's own verdict."""
    stmts = []
    for name in sorted(os.listdir(sqldir)):
        if name.endswith(".sql"):
            text = open(os.path.join(sqldir, name), encoding="utf-8").read()
            stmts += [p.strip() for p in re.split(r";\s*\n", text) if p.strip()]
    subprocess.run(["rm", "-rf", db], check=True)
    res = subprocess.run([CHDB, db], input="\n;;\n".join(stmts), capture_output=True, text=True)
    refused = [l for l in (res.stdout + res.stderr).split("\n") if l.startswith("ERROR")]
    print("chDB: %d statements, %d refused" % (len(stmts), len(refused)))
    for line in refused:
        print("  " + line[:200])


if __name__ == "__main__":
    main()
