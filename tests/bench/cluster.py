#!/usr/bin/env python3
"""cluster.py: mvrun on the 18.16 loopback cluster against one 18.16
server, for the same plan of N steps (a database and N-1 views over one
table, ON CLUSTER on the cluster). A report, not a test.

    python3 tests/bench/cluster.py [N]      # default 200
    python3 tests/bench/cluster.py N upgrade    # the upgrade alone
    python3 tests/bench/cluster.py N fresh      # no upgrade

Prints, for each target, the fresh apply and the converged re-run (the
fastest of three runs each, a fresh database for each apply; the re-run's
requests as mvrun counts them); then an
upgrade of about N steps: ALTERs (a column added to each of N/2 tables)
and drops (N/2 views no longer declared), applied over its first release
(not timed), the fastest of three.

Beside mvrun on the cluster, the DDL queue's own floor for the same
statements, with no mvrun and no registry: a plain HTTP client sends
each ON CLUSTER statement in plan order without waiting
(distributed_ddl_task_timeout=0), then waits until the last one exists on
every host. No client can apply those statements in order faster: each
ON CLUSTER statement is one entry the initiator writes to ZooKeeper, and
every host runs the queue one entry at a time. The ratio that mvrun
controls is mvrun / floor; the floor / one server is the engine's.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests/runtime"))
import mkplan  # noqa: E402

CH18 = os.path.join(ROOT, "tests/engines/ch18.sh")
MVRUN = os.environ.get("MVRUN", os.path.join(ROOT, "bin/mvrun"))  # another build to compare


def plan(path, n, db, reg, cluster):
    return make_plan(n, db, reg, cluster).write(path)


def make_plan(n, db, reg, cluster):
    on = " ON CLUSTER mvd_test" if cluster else ""
    p = mkplan.Plan("18.16", reg, "mvd_test" if cluster else None)
    p.object("database", db).object("table", db + ".t", db + ".t@1")
    p.shape(db + ".t", db + ".t@1", "ReplicatedMergeTree" if cluster else "MergeTree", [("x", "UInt64")])
    for i in range(n - 2):
        p.object("view", "%s.v%d" % (db, i), "%s.v%d@1" % (db, i))
    p.step("setup", "create", "database", db, "unless=present", "present",
           "CREATE DATABASE IF NOT EXISTS %s%s;" % (db, on))
    engine = ("ReplicatedMergeTree('/clickhouse/tables/{shard}/%s/t', '{replica}')" % db) if cluster else "MergeTree"
    p.step("setup", "create", "table", db + ".t", "when=absent", db + ".t@1",
           "CREATE TABLE IF NOT EXISTS %s.t%s (x UInt64) ENGINE = %s ORDER BY x;" % (db, on, engine))
    for i in range(n - 2):
        v = "%s.v%d" % (db, i)
        p.step("setup", "create", "view", v, "unless=%s@1" % v, "%s@1" % v,
               "CREATE VIEW IF NOT EXISTS %s%s AS SELECT x + %d AS y FROM %s.t;" % (v, on, i, db))
    return p


def upgrade_plans(tmp, label, n, db, reg, cluster):
    """Release 1: n/2 tables and n/2 views; release 2: a column added to
    every table, every view dropped (about n steps that run)."""
    on = " ON CLUSTER mvd_test" if cluster else ""
    k = max(1, (n - 1) // 2)
    paths = []
    for release in (1, 2):
        p = mkplan.Plan("18.16", reg, "mvd_test" if cluster else None)
        p.object("database", db)
        for i in range(k):
            p.object("table", "%s.a%d" % (db, i), "%s.a%d@%d" % (db, i, release))
            if release == 1:
                p.object("view", "%s.w%d" % (db, i), "%s.w%d@1" % (db, i))
            else:
                p.removed("view", "%s.w%d" % (db, i))
        for i in range(k):
            engine = "ReplicatedMergeTree" if cluster else "MergeTree"
            p.shape("%s.a%d" % (db, i), "%s.a%d@1" % (db, i), engine, [("x", "UInt64")])
            p.shape("%s.a%d" % (db, i), "%s.a%d@2" % (db, i), engine, [("x", "UInt64"), ("y", "UInt64")])
        if release == 2:
            for i in range(k):
                v = "%s.w%d" % (db, i)
                p.step("teardown", "drop", "view", v, "unless=absent", "absent", "DROP TABLE IF EXISTS %s%s;" % (v, on))
        p.step("setup", "create", "database", db, "unless=present", "present",
               "CREATE DATABASE IF NOT EXISTS %s%s;" % (db, on))
        for i in range(k):
            t = "%s.a%d" % (db, i)
            engine = ("ReplicatedMergeTree('/clickhouse/tables/{shard}/%s/a%d', '{replica}')" % (db, i)) \
                if cluster else "MergeTree"
            cols = "x UInt64" if release == 1 else "x UInt64, y UInt64"
            p.step("setup", "create", "table", t, "when=absent", "%s@%d" % (t, release),
                   "CREATE TABLE IF NOT EXISTS %s%s (%s) ENGINE = %s ORDER BY x;" % (t, on, cols, engine))
            if release == 2:
                p.step("setup", "alter", "table", t, "when=%s@1" % t, "%s@2" % t,
                       "ALTER TABLE %s%s ADD COLUMN y UInt64;" % (t, on))
            else:
                v = "%s.w%d" % (db, i)
                p.step("setup", "create", "view", v, "unless=%s@1" % v, "%s@1" % v,
                       "CREATE VIEW IF NOT EXISTS %s%s AS SELECT x FROM %s;" % (v, on, t))
        paths.append(p.write(os.path.join(tmp, "%s-r%d.sql" % (label, release))))
    return paths


def measure_upgrade(url, n, tmp, cluster, label):
    times = []
    for k in range(3):
        db, reg = "up_%s_%d" % (label, k), "_mvdu_%s_%d" % (label, k)
        first, second = upgrade_plans(tmp, "%s-up-%d" % (label, k), n, db, reg, cluster)
        timed(url, first)
        times.append(timed(url, second))
    return min(times)


def timed(url, path, answer=None):
    """The run's seconds; its JSON report into answer (a list) when given."""
    start = time.time()
    r = subprocess.run([MVRUN, "--url", url, "--json", path], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("mvrun failed: " + r.stderr[-2000:])
    took = time.time() - start
    if answer is not None:
        answer.append(json.loads(r.stdout))
    return took


def http(url, sql, **settings):
    query = "?" + urllib.parse.urlencode(settings) if settings else ""
    req = urllib.request.Request(url + "/" + query, data=sql.encode())
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode()


def queue_floor(urls, n, label):
    """The plan's statements queued in order by a plain client, until the
    last view exists on every host; the fastest of three."""
    times = []
    for k in range(3):
        db = "floor_%s_%d" % (label, k)
        p = make_plan(n, db, "_unused", True)
        start = time.time()
        for s in p.steps:
            http(urls[0], s["sql"].rstrip(";"), distributed_ddl_task_timeout=0)
        last = p.steps[-1]["name"]
        for url in urls:
            while http(url, "EXISTS TABLE %s" % last).strip() != "1":
                time.sleep(0.01)
        times.append(time.time() - start)
    return min(times)


def measure(url, n, tmp, cluster, label):
    fresh, again, reports = [], [], []
    for k in range(3):
        db, reg = "bench_%s_%d" % (label, k), "_mvdb_%s_%d" % (label, k)
        path = plan(os.path.join(tmp, "%s-%d.sql" % (label, k)), n, db, reg, cluster)
        fresh.append(timed(url, path))
        again.append(timed(url, path, reports))
    return min(fresh), min(again), reports[0]["requests"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tmp = tempfile.mkdtemp(prefix="mvd-bench-cluster.")
    try:
        single = subprocess.run([CH18, "start", tmp + "/one"], capture_output=True, text=True, check=True).stdout.strip()
        # No cleanup of the DDL queue during the bench: past 1000 entries
        # (18.16's max_tasks_in_queue; the bench queues about 2500) each
        # one stalls the hosts' DDL workers for seconds, on whichever
        # measurement it falls (ch18.sh, docs/mvrun.md "Clusters").
        urls = subprocess.run([CH18, "cluster-start", tmp + "/cl"], capture_output=True, text=True, check=True,
                              env=dict(os.environ, CH18_DDL_CLEANUP_DELAY="86400")).stdout.split()
        if sys.argv[2:] != ["upgrade"]:
            one = measure(single, n, tmp, False, "one")
            clu = measure(urls[0], n, tmp, True, "cluster")
            floor = queue_floor(urls, n, "cluster")
            print("%d steps              fresh apply   converged re-run" % n)
            print("one server           %8.2f s     %8.3f s (%d requests)" % one)
            print("cluster              %8.2f s     %8.3f s (%d requests)" % clu)
            print("cluster/one          %8.1fx     %8.1fx" % (clu[0] / one[0], clu[1] / one[1]))
            print("DDL queue floor      %8.2f s" % floor)
            print("floor/one            %8.1fx" % (floor / one[0]))
            print("cluster/floor        %8.2fx" % (clu[0] / floor), flush=True)
        if sys.argv[2:] == ["fresh"]:
            return
        up_one = measure_upgrade(single, n, tmp, False, "one")
        up_clu = measure_upgrade(urls[0], n, tmp, True, "cluster")
        print("upgrade, ALTERs and drops (%d steps)" % (2 * max(1, (n - 1) // 2)))
        print("one server   %8.2f s" % up_one)
        print("cluster      %8.2f s" % up_clu)
        print("ratio        %8.1fx" % (up_clu / up_one))
    finally:
        subprocess.run([CH18, "stop", tmp + "/one"], capture_output=True)
        subprocess.run([CH18, "cluster-stop", tmp + "/cl"], capture_output=True)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
